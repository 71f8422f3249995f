package toro.studio.debug.breakpoints;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.LineBreakpoint;

import toro.studio.debug.ToroDebug;

/**
 * A line breakpoint in a kernel source file (C or NASM), persisted as a marker on the file. With the
 * hardware attribute gdb places it in a debug register ({@code -break-insert -h}), which early boot code
 * needs under KVM where the image is not yet where software breakpoints are written.
 */
public final class ToroLineBreakpoint extends LineBreakpoint {

    /** Marker attribute: true for a hardware breakpoint. */
    public static final String HARDWARE = "toro.studio.debug.hardware";

    /** Creates an empty breakpoint; the Debug Platform calls this and then setMarker when restoring. */
    public ToroLineBreakpoint() {
    }

    /**
     * Creates the breakpoint and its marker on line (1-based) of resource. The caller registers it with
     * the breakpoint manager, which installs it in every running Toro target.
     */
    public ToroLineBreakpoint(IResource resource, int line, boolean hardware) throws CoreException {
        run(getMarkerRule(resource), monitor -> {
            IMarker marker = resource.createMarker(ToroDebug.LINE_BREAKPOINT_MARKER);
            marker.setAttribute(IBreakpoint.ID, ToroDebug.MODEL_ID);
            marker.setAttribute(IBreakpoint.ENABLED, true);
            marker.setAttribute(IMarker.LINE_NUMBER, line);
            marker.setAttribute(HARDWARE, hardware);
            marker.setAttribute(IMarker.MESSAGE, describe(resource.getName(), line, hardware));
            setMarker(marker);
        });
    }

    @Override
    public String getModelIdentifier() {
        return ToroDebug.MODEL_ID;
    }

    /** Returns true when gdb should use a hardware breakpoint. */
    public boolean isHardware() {
        return getMarker() != null && getMarker().getAttribute(HARDWARE, false);
    }

    /** Switches between a hardware and a software breakpoint; running targets re-insert it. */
    public void setHardware(boolean hardware) throws CoreException {
        setAttributes(new String[] { HARDWARE, IMarker.MESSAGE },
                new Object[] { hardware, describe(getMarker().getResource().getName(), getLineNumber(), hardware) });
    }

    /**
     * Returns the location for gdb: the file's absolute path and the line ("/…/kernel/main.c:42"), which
     * gdb matches against the DWARF line tables of the image built from that file.
     */
    public String gdbLocation() throws CoreException {
        IPath path = getMarker().getResource().getLocation();
        String file = path != null ? path.toOSString() : getMarker().getResource().getName();
        return file + ":" + getLineNumber();
    }

    private static String describe(String file, int line, boolean hardware) {
        return (hardware ? "Toro hardware breakpoint: " : "Toro breakpoint: ") + file + " [line: " + line + "]";
    }
}
