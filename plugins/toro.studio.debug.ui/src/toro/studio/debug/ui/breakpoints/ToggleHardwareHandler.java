package toro.studio.debug.ui.breakpoints;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.commands.ExecutionException;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.handlers.HandlerUtil;

import toro.studio.debug.breakpoints.ToroLineBreakpoint;

/**
 * Breakpoints view, "Hardware Breakpoint": switches the selected Toro breakpoints between software and
 * hardware (x86 has four debug registers, so gdb refuses a fifth hardware breakpoint).
 */
public final class ToggleHardwareHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) throws ExecutionException {
        ISelection selection = HandlerUtil.getCurrentSelection(event);
        if (selection instanceof IStructuredSelection s) {
            for (Object o : s.toList()) {
                if (o instanceof ToroLineBreakpoint b) {
                    try {
                        b.setHardware(!b.isHardware());
                    } catch (CoreException e) {
                        throw new ExecutionException("Could not change " + b.getMarker().getResource().getName()
                                + " breakpoint: " + e.getMessage(), e);
                    }
                }
            }
        }
        return null;
    }
}
