package toro.studio.telemetry;

import java.util.List;

/**
 * One telemetry sample: every core, thread and open TCP connection as the boot core saw them at one moment.
 *
 * @param number       the kernel's sample number (+1 per sample)
 * @param tscKhz       the TSC frequency from the last HELLO frame, 0 before one was seen
 * @param netdevs      network devices from the last HELLO frame (0 before one, or in a version-1 stream)
 * @param cores        the CORE frames, in arrival order
 * @param threads      the THREAD frames, in arrival order
 * @param nets         the NET frames, in arrival order (none in a version-1 stream)
 * @param conns        the CONN frames, in arrival order
 * @param connsOmitted TCP slots not CLOSED that the kernel left out of the sample (over its cap)
 * @param interfaces   the network devices from the IFACE frames after the last HELLO
 */
public record Sample(long number, long tscKhz, int netdevs, List<CoreSample> cores, List<ThreadSample> threads,
		List<NetSample> nets, List<ConnSample> conns, int connsOmitted, List<NetInterface> interfaces) {
	public Sample {
		interfaces = List.copyOf(interfaces);
		cores = List.copyOf(cores);
		threads = List.copyOf(threads);
		nets = List.copyOf(nets);
		conns = List.copyOf(conns);
	}

	/** A sample without network data (a version-1 stream, or a read of a kernel that has none). */
	public Sample(long number, long tscKhz, List<CoreSample> cores, List<ThreadSample> threads) {
		this(number, tscKhz, 0, cores, threads, List.of(), List.of(), 0, List.of());
	}

	/**
	 * @return whether the network deserves columns: the kernel has a network device, a counter moved or a TCP slot
	 *         is in use
	 */
	public boolean hasNetwork() {
		return netdevs > 0 || !conns.isEmpty() || connsOmitted > 0 || nets.stream().anyMatch(n -> !n.isZero());
	}
}
