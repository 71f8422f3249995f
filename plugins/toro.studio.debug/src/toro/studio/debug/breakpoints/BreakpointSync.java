package toro.studio.debug.breakpoints;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.model.IBreakpoint;

import toro.studio.debug.ToroDebug;
import toro.studio.debug.model.ToroDebugElement;
import toro.studio.debug.model.ToroDebugTarget;
import toro.studio.gdbmi.Breakpoint;
import toro.studio.gdbmi.BreakpointSpec;

/**
 * Keeps gdb's breakpoints equal to the workspace's Toro line breakpoints for one target. Changes arrive
 * from the breakpoint manager on any thread (often the UI thread) and are applied to gdb in order on the gdb
 * session's event thread, in step with gdb's events (no thread of our own); while the kernel runs, the target is briefly interrupted to apply them (the remote
 * stub accepts no packets while running), which the user does not see as a suspension.
 */
public final class BreakpointSync {

    private final ToroDebugTarget target;
    /** The gdb number and hardware kind of every breakpoint installed in gdb. */
    private final Map<IBreakpoint, Breakpoint> installed = new HashMap<>();

    /** Creates the synchroniser of target; nothing is installed before {@link #start()}. */
    public BreakpointSync(ToroDebugTarget target) {
        this.target = target;
    }

    /** Installs every Toro breakpoint of the workspace (synchronously) and starts following changes. */
    public void start() {
        IBreakpointManager manager = DebugPlugin.getDefault().getBreakpointManager();
        for (IBreakpoint b : manager.getBreakpoints(ToroDebug.MODEL_ID)) {
            install(b);
        }
        manager.addBreakpointListener(target);
    }

    /** Stops following the breakpoint manager (the target is ending; gdb's breakpoints die with gdb). */
    public void dispose() {
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpointListener(target);
    }

    /**
     * Waits (up to 10 s) until the breakpoint changes made so far are in gdb. Called before the target
     * resumes, so that a breakpoint set while suspended is in place when the kernel runs again.
     */
    public void flush() {
        if (target.isTerminated() || target.session().onEventThread()) {
            return;   // nothing runs any more, or a task on the queue: everything posted before it has run
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        target.session().post(() -> done.complete(null));
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            target.consoleOutput("Breakpoint changes are still pending in gdb: " + e + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns the workspace breakpoint that gdb numbers with the given number text, or null. */
    public synchronized IBreakpoint byGdbNumber(String number) {
        for (Map.Entry<IBreakpoint, Breakpoint> e : installed.entrySet()) {
            if (String.valueOf(e.getValue().number()).equals(number)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Returns gdb's view of breakpoint b (number, address, hardware), or null when gdb does not hold it. */
    public synchronized Breakpoint inGdb(IBreakpoint b) {
        return installed.get(b);
    }

    /** A breakpoint was added to the workspace: insert it in gdb. */
    public void added(IBreakpoint b) {
        post(() -> install(b));
    }

    /** A breakpoint was removed from the workspace: delete it from gdb. */
    public void removed(IBreakpoint b) {
        post(() -> uninstall(b));
    }

    /** A breakpoint changed: follow its enablement, and re-insert it when its hardware kind changed. */
    public void changed(IBreakpoint b) {
        post(() -> {
            Breakpoint g = inGdb(b);
            if (g == null) {
                install(b);
            } else if (b instanceof ToroLineBreakpoint t && t.isHardware() != g.hardware()) {
                uninstall(b);
                install(b);
            } else {
                boolean enabled = isEnabled(b);
                if (enabled != g.enabled()) {
                    gdb(() -> {
                        if (enabled) {
                            target.session().enable(g.number());
                        } else {
                            target.session().disable(g.number());
                        }
                    }, "change breakpoint " + g.number());
                    remember(b, withEnabled(g, enabled));
                }
            }
        });
    }

    private void install(IBreakpoint b) {
        if (!(b instanceof ToroLineBreakpoint t) || b.getMarker() == null || !b.getMarker().exists()) {
            return;
        }
        try {
            String location = t.gdbLocation();
            BreakpointSpec spec = new BreakpointSpec(location, t.isHardware(), false, null);
            boolean enabled = isEnabled(b);
            gdb(() -> {
                Breakpoint g = target.session().insertBreakpoint(spec);
                if (!enabled) {
                    target.session().disable(g.number());
                }
                remember(b, withEnabled(g, enabled));
            }, "set the breakpoint at " + location);
        } catch (CoreException e) {
            target.consoleOutput("Breakpoint ignored, its marker is unreadable: " + e.getMessage() + "\n");
        }
    }

    private void uninstall(IBreakpoint b) {
        Breakpoint g;
        synchronized (this) {
            g = installed.remove(b);
        }
        if (g != null) {
            gdb(() -> target.session().delete(g.number()), "delete breakpoint " + g.number());
        }
    }

    private synchronized void remember(IBreakpoint b, Breakpoint g) {
        installed.put(b, g);
    }

    private static boolean isEnabled(IBreakpoint b) {
        try {
            return b.isEnabled();
        } catch (CoreException e) {
            return false;
        }
    }

    private static Breakpoint withEnabled(Breakpoint g, boolean enabled) {
        return new Breakpoint(g.number(), g.hardware(), g.temporary(), enabled, g.addr(), g.func(), g.file(),
                g.line(), g.condition(), g.hits(), g.location());
    }

    /** Runs a breakpoint command with the target stopped; a refusal is reported on the gdb console. */
    private void gdb(ToroDebugElement.GdbAction action, String what) {
        if (target.isTerminated()) {
            return;
        }
        try {
            target.whileStopped(action);
        } catch (Exception e) {
            target.consoleOutput("Could not " + what + ": " + e.getMessage() + "\n");
        }
    }

    /** Queues r on the session's event thread, in order with gdb's events; dropped once gdb is gone. */
    private void post(Runnable r) {
        target.session().post(r);
    }
}
