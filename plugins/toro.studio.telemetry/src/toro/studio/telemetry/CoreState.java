package toro.studio.telemetry;

/** A core's scheduler state as the kernel reports it (wire values 0..4, in this order). */
public enum CoreState {
	/** Not started, or stopped. */
	OFFLINE,
	/** Running a thread. */
	RUNNING,
	/** Halted: nothing is ready. */
	IDLE,
	/** Halted: every runnable thread declared that it only polls. */
	POLLING,
	/** Spinning instead of halting ({@code idle=poll}). */
	SPINNING;

	private static final CoreState[] WIRE = values();

	/** @return the state for wire value {@code v}, or null when the value is unknown. */
	public static CoreState ofWire(int v) {
		return v >= 0 && v < WIRE.length ? WIRE[v] : null;
	}
}
