package toro.studio.debug.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;

import toro.studio.debug.ToroDebug;
import toro.studio.gdbmi.GdbSession;

/** Base of every Toro debug element: the model identifier and access to the target's gdb session. */
public abstract class ToroDebugElement extends DebugElement {

    /** Creates an element of target (null only for the target itself, which overrides getDebugTarget). */
    ToroDebugElement(IDebugTarget target) {
        super(target);
    }

    @Override
    public String getModelIdentifier() {
        return ToroDebug.MODEL_ID;
    }

    /** Returns the Toro target this element belongs to. */
    ToroDebugTarget target() {
        return (ToroDebugTarget) getDebugTarget();
    }

    /** Returns the gdb session that backs this element's target. */
    GdbSession gdb() {
        return target().session();
    }

    /** Runs a gdb read, turning its failure into a DebugException that names what was being read. */
    <T> T read(String what, GdbCall<T> call) throws DebugException {
        try {
            return call.run();
        } catch (Exception e) {
            requestFailed("Could not read " + what + " from gdb: " + e.getMessage(), e);
            return null; // not reached: requestFailed throws
        }
    }

    /** A command to gdb that returns nothing and may fail with any exception. */
    @FunctionalInterface
    public interface GdbAction {
        void run() throws Exception;
    }

    /** A call into the gdb session that may fail with any exception. */
    @FunctionalInterface
    interface GdbCall<T> {
        T run() throws Exception;
    }
}
