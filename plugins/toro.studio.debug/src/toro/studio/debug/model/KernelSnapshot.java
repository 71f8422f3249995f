package toro.studio.debug.model;

import java.util.ArrayList;
import java.util.List;

import toro.studio.gdbmi.CoreStatsRead;
import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.KernelStats;
import toro.studio.gdbmi.ThreadRead;
import toro.studio.telemetry.CoreSample;
import toro.studio.telemetry.CoreState;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.ThreadSample;
import toro.studio.telemetry.ThreadState;

/**
 * The kernel's per-CPU statistics and thread table read through gdb at one stop, by symbol
 * ({@code toro_cpu_stats[]}, {@code toro_threads[]}, {@code tsc_khz}): what the telemetry stream carries while
 * the kernel runs, so the Cores and Idle views show the same model either way.
 *
 * @param cpus one entry per online CPU
 * @param threads the live kernel threads
 * @param tscKhz the kernel's calibrated TSC frequency (0 when unknown)
 * @param error why nothing could be read (an image without the symbols, or a target stopped before kmain set
 *        them up), or null
 */
public record KernelSnapshot(List<CoreStatsRead> cpus, List<ThreadRead> threads, long tscKhz, String error) {

    /** No data: the target runs (or has not stopped yet). */
    public static final KernelSnapshot NONE = new KernelSnapshot(List.of(), List.of(), 0, "the target is running");

    /** Reads the statistics from a stopped session; a failure is kept in {@link #error()}, never thrown. */
    public static KernelSnapshot read(GdbSession session) {
        try {
            List<CoreStatsRead> cpus = KernelStats.readCpuStats(session);
            List<ThreadRead> threads = KernelStats.readThreads(session);
            return new KernelSnapshot(cpus, threads, tscKhz(session), null);
        } catch (GdbException e) {
            return new KernelSnapshot(List.of(), List.of(), 0, e.getMessage());
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
        return new Sample(number, tscKhz, cores, list);
    }
}
