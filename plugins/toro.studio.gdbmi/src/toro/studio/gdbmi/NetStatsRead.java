package toro.studio.gdbmi;

/**
 * One element of the kernel's {@code toro_net_stats[]} (the network counters of core {@code cpu}), read while the
 * target is stopped. Field meanings are those of the NET frame in kernel-src/docs/telemetry.md.
 */
public record NetStatsRead(int cpu, int tcpOpen, long rxPackets, long rxBytes, long txPackets, long txBytes, long rxDrops,
		long txDrops, long irqs, long retransmits, long tcpAccepts, long requests) {
}
