package toro.studio.debug.model;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.debug.core.DebugEvent;

import toro.studio.gdbmi.GdbListener;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.StopEvent;

/**
 * The one place where gdb's events become Debug Platform events. Its callbacks run on the gdb session's
 * event thread, the model's only thread: gdb's reader never waits for it, so handling a stop may itself ask
 * gdb for threads and statistics, and the breakpoint synchroniser queues its work on the same thread
 * ({@link GdbSession#post}), so events and breakpoint changes are applied to the target in one order.
 */
final class EventDispatcher implements GdbListener {

    private final ToroDebugTarget target;
    /** Stops that the model caused for itself (to insert a breakpoint while running) and hides from the user. */
    private final AtomicInteger internalStops = new AtomicInteger();

    EventDispatcher(ToroDebugTarget target) {
        this.target = target;
    }

    /** Announces that the next stop is the model's own interrupt, not to be shown as a suspension. */
    void expectInternalStop() {
        internalStops.incrementAndGet();
    }

    /**
     * A stop is hidden only when it is the SIGINT the model asked for. Any other stop that arrives while one
     * is expected (a breakpoint hit racing the interrupt) is the user's: it is shown, and it stands for the
     * expected one, which will not come (an interrupt of a stopped target does nothing). The guest's exit
     * never arrives here: the session reports it as {@link #exited}.
     */
    @Override
    public void stopped(StopEvent e) {
        if (internalStops.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && isModelInterrupt(e)) {
            return;
        }
        target.stopped(e, detailOf(e.reason() == null ? "" : e.reason()));
    }

    @Override
    public void running(int threadIdOrAll) {
        target.resumed(DebugEvent.CLIENT_REQUEST);
    }

    @Override
    public void exited(String why) {
        target.shutDown("gdb ended: " + why);
    }

    @Override
    public void output(char stream, String text) {
        target.consoleOutput(text);
    }

    /** Returns whether e is the stop an -exec-interrupt causes: signal-received, SIGINT. */
    static boolean isModelInterrupt(StopEvent e) {
        return "signal-received".equals(e.reason()) && "SIGINT".equals(e.fields().get("signal-name"));
    }

    /** Ends the launch, in order with gdb's events, because a process it depends on (QEMU) is gone. */
    void processGone(String why) {
        target.session().post(() -> target.shutDown(why));
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
