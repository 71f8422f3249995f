package toro.studio.debug.model;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * A variable or register whose value the views show, highlighted when it changed since the previous stop, but
 * do not change; the gdb console can ("set var").
 */
abstract class ReadOnlyVariable extends ToroDebugElement implements IVariable {

    private final boolean changed;

    /** Creates a variable of target; changed says its value differs from the previous stop's. */
    ReadOnlyVariable(IDebugTarget target, boolean changed) {
        super(target);
        this.changed = changed;
    }

    /** Returns the gdb console command that would change this variable, shown when someone tries here. */
    abstract String setCommand();

    /** Returns true when the value differs from the one at the previous stop (the views highlight it). */
    @Override
    public boolean hasValueChanged() {
        return changed;
    }

    @Override
    public void setValue(String expression) throws DebugException {
        notSupported("Values are read-only in this view; in the gdb console: " + setCommand(), null);
    }

    @Override
    public void setValue(IValue v) throws DebugException {
        notSupported("Values are read-only in this view; in the gdb console: " + setCommand(), null);
    }

    @Override
    public boolean supportsValueModification() {
        return false;
    }

    @Override
    public boolean verifyValue(String expression) {
        return false;
    }

    @Override
    public boolean verifyValue(IValue v) {
        return false;
    }
}
