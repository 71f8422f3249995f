package toro.studio.telemetry;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host CPU a process uses, as top shows it: percent of one host core (two busy cores = 200),
 * from utime+stime in /proc/PID/stat and /proc/PID/task/TID/stat. Each call reports the interval
 * since the previous call (since construction for the first).
 */
public final class HostCpuSampler {
	/** /proc counts CPU time in USER_HZ ticks, 100 per second on Linux's x86 ABI. */
	static final double TICKS_PER_SECOND = 100.0;

	private final long pid;
	private long lastTotal;
	private long lastTotalNanos;
	private final Map<Long, Long> lastThread = new HashMap<>();
	private long lastThreadNanos;

	/** Starts measuring process {@code pid} now. */
	public HostCpuSampler(long pid) {
		this.pid = pid;
		lastTotal = ticks(Path.of("/proc", Long.toString(pid), "stat"));
		lastTotalNanos = System.nanoTime();
		lastThreadNanos = lastTotalNanos;
		threadTicks().forEach(lastThread::put);
	}

	/** @return the process's CPU percent since the previous call, NaN once it has exited. */
	public synchronized double sampleTotalPercent() {
		long t = ticks(Path.of("/proc", Long.toString(pid), "stat"));
		long now = System.nanoTime();
		if (t < 0)
			return Double.NaN;
		double pct = percent(t - lastTotal, now - lastTotalNanos);
		lastTotal = t;
		lastTotalNanos = now;
		return pct;
	}

	/**
	 * @return CPU percent per thread id since the previous call (threads that appeared meanwhile
	 *         count from 0 ticks); empty once the process has exited
	 */
	public synchronized Map<Long, Double> samplePerThread() {
		Map<Long, Long> now = threadTicks();
		long nanos = System.nanoTime();
		Map<Long, Double> pct = new TreeMap<>();
		now.forEach((tid, t) -> pct.put(tid, percent(t - lastThread.getOrDefault(tid, 0L), nanos - lastThreadNanos)));
		lastThread.clear();
		lastThread.putAll(now);
		lastThreadNanos = nanos;
		return pct;
	}

	private static double percent(long ticks, long nanos) {
		return nanos <= 0 ? 0 : 100.0 * (ticks / TICKS_PER_SECOND) / (nanos / 1e9);
	}

	private Map<Long, Long> threadTicks() {
		Map<Long, Long> m = new HashMap<>();
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : ds) {
				long t = ticks(task.resolve("stat"));
				if (t >= 0)
					m.put(Long.parseLong(task.getFileName().toString()), t);
			}
		} catch (IOException | NumberFormatException e) {
			// the process has exited: no threads
		}
		return m;
	}

	/** @return utime + stime from a stat file, or -1 when it cannot be read. */
	static long ticks(Path stat) {
		try {
			return parseTicks(Files.readString(stat));
		} catch (IOException e) {
			return -1;
		}
	}

	/**
	 * @return utime + stime (fields 14 and 15) of one /proc stat line; the command name in
	 *         parentheses may hold spaces and parentheses, so fields count from its last ')'
	 */
	static long parseTicks(String line) {
		int close = line.lastIndexOf(')');
		if (close < 0)
			return -1;
		String[] f = line.substring(close + 2).trim().split(" +");
		// f[0] is field 3 (state): utime is field 14 -> f[11], stime field 15 -> f[12]
		if (f.length < 13)
			return -1;
		try {
			return Long.parseLong(f[11]) + Long.parseLong(f[12]);
		} catch (NumberFormatException e) {
			return -1;
		}
	}
}
