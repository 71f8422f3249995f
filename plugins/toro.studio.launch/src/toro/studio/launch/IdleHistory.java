package toro.studio.launch;

import java.util.ArrayList;
import java.util.List;

import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.NetView;

/**
 * The idle statistics of a launch over time, kept for the Idle view: per
 * sample, each core's idle %, the host CPU % of the QEMU process, the
 * halts/s and wake-ups/s of all cores together, and the application's
 * requests/s of all cores (NaN while the kernel shows no network). Bounded: the oldest points go
 * first. Written by the telemetry thread, read by the UI.
 */
public final class IdleHistory {
	/**
	 * One sample: {@code millis} since the launch started; {@code hostCpu} is NaN when unknown, {@code requests}
	 * when the kernel shows no network.
	 */
	public record Point(long millis, double[] idle, double hostCpu, double halts, double wakeups, double requests) {
	}

	/** The number of points kept (ten minutes at 10 Hz). */
	public static final int CAPACITY = 6000;

	private final Point[] ring = new Point[CAPACITY];
	private int next;
	private long count;

	/** Adds a point made from the model's current core and network views ({@code nets} empty: no network). */
	public void record(long millis, List<CoreView> cores, List<NetView> nets, double hostCpu) {
		double[] idle = new double[cores.size()];
		double halts = 0, wakeups = 0;
		for (int i = 0; i < idle.length; i++) {
			CoreView c = cores.get(i);
			idle[i] = c.idlePercent();
			halts += c.haltsPerSec();
			wakeups += c.wakeupsPerSec();
		}
		double requests = nets.isEmpty() ? Double.NaN : 0;
		for (NetView n : nets)
			requests += n.requestsPerSec();
		add(new Point(millis, idle, hostCpu, halts, wakeups, requests));
	}

	/** Adds {@code p}, dropping the oldest point when full. */
	public synchronized void add(Point p) {
		ring[next] = p;
		next = (next + 1) % CAPACITY;
		count++;
	}

	/** The number of points ever added. */
	public synchronized long count() {
		return count;
	}

	/** The last {@code max} points, oldest first. */
	public synchronized List<Point> last(int max) {
		int n = (int) Math.min(Math.min(count, CAPACITY), Math.max(0, max));
		List<Point> out = new ArrayList<>(n);
		for (int i = n; i > 0; i--)
			out.add(ring[Math.floorMod(next - i, CAPACITY)]);
		return out;
	}

	/**
	 * All points kept, as CSV: time_s, idle_cpuN..., host_cpu, halts_per_s, wakeups_per_s, and requests_per_s when
	 * some point has it.
	 */
	public String toCsv() {
		List<Point> points = last(CAPACITY);
		int cores = points.stream().mapToInt(p -> p.idle().length).max().orElse(0);
		StringBuilder b = new StringBuilder("time_s");
		for (int i = 0; i < cores; i++)
			b.append(",idle_cpu").append(i);
		boolean requests = points.stream().anyMatch(p -> !Double.isNaN(p.requests()));
		b.append(",host_cpu_percent,halts_per_s,wakeups_per_s").append(requests ? ",requests_per_s\n" : "\n");
		for (Point p : points) {
			b.append(String.format(java.util.Locale.ROOT, "%.3f", p.millis() / 1000.0));
			for (int i = 0; i < cores; i++)
				b.append(',').append(i < p.idle().length ? fmt(p.idle()[i]) : "");
			b.append(',').append(Double.isNaN(p.hostCpu()) ? "" : fmt(p.hostCpu()));
			b.append(',').append(fmt(p.halts())).append(',').append(fmt(p.wakeups()));
			if (requests)
				b.append(',').append(Double.isNaN(p.requests()) ? "" : fmt(p.requests()));
			b.append('\n');
		}
		return b.toString();
	}

	private static String fmt(double v) {
		return String.format(java.util.Locale.ROOT, "%.2f", v);
	}
}
