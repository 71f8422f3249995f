package toro.studio.debug.ui.console;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.IConsoleManager;

import toro.studio.debug.model.ToroDebugTarget;

/**
 * Adds a gdb console to the Console view (next to the QEMU console) for every Toro debug target that is
 * created, and marks it ended when the target terminates. Started with the workbench, so no target is missed.
 */
public final class GdbConsoles implements IStartup, IDebugEventSetListener {

    @Override
    public void earlyStartup() {
        DebugPlugin.getDefault().addDebugEventListener(this);
    }

    @Override
    public void handleDebugEvents(DebugEvent[] events) {
        for (DebugEvent e : events) {
            if (e.getSource() instanceof ToroDebugTarget t) {
                if (e.getKind() == DebugEvent.CREATE) {
                    manager().addConsoles(new IConsole[] { new GdbConsole(t) });
                } else if (e.getKind() == DebugEvent.TERMINATE) {
                    GdbConsole c = of(t);
                    if (c != null) {
                        c.ended();
                    }
                }
            }
        }
    }

    /** Returns the gdb console of target, or null if there is none (yet, or any more). */
    public static GdbConsole of(ToroDebugTarget target) {
        for (IConsole c : manager().getConsoles()) {
            if (c instanceof GdbConsole g && g.target() == target) {
                return g;
            }
        }
        return null;
    }

    private static IConsoleManager manager() {
        return ConsolePlugin.getDefault().getConsoleManager();
    }
}
