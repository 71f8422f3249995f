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
 *
 * It also keeps the stress windows of the launch (a load generator running against the guest,
 * {@link #beginStress}), on the same clock as the points, so that a chart can shade them behind the
 * host-CPU line: the seed's stress-then-idle pattern, seen live.
 */
public final class IdleHistory {
	/**
	 * One sample: {@code millis} since the launch started; {@code hostCpu} is NaN when unknown, {@code requests}
	 * when the kernel shows no network.
	 */
	public record Point(long millis, double[] idle, double hostCpu, double halts, double wakeups, double requests) {
	}

	/**
	 * A stress window: {@code startMillis} and {@code endMillis} on the points' clock ({@code endMillis}
	 * is {@link Long#MAX_VALUE} while the load still runs); {@code label} says what ran, e.g.
	 * "wrk -c 16, 10 s".
	 */
	public record Window(long startMillis, long endMillis, String label) {
		/** Whether the load still runs. */
		public boolean open() {
			return endMillis == Long.MAX_VALUE;
		}
	}

	/** The number of points kept (ten minutes at 10 Hz). */
	public static final int CAPACITY = 6000;
	/** The number of stress windows kept; older ones have left the points' span long before. */
	public static final int WINDOWS = 64;

	private final long originNanos;
	private final Point[] ring = new Point[CAPACITY];
	private final List<Window> windows = new ArrayList<>();
	private int next;
	private long count;

	/** A history whose clock starts now. */
	public IdleHistory() {
		this(System.nanoTime());
	}

	/** A history whose clock (the points' {@code millis}) starts at {@code originNanos} of {@link System#nanoTime}. */
	public IdleHistory(long originNanos) {
		this.originNanos = originNanos;
	}

	/** Now, in milliseconds on this history's clock. */
	public long millisNow() {
		return (System.nanoTime() - originNanos) / 1_000_000;
	}

	/** Opens a stress window that starts now; end it with {@link #endStress}. */
	public synchronized Window beginStress(String label) {
		Window w = new Window(millisNow(), Long.MAX_VALUE, label);
		if (windows.size() == WINDOWS)
			windows.remove(0);
		windows.add(w);
		return w;
	}

	/**
	 * Closes {@code w}, opened by {@link #beginStress}, now, and returns the closed window; closing it
	 * again changes nothing (and returns {@code w}).
	 */
	public synchronized Window endStress(Window w) {
		int i = windows.indexOf(w);
		if (i < 0 || !w.open())
			return w;
		Window closed = new Window(w.startMillis(), millisNow(), w.label());
		windows.set(i, closed);
		return closed;
	}

	/** The stress windows, oldest first. */
	public synchronized List<Window> windows() {
		return List.copyOf(windows);
	}

	/** Whether {@code millis} falls in one of {@code windows} (an open window reaches every later time). */
	public static boolean stressed(List<Window> windows, long millis) {
		for (Window w : windows)
			if (millis >= w.startMillis() && millis <= w.endMillis())
				return true;
		return false;
	}

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
	 * All points kept, as CSV: time_s, idle_cpuN..., host_cpu, halts_per_s, wakeups_per_s, requests_per_s when
	 * some point has it, and stress (1 inside a stress window, else 0) when there has been one.
	 */
	public String toCsv() {
		List<Point> points = last(CAPACITY);
		List<Window> stress = windows();
		int cores = points.stream().mapToInt(p -> p.idle().length).max().orElse(0);
		StringBuilder b = new StringBuilder("time_s");
		for (int i = 0; i < cores; i++)
			b.append(",idle_cpu").append(i);
		boolean requests = points.stream().anyMatch(p -> !Double.isNaN(p.requests()));
		b.append(",host_cpu_percent,halts_per_s,wakeups_per_s").append(requests ? ",requests_per_s" : "")
				.append(stress.isEmpty() ? "\n" : ",stress\n");
		for (Point p : points) {
			b.append(String.format(java.util.Locale.ROOT, "%.3f", p.millis() / 1000.0));
			for (int i = 0; i < cores; i++)
				b.append(',').append(i < p.idle().length ? fmt(p.idle()[i]) : "");
			b.append(',').append(Double.isNaN(p.hostCpu()) ? "" : fmt(p.hostCpu()));
			b.append(',').append(fmt(p.halts())).append(',').append(fmt(p.wakeups()));
			if (requests)
				b.append(',').append(Double.isNaN(p.requests()) ? "" : fmt(p.requests()));
			if (!stress.isEmpty())
				b.append(',').append(stressed(stress, p.millis()) ? '1' : '0');
			b.append('\n');
		}
		return b.toString();
	}

	private static String fmt(double v) {
		return String.format(java.util.Locale.ROOT, "%.2f", v);
	}
}
