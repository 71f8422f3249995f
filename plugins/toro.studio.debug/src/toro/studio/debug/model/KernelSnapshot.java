package toro.studio.debug.model;

import java.util.ArrayList;
import java.util.List;

import toro.studio.gdbmi.CoreStatsRead;
import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.KernelStats;
import toro.studio.gdbmi.NetStatsRead;
import toro.studio.gdbmi.TcpConnRead;
import toro.studio.gdbmi.ThreadRead;
import toro.studio.telemetry.ConnSample;
import toro.studio.telemetry.CoreSample;
import toro.studio.telemetry.CoreState;
import toro.studio.telemetry.NetSample;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.TcpState;
import toro.studio.telemetry.ThreadSample;
import toro.studio.telemetry.ThreadState;

/**
 * The kernel's per-CPU statistics, thread table, network counters and TCP slots read through gdb at one stop,
 * by symbol ({@code toro_cpu_stats[]}, {@code toro_threads[]}, {@code toro_net_stats[]}, {@code toro_tcp_conns[]},
 * {@code tsc_khz}): what the telemetry stream carries while the kernel runs, so the Cores, Idle and Network views
 * show the same model either way.
 *
 * @param cpus one entry per online CPU
 * @param threads the live kernel threads
 * @param nets the network counters, one entry per online CPU (none in an image without them)
 * @param conns the TCP slots not CLOSED
 * @param netdevs the network devices registered (netdev.c's ndevs; 0 when unknown)
 * @param tscKhz the kernel's calibrated TSC frequency (0 when unknown)
 * @param error why nothing could be read (an image without the symbols, or a target stopped before kmain set
 *        them up), or null
 */
public record KernelSnapshot(List<CoreStatsRead> cpus, List<ThreadRead> threads, List<NetStatsRead> nets,
        List<TcpConnRead> conns, int netdevs, long tscKhz, String error) {

    /** No data: the target runs (or has not stopped yet). */
    public static final KernelSnapshot NONE = new KernelSnapshot(List.of(), List.of(), List.of(), List.of(), 0, 0,
            "the target is running");

    /** Reads the statistics from a stopped session; a failure is kept in {@link #error()}, never thrown. */
    public static KernelSnapshot read(GdbSession session) {
        try {
            List<CoreStatsRead> cpus = KernelStats.readCpuStats(session);
            List<ThreadRead> threads = KernelStats.readThreads(session);
            List<NetStatsRead> nets = List.of();
            List<TcpConnRead> conns = List.of();
            try {
                nets = KernelStats.readNetStats(session);
                conns = KernelStats.readTcpConns(session);
            } catch (GdbException e) {
                // an image from before the network counters: the scheduler's statistics are still whole
            }
            return new KernelSnapshot(cpus, threads, nets, conns, netdevs(session), tscKhz(session), null);
        } catch (GdbException e) {
            return new KernelSnapshot(List.of(), List.of(), List.of(), List.of(), 0, 0, e.getMessage());
        }
    }

    /** The device count is netdev.c's private ndevs: read by its file-scoped name, 0 when the image has none. */
    private static int netdevs(GdbSession session) {
        try {
            return Integer.parseInt(session.evaluate("'netdev.c'::ndevs").trim());
        } catch (GdbException | NumberFormatException e) {
            return 0;
        }
    }

    private static long tscKhz(GdbSession session) {
        try {
            return Long.parseLong(session.evaluate("tsc_khz").trim());
        } catch (GdbException | NumberFormatException e) {
            return 0; // rates need it; states and counters do not
        }
    }

    /**
     * Returns what CPU core runs at this stop: "name (tid N)", "no thread" when it runs none (boot code,
     * the idle loop, an interrupt), or null when the statistics were not read.
     */
    public String threadOnCore(int core) {
        for (CoreStatsRead c : cpus) {
            if (c.cpu() == core) {
                if (c.currentTid() == 0) {
                    return "no thread";
                }
                for (ThreadRead t : threads) {
                    if (t.tid() == c.currentTid()) {
                        return t.name() + " (tid " + t.tid() + ")";
                    }
                }
                return "tid " + c.currentTid();
            }
        }
        return null;
    }

    /**
     * Returns the snapshot as a telemetry sample numbered number. A stopped guest has no "now" on its TSC,
     * so each core's sample time is its accounted cycles (busy + halted): rates between two stops are then
     * per accounted second, and idle% is exact.
     */
    public Sample toSample(long number) {
        List<CoreSample> cores = new ArrayList<>();
        for (CoreStatsRead c : cpus) {
            CoreState state = CoreState.ofWire(c.state());
            cores.add(new CoreSample(c.cpu(), state == null ? CoreState.OFFLINE : state, c.currentTid(), c.ready(),
                    c.busyCycles() + c.haltedCycles(), c.busyCycles(), c.haltedCycles(), c.halts(), c.wakeups(),
                    c.contextSwitches(), c.ipis()));
        }
        List<ThreadSample> list = new ArrayList<>();
        for (ThreadRead t : threads) {
            ThreadState state = ThreadState.ofWire(t.state());
            list.add(new ThreadSample(t.tid(), t.cpu(), state == null ? ThreadState.FREE : state, (t.flags() & 1) != 0,
                    t.cpuCycles(), t.name()));
        }
        List<NetSample> netList = new ArrayList<>();
        for (NetStatsRead n : nets) {
            netList.add(new NetSample(n.cpu(), n.tcpOpen(), n.rxPackets(), n.rxBytes(), n.txPackets(), n.txBytes(), n.rxDrops(),
                    n.txDrops(), n.irqs(), n.retransmits(), n.tcpAccepts(), n.requests()));
        }
        List<ConnSample> connList = new ArrayList<>();
        for (TcpConnRead c : conns) {
            TcpState state = TcpState.ofWire(c.state());
            if (state != null) { // a slot being written with a value past TIME_WAIT is not a connection yet
                connList.add(new ConnSample(c.slot(), state, c.cpu(), c.localAddress(), c.remoteAddress(), c.localPort(),
                        c.remotePort(), c.rxBytes(), c.txBytes()));
            }
        }
        // the device table is netdev.c's array of pointers, which StructArray does not read: the count only
        return new Sample(number, tscKhz, netdevs, cores, list, netList, connList, 0, List.of());
    }
}
