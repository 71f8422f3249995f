package toro.studio.gdbmi;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel's statistics by symbol while the target is stopped: the
 * same model the COM2 telemetry stream carries while it runs.
 */
public final class KernelStats {
	private static final List<String> CPU_FIELDS = List.of("cpu", "apic_id", "state", "current_tid", "ready",
			"busy_cycles", "halted_cycles", "halt_start_tsc", "halts", "wakeups", "ctx_switches", "ipis");
	private static final List<String> THREAD_FIELDS = List.of("tid", "cpu", "state", "flags", "cpu_cycles", "name");
	private static final List<String> NET_FIELDS = List.of("rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_drops",
			"tx_drops", "irqs", "retransmits", "tcp_accepts", "requests", "tcp_open");
	private static final List<String> TCP_FIELDS = List.of("state", "cpu", "laddr", "raddr", "lport", "rport", "rx_bytes",
			"tx_bytes");

	private KernelStats() {
	}

	/**
	 * @return {@code toro_cpu_stats[0..toro_ncpus)}
	 * @throws GdbException if the image lacks the symbols
	 */
	public static List<CoreStatsRead> readCpuStats(GdbSession s) {
		int n;
		try {
			n = (int) StructArray.number(s, "toro_ncpus");
		} catch (MiError e) {
			throw new GdbException("cannot read toro_ncpus from the kernel: " + e.gdbMessage(), e);
		}
		StructArray a = new StructArray(s, "toro_cpu_stats", CPU_FIELDS);
		List<CoreStatsRead> list = new ArrayList<>();
		for (int i = 0; i < Math.min(n, a.count()); i++)
			list.add(new CoreStatsRead((int) a.get(i, "cpu"), (int) a.get(i, "apic_id"), (int) a.get(i, "state"),
					(int) a.get(i, "current_tid"), (int) a.get(i, "ready"), a.get(i, "busy_cycles"),
					a.get(i, "halted_cycles"), a.get(i, "halt_start_tsc"), a.get(i, "halts"), a.get(i, "wakeups"),
					a.get(i, "ctx_switches"), a.get(i, "ipis")));
		return list;
	}

	/**
	 * @return {@code toro_net_stats[0..toro_ncpus)}
	 * @throws GdbException if the image lacks the symbols (a kernel older than the network counters)
	 */
	public static List<NetStatsRead> readNetStats(GdbSession s) {
		int n;
		try {
			n = (int) StructArray.number(s, "toro_ncpus");
		} catch (MiError e) {
			throw new GdbException("cannot read toro_ncpus from the kernel: " + e.gdbMessage(), e);
		}
		StructArray a = new StructArray(s, "toro_net_stats", NET_FIELDS);
		List<NetStatsRead> list = new ArrayList<>();
		for (int i = 0; i < Math.min(n, a.count()); i++)
			list.add(new NetStatsRead(i, (int) a.get(i, "tcp_open"), a.get(i, "rx_packets"), a.get(i, "rx_bytes"),
					a.get(i, "tx_packets"), a.get(i, "tx_bytes"), a.get(i, "rx_drops"), a.get(i, "tx_drops"), a.get(i, "irqs"),
					a.get(i, "retransmits"), a.get(i, "tcp_accepts"), a.get(i, "requests")));
		return list;
	}

	/**
	 * @return the used slots of {@code toro_tcp_conns[]} (state not TCPS_CLOSED, 0), in slot order
	 * @throws GdbException if the image lacks the symbol
	 */
	public static List<TcpConnRead> readTcpConns(GdbSession s) {
		StructArray a = new StructArray(s, "toro_tcp_conns", TCP_FIELDS);
		List<TcpConnRead> list = new ArrayList<>();
		for (int i = 0; i < a.count(); i++)
			if (a.get(i, "state") != 0)
				list.add(new TcpConnRead(i, (int) a.get(i, "state"), (int) a.get(i, "cpu"), (int) a.get(i, "laddr"),
						(int) a.get(i, "raddr"), (int) a.get(i, "lport"), (int) a.get(i, "rport"), a.get(i, "rx_bytes"),
						a.get(i, "tx_bytes")));
		return list;
	}

	/**
	 * @return the used slots of {@code toro_threads[]} (tid not 0)
	 * @throws GdbException if the image lacks the symbol
	 */
	public static List<ThreadRead> readThreads(GdbSession s) {
		StructArray a = new StructArray(s, "toro_threads", THREAD_FIELDS);
		List<ThreadRead> list = new ArrayList<>();
		for (int i = 0; i < a.count(); i++)
			if (a.get(i, "tid") != 0)
				list.add(new ThreadRead((int) a.get(i, "tid"), (int) a.get(i, "cpu"), (int) a.get(i, "state"),
						(int) a.get(i, "flags"), a.get(i, "cpu_cycles"), a.text(i, "name")));
		return list;
	}
}
