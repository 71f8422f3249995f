package toro.studio.telemetry;

/**
 * What a per-core network table shows for one core: its counters now and its rates over the last interval.
 *
 * @param cpu              core index
 * @param rxPacketsPerSec  frames received per second
 * @param txPacketsPerSec  frames sent per second
 * @param requestsPerSec   application requests answered per second
 * @param connections      open TCP connections counted on this core
 * @param totals           the cumulative counters of the latest sample
 */
public record NetView(int cpu, double rxPacketsPerSec, double txPacketsPerSec, double requestsPerSec, int connections,
		NetSample totals) {
}
