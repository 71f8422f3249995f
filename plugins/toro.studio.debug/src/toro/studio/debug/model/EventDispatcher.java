package toro.studio.debug.model;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.debug.core.DebugEvent;

import toro.studio.gdbmi.GdbListener;
import toro.studio.gdbmi.StopEvent;

/**
 * The one place where gdb's events become Debug Platform events. gdb's listener callbacks are queued onto
 * one thread of our own (so that handling a stop may itself ask gdb for threads and statistics without
 * blocking gdb's reader) and applied to the target in arrival order.
 */
final class EventDispatcher implements GdbListener {

    private final ToroDebugTarget target;
    private final ExecutorService queue;
    /** Stops that the model caused for itself (to insert a breakpoint while running) and hides from the user. */
    private final AtomicInteger internalStops = new AtomicInteger();

    EventDispatcher(ToroDebugTarget target) {
        this.target = target;
        this.queue = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "Toro gdb events: " + target.getName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Announces that the next stop is the model's own interrupt, not to be shown as a suspension. */
    void expectInternalStop() {
        internalStops.incrementAndGet();
    }

    /**
     * A stop is hidden only when it is the SIGINT the model asked for. Any other stop that arrives while one
     * is expected (a breakpoint hit racing the interrupt) is the user's: it is shown, and it stands for the
     * expected one, which will not come (an interrupt of a stopped target does nothing).
     */
    @Override
    public void stopped(StopEvent e) {
        post(() -> {
            if (internalStops.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && isModelInterrupt(e)) {
                return;
            }
            String reason = e.reason() == null ? "" : e.reason();
            if (reason.startsWith("exited")) {
                target.shutDown("the guest exited (" + reason + ")");
            } else {
                target.stopped(e, detailOf(reason));
            }
        });
    }

    @Override
    public void running(int threadIdOrAll) {
        post(() -> target.resumed(DebugEvent.CLIENT_REQUEST));
    }

    @Override
    public void exited(String why) {
        post(() -> target.shutDown("gdb ended: " + why));
    }

    @Override
    public void output(char stream, String text) {
        post(() -> target.consoleOutput(text));
    }

    /** Returns whether e is the stop an -exec-interrupt causes: signal-received, SIGINT. */
    static boolean isModelInterrupt(StopEvent e) {
        return "signal-received".equals(e.reason()) && "SIGINT".equals(e.fields().get("signal-name"));
    }

    /** Ends the launch because a process it depends on (QEMU) is gone; why is shown on the gdb console. */
    void processGone(String why) {
        post(() -> target.shutDown(why));
    }

    /** Stops dispatching once the events already queued are handled. */
    void dispose() {
        queue.shutdown();
    }

    private void post(Runnable r) {
        try {
            queue.execute(r);
        } catch (RejectedExecutionException e) {
            // the target is terminated: late events of a dead session have nothing left to change
        }
    }

    /** Maps gdb's stop reason to the detail of the Debug Platform's suspend event. */
    static int detailOf(String reason) {
        return switch (reason) {
            case "breakpoint-hit", "watchpoint-trigger", "read-watchpoint-trigger", "access-watchpoint-trigger" ->
                DebugEvent.BREAKPOINT;
            case "end-stepping-range", "function-finished", "location-reached" -> DebugEvent.STEP_END;
            case "signal-received" -> DebugEvent.CLIENT_REQUEST;
            default -> DebugEvent.UNSPECIFIED;
        };
    }
}
