package toro.studio.telemetry;

/**
 * One live thread in one sample: a THREAD frame.
 *
 * @param tid       thread id
 * @param cpu       the core it is pinned to
 * @param state     its state
 * @param polling   whether it declared itself a poller (polling API)
 * @param cpuCycles TSC cycles it has run
 * @param name      its name
 */
public record ThreadSample(int tid, int cpu, ThreadState state, boolean polling, long cpuCycles, String name) {
}
