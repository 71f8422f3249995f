package toro.studio.debug.ui.presentation;

import org.eclipse.debug.internal.ui.viewers.model.provisional.IModelSelectionPolicy;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IPresentationContext;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.ITreeSelection;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;

import toro.studio.debug.model.GdbStackFrame;
import toro.studio.debug.model.ToroDebugElement;
import toro.studio.debug.model.ToroDebugTarget;

/**
 * Which selection the Debug view keeps when the model asks it to select something else, for a target whose
 * vCPUs stop together (gdb's all-stop). The platform's default makes any suspended frame sticky against
 * frames of other threads: after vCPU 1 hits a breakpoint, the frame of vCPU 0 selected at the previous
 * stop is suspended again too, so vCPU 1's frame was refused, or a selection that the view saved at the
 * resume was restored over it. Here only a frame of the vCPU that stopped last is sticky, and a frame of
 * that vCPU always wins.
 */
final class AllStopSelectionPolicy implements IModelSelectionPolicy {

    private final ToroDebugTarget target;

    /** Creates the policy of the elements of target. */
    AllStopSelectionPolicy(ToroDebugTarget target) {
        this.target = target;
    }

    @Override
    public boolean contains(ISelection selection, IPresentationContext context) {
        return inDebugView(context) && first(selection) instanceof ToroDebugElement e && e.getDebugTarget() == target;
    }

    @Override
    public boolean overrides(ISelection existing, ISelection candidate, IPresentationContext context) {
        if (!inDebugView(context)) {
            return true;
        }
        Object now = first(existing), next = first(candidate);
        return now == null || now.equals(next) || onStoppedVcpu(next) || !isSticky(existing, context);
    }

    @Override
    public boolean isSticky(ISelection selection, IPresentationContext context) {
        return inDebugView(context) && onStoppedVcpu(first(selection));
    }

    /** Selects the parent of an element that left the model (a frame of a stack that is gone). */
    @Override
    public ISelection replaceInvalidSelection(ISelection invalid, ISelection proposed) {
        if (invalid instanceof ITreeSelection t && t.getPaths().length > 0 && t.getPaths()[0].getSegmentCount() > 1) {
            TreePath parent = t.getPaths()[0].getParentPath();
            return new TreeSelection(parent);
        }
        return proposed;
    }

    /** Returns whether element is a suspended frame of the vCPU the target last stopped on. */
    private boolean onStoppedVcpu(Object element) {
        return element instanceof GdbStackFrame f && f.isSuspended() && f.getThread() == target.stoppedThread();
    }

    private static boolean inDebugView(IPresentationContext context) {
        return IDebugUIConstants.ID_DEBUG_VIEW.equals(context.getId());
    }

    private static Object first(ISelection s) {
        return s instanceof IStructuredSelection ss ? ss.getFirstElement() : null;
    }
}
