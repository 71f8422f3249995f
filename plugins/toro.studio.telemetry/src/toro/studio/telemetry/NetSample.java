package toro.studio.telemetry;

/**
 * One core's network counters in one sample: a NET frame (the core's {@code toro_net_stats} entry).
 * Counters are cumulative since boot.
 *
 * @param cpu         core index
 * @param tcpOpen     open TCP connections counted on this core
 * @param rxPackets   frames received
 * @param rxBytes     bytes received
 * @param txPackets   frames sent
 * @param txBytes     bytes sent
 * @param rxDrops     received frames dropped
 * @param txDrops     frames not sent
 * @param irqs        device interrupts handled
 * @param retransmits TCP segments sent again
 * @param tcpAccepts  TCP connections accepted
 * @param requests    application requests answered
 */
public record NetSample(int cpu, int tcpOpen, long rxPackets, long rxBytes, long txPackets, long txBytes, long rxDrops,
		long txDrops, long irqs, long retransmits, long tcpAccepts, long requests) {
	/** @return whether every counter is 0 (a kernel that has seen no network traffic). */
	public boolean isZero() {
		return tcpOpen == 0 && (rxPackets | rxBytes | txPackets | txBytes | rxDrops | txDrops | irqs | retransmits | tcpAccepts
				| requests) == 0;
	}
}
