package toro.studio.telemetry;

/** A thread's state as the kernel reports it (wire values 0..5, in this order). */
public enum ThreadState {
	FREE, READY, RUNNING, BLOCKED, SLEEPING, EXITED;

	private static final ThreadState[] WIRE = values();

	/** @return the state for wire value {@code v}, or null when the value is unknown. */
	public static ThreadState ofWire(int v) {
		return v >= 0 && v < WIRE.length ? WIRE[v] : null;
	}
}
