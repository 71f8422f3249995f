package toro.studio.gdbmi;

import java.time.Duration;

/**
 * The run-state machine. Fed only from the reader thread, in record order:
 * {@code ^running} and {@code *running} (which may repeat) enter RUNNING,
 * {@code *stopped} (with or without a reason) enters STOPPED, the loss of the
 * target enters DISCONNECTED and the end of gdb enters EXITED, both final.
 * The {@code (gdb)} prompt plays no part.
 *
 * <p>Stops are counted. {@code ^running} records the count at that moment, so
 * {@link #waitForStop} waits for the first stop after the last resume even when
 * that stop was read before the caller started waiting.
 */
final class RunTracker {
	private RunState state = RunState.DISCONNECTED;
	private long stops;
	private long resumeMark;
	private StopEvent last;
	private String endReason;

	synchronized RunState state() {
		return state;
	}

	/** {@code ^running}: a resume command was accepted. */
	synchronized void resumed() {
		if (isFinal())
			return;
		state = RunState.RUNNING;
		resumeMark = stops;
	}

	/** {@code *running}: the target runs (repeats are harmless). */
	synchronized void running() {
		if (!isFinal())
			state = RunState.RUNNING;
	}

	/** {@code *stopped}. */
	synchronized void stopped(StopEvent e) {
		if (isFinal())
			return;
		state = RunState.STOPPED;
		last = e;
		stops++;
		notifyAll();
	}

	/** The target went away, or gdb ended: no more stops will come. */
	synchronized void ended(RunState finalState, String why) {
		if (isFinal())
			return;
		state = finalState;
		endReason = why;
		notifyAll();
	}

	/** @return why the session ended, or null while it lives. */
	synchronized String endReason() {
		return endReason;
	}

	private boolean isFinal() {
		return endReason != null;
	}

	/**
	 * Waits for the first stop after the last resume (or returns the current stop
	 * if the target has not been resumed since).
	 *
	 * @throws GdbException on timeout (the target is still running), or if the session ended
	 */
	synchronized StopEvent waitForStop(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (stops <= resumeMark || state == RunState.RUNNING) {
			if (endReason != null)
				throw new GdbException("the target will not stop: " + endReason);
			long left = deadline - System.nanoTime();
			if (left <= 0)
				throw new GdbException("the target did not stop within " + timeout.toMillis()
						+ " ms; it is still " + state.name().toLowerCase() + " (interrupt it to stop it)");
			try {
				wait(Math.max(1, left / 1_000_000));
			} catch (InterruptedException ie) {
				Thread.currentThread().interrupt();
				throw new GdbException("interrupted while waiting for the target to stop");
			}
		}
		if (last == null)
			throw new GdbException("the target has not stopped yet");
		return last;
	}
}
