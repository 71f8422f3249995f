package toro.studio.gdbmi;

/**
 * One element of the kernel's {@code toro_cpu_stats[]}, read while the target is stopped.
 * Field meanings are those of kernel-src/docs/telemetry.md; {@code state} uses the
 * telemetry wire values (0 offline, 1 running, 2 idle, 3 polling, 4 spinning).
 */
public record CoreStatsRead(int cpu, int apicId, int state, int currentTid, int ready, long busyCycles,
		long haltedCycles, long haltStartTsc, long halts, long wakeups, long contextSwitches, long ipis) {
}
