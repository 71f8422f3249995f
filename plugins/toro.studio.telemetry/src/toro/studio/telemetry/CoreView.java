package toro.studio.telemetry;

/**
 * What a per-core table shows for one core: its state now and its rates over the last interval.
 *
 * @param cpu                  core index
 * @param state                scheduler state
 * @param currentTid           running thread id, 0 for none
 * @param currentThread        its name, "" for none or unknown
 * @param ready                ready-queue length
 * @param contextSwitchesPerSec thread switches per second
 * @param haltsPerSec          halts per second
 * @param wakeupsPerSec        wake-ups per second
 * @param idlePercent          halted share of the interval, 0..100 (since boot on the first sample)
 */
public record CoreView(int cpu, CoreState state, int currentTid, String currentThread, int ready, double contextSwitchesPerSec,
		double haltsPerSec, double wakeupsPerSec, double idlePercent) {
}
