package toro.studio.debug.ui.cores;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.handlers.HandlerUtil;

import toro.studio.debug.model.ToroDebugTarget;
import toro.studio.debug.model.VcpuThread;
import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.ThreadSample;

/**
 * Cores view, "Show vCPU Stack": for the selected core, or the selected kernel thread, selects in the Debug
 * view the top frame of the vCPU that runs it, so its stack, variables and source are shown. Works while the
 * Toro target of the current debug context is suspended.
 */
public final class ShowVcpuStackHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        if (!(HandlerUtil.getCurrentSelection(event) instanceof IStructuredSelection s)) {
            return null;
        }
        Object row = s.getFirstElement();
        int cpu = row instanceof CoreView c ? c.cpu() : row instanceof ThreadSample t ? t.cpu() : -1;
        ToroDebugTarget target = currentTarget();
        if (cpu < 0 || target == null || !target.isSuspended()) {
            throw new ExecutionException("Select a core or thread while a Toro debug target is suspended");
        }
        VcpuThread thread = target.threadOfCore(cpu);
        if (thread == null) {
            throw new ExecutionException("gdb reports no vCPU " + cpu);
        }
        IDebugView view;
        try {
            view = (IDebugView) HandlerUtil.getActiveWorkbenchWindowChecked(event).getActivePage()
                    .showView(IDebugUIConstants.ID_DEBUG_VIEW);
        } catch (PartInitException e) {
            throw new ExecutionException("Could not show the stack of vCPU " + cpu + ": " + e.getMessage(), e);
        }
        // the stack is read from gdb in a job, never on the UI thread; the selection is set back there
        Job.create("Reading the stack of vCPU " + cpu, (IProgressMonitor m) -> {
            IStackFrame top;
            try {
                top = thread.getTopStackFrame();
            } catch (DebugException e) {
                return Status.error("Could not read the stack of vCPU " + cpu + ": " + e.getMessage(), e);
            }
            Object[] path = top == null ? new Object[] { target.getLaunch(), target, thread }
                    : new Object[] { target.getLaunch(), target, thread, top };
            Display.getDefault().asyncExec(() -> {
                if (view.getViewer() != null && !view.getViewer().getControl().isDisposed()) {
                    view.getViewer().setSelection(new TreeSelection(new TreePath(path)), true);
                }
            });
            return Status.OK_STATUS;
        }).schedule();
        return null;
    }

    /** Returns the Toro target of the Debug view's selection (element or launch), or null. */
    private static ToroDebugTarget currentTarget() {
        Object context = DebugUITools.getDebugContext();
        IDebugElement element = Adapters.adapt(context, IDebugElement.class);
        if (element != null && element.getDebugTarget() instanceof ToroDebugTarget t) {
            return t;
        }
        ILaunch launch = Adapters.adapt(context, ILaunch.class);
        return launch != null && launch.getDebugTarget() instanceof ToroDebugTarget t ? t : null;
    }
}
