package toro.studio.telemetry;

/**
 * One core in one sample: a CORE frame. Counters are cumulative since boot, in TSC cycles or events.
 *
 * @param cpu            core index (0 = boot core)
 * @param state          scheduler state
 * @param currentTid     running thread id, 0 for none
 * @param ready          ready-queue length
 * @param tsc            TSC when the sample was taken
 * @param busyCycles     cycles not halted
 * @param haltedCycles   cycles halted, the current halt included
 * @param halts          times it halted
 * @param wakeups        times it woke up
 * @param contextSwitches thread switches
 * @param ipis           inter-processor interrupts received
 */
public record CoreSample(int cpu, CoreState state, int currentTid, int ready, long tsc, long busyCycles, long haltedCycles,
		long halts, long wakeups, long contextSwitches, long ipis) {
}
