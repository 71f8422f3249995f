package toro.studio.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The per-core model behind {@code toro top} and the Cores/Idle/Network views: the latest sample
 * of each core and its rates against the previous one (time from the TSC delta and the HELLO
 * frame's TSC frequency), each core's network counters and rates, and the open TCP connections. Thread-safe; listeners run on the thread that calls {@link #accept}.
 */
public final class CoreModel {
	private final Map<Integer, CoreSample> previous = new HashMap<>();
	private final Map<Integer, CoreView> views = new TreeMap<>();
	private final Map<Integer, NetView> netViews = new TreeMap<>();
	private Sample previousSample;
	private List<ThreadSample> threads = List.of();
	private Sample last;
	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	/** Takes one sample into the model, then tells the listeners. */
	public void accept(Sample s) {
		synchronized (this) {
			Map<Integer, String> names = names(s);
			for (CoreSample c : s.cores()) {
				views.put(c.cpu(), view(previous.get(c.cpu()), c, s.tscKhz(), names));
				previous.put(c.cpu(), c);
			}
			for (NetView n : netViews(previousSample, s))
				netViews.put(n.cpu(), n);
			threads = s.threads();
			previousSample = s;
			last = s;
		}
		for (Runnable l : listeners)
			l.run();
	}

	/**
	 * @return the views of {@code to}'s cores with rates over the interval since {@code from}
	 *         (null or a core missing from it: no rates, idle since boot), e.g. over a one-second
	 *         display period rather than between two consecutive samples
	 */
	public static List<CoreView> views(Sample from, Sample to) {
		Map<Integer, CoreSample> before = new HashMap<>();
		if (from != null)
			for (CoreSample c : from.cores())
				before.put(c.cpu(), c);
		Map<Integer, String> names = names(to);
		Map<Integer, CoreView> out = new TreeMap<>();
		for (CoreSample c : to.cores())
			out.put(c.cpu(), view(before.get(c.cpu()), c, to.tscKhz(), names));
		return new ArrayList<>(out.values());
	}

	/**
	 * @return the network views of {@code to}'s cores with rates over the interval since {@code from} (null, or a
	 *         core missing from it: no rates), timed by each core's CORE frame TSC in both samples
	 */
	public static List<NetView> netViews(Sample from, Sample to) {
		Map<Integer, NetSample> before = new HashMap<>();
		Map<Integer, CoreSample> coreBefore = new HashMap<>();
		if (from != null) {
			for (NetSample n : from.nets())
				before.put(n.cpu(), n);
			for (CoreSample c : from.cores())
				coreBefore.put(c.cpu(), c);
		}
		Map<Integer, CoreSample> coreNow = new HashMap<>();
		for (CoreSample c : to.cores())
			coreNow.put(c.cpu(), c);
		Map<Integer, NetView> out = new TreeMap<>();
		for (NetSample n : to.nets()) {
			NetSample p = before.get(n.cpu());
			CoreSample c0 = coreBefore.get(n.cpu()), c1 = coreNow.get(n.cpu());
			double seconds = p == null || c0 == null || c1 == null || to.tscKhz() <= 0 ? 0
					: (c1.tsc() - c0.tsc()) / (to.tscKhz() * 1000.0);
			if (seconds <= 0)
				out.put(n.cpu(), new NetView(n.cpu(), 0, 0, 0, n.tcpOpen(), n));
			else
				out.put(n.cpu(), new NetView(n.cpu(), (n.rxPackets() - p.rxPackets()) / seconds, (n.txPackets() - p.txPackets()) / seconds,
						(n.requests() - p.requests()) / seconds, n.tcpOpen(), n));
		}
		return new ArrayList<>(out.values());
	}

	private static Map<Integer, String> names(Sample s) {
		Map<Integer, String> names = new HashMap<>();
		for (ThreadSample t : s.threads())
			names.put(t.tid(), t.name());
		return names;
	}

	/** @return the view of {@code c}, rated against {@code p} (null: no rates, idle since boot). */
	private static CoreView view(CoreSample p, CoreSample c, long tscKhz, Map<Integer, String> names) {
		double seconds = p == null || tscKhz <= 0 ? 0 : (c.tsc() - p.tsc()) / (tscKhz * 1000.0);
		double busy = c.busyCycles() - (p == null ? 0 : p.busyCycles());
		double halted = c.haltedCycles() - (p == null ? 0 : p.haltedCycles());
		if (busy + halted <= 0) { // the same sample twice: no interval, so the share since boot
			busy = c.busyCycles();
			halted = c.haltedCycles();
		}
		double idle = busy + halted > 0 ? 100.0 * halted / (busy + halted) : 0;
		String name = c.currentTid() == 0 ? "" : names.getOrDefault(c.currentTid(), "");
		if (seconds <= 0)
			return new CoreView(c.cpu(), c.state(), c.currentTid(), name, c.ready(), 0, 0, 0, idle);
		return new CoreView(c.cpu(), c.state(), c.currentTid(), name, c.ready(), (c.contextSwitches() - p.contextSwitches()) / seconds,
				(c.halts() - p.halts()) / seconds, (c.wakeups() - p.wakeups()) / seconds, idle);
	}

	/** @return one view per core seen so far, by core index. */
	public synchronized List<CoreView> cores() {
		return new ArrayList<>(views.values());
	}

	/** @return one network view per core seen so far, by core index (none from a version-1 stream). */
	public synchronized List<NetView> net() {
		return new ArrayList<>(netViews.values());
	}

	/** @return the open TCP connections of the latest sample. */
	public synchronized List<ConnSample> connections() {
		return last == null ? List.of() : last.conns();
	}

	/** @return whether the latest sample shows a network (see {@link Sample#hasNetwork()}). */
	public synchronized boolean hasNetwork() {
		return last != null && last.hasNetwork();
	}

	/** @return the threads of the latest sample. */
	public synchronized List<ThreadSample> threads() {
		return threads;
	}

	/** @return the latest sample, or null before the first. */
	public synchronized Sample last() {
		return last;
	}

	/** Calls {@code onChange} after every accepted sample. */
	public void addListener(Runnable onChange) {
		listeners.add(onChange);
	}

	/** Removes a listener added by {@link #addListener}. */
	public void removeListener(Runnable onChange) {
		listeners.remove(onChange);
	}
}
