package toro.studio.debug;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;

/** Identifiers shared by the debug model, its presentation and its tests. */
public final class ToroDebug {
    /** The bundle's symbolic name, used as the plug-in id of statuses. */
    public static final String PLUGIN_ID = "toro.studio.debug";
    /** The debug model identifier of every element of the Toro debug model. */
    public static final String MODEL_ID = "toro.studio.debug.model";
    /** The marker type of Toro line breakpoints (declared in plugin.xml). */
    public static final String LINE_BREAKPOINT_MARKER = "toro.studio.debug.lineBreakpointMarker";

    private ToroDebug() {
    }

    /** Returns an error status of this bundle carrying message and cause (cause may be null). */
    public static IStatus error(String message, Throwable cause) {
        return new Status(IStatus.ERROR, PLUGIN_ID, message, cause);
    }

    /** Returns a CoreException of this bundle carrying message and cause (cause may be null). */
    public static CoreException failure(String message, Throwable cause) {
        return new CoreException(error(message, cause));
    }
}
