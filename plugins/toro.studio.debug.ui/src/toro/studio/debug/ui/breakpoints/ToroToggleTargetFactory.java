package toro.studio.debug.ui.breakpoints;

import java.util.Collections;
import java.util.Set;

import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.debug.ui.actions.IToggleBreakpointsTargetFactory;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.ui.IWorkbenchPart;

/** Offers the Toro breakpoint toggle in text editors on kernel sources (C, headers, NASM). */
public final class ToroToggleTargetFactory implements IToggleBreakpointsTargetFactory {

    /** The id of the Toro toggle target. */
    static final String ID = "toro.studio.debug.ui.toggleLineBreakpoint";

    @Override
    public Set<String> getToggleTargets(IWorkbenchPart part, ISelection selection) {
        return ToroToggleBreakpointsTarget.sourceOf(part) != null ? Set.of(ID) : Collections.emptySet();
    }

    @Override
    public String getDefaultToggleTarget(IWorkbenchPart part, ISelection selection) {
        return ToroToggleBreakpointsTarget.sourceOf(part) != null ? ID : null;
    }

    @Override
    public IToggleBreakpointsTarget createToggleTarget(String targetID) {
        return ID.equals(targetID) ? new ToroToggleBreakpointsTarget() : null;
    }

    @Override
    public String getToggleTargetName(String targetID) {
        return "Toro Line Breakpoints";
    }

    @Override
    public String getToggleTargetDescription(String targetID) {
        return "Line breakpoints in the Toro kernel's C and NASM sources, set through gdb";
    }
}
