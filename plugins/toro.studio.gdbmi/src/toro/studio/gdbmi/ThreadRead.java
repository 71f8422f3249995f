package toro.studio.gdbmi;

/**
 * One live element of the kernel's {@code toro_threads[]}, read while the target is stopped.
 * {@code state} uses the telemetry wire values (0 free, 1 ready, 2 running, 3 blocked,
 * 4 sleeping, 5 exited); flags bit 0 = polling.
 */
public record ThreadRead(int tid, int cpu, int state, int flags, long cpuCycles, String name) {
}
