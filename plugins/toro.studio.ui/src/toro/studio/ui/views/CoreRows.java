package toro.studio.ui.views;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.NetView;
import toro.studio.telemetry.ThreadSample;

/**
 * One refresh of the Cores view: the cores, their threads grouped by core, each core's network
 * rates (empty when the kernel shows no network: the network cells stay blank), and the cells' text.
 */
record CoreRows(List<CoreView> cores, Map<Integer, List<ThreadSample>> byCore, Map<Integer, NetView> net) {
	static final CoreRows EMPTY = new CoreRows(List.of(), List.of(), List.of());
	/** The number of columns {@link #text} fills. */
	static final int COLUMNS = 11;

	CoreRows(List<CoreView> cores, List<ThreadSample> threads, List<NetView> net) {
		this(cores, group(threads), byCpu(net));
	}

	private static Map<Integer, NetView> byCpu(List<NetView> net) {
		Map<Integer, NetView> m = new HashMap<>();
		for (NetView n : net)
			m.put(n.cpu(), n);
		return m;
	}

	/**
	 * The rows of this refresh whose text differs from {@code before}, or null
	 * when the rows themselves differ (a core or thread came or went), which
	 * needs a full refresh of the tree.
	 */
	List<Object> changedSince(CoreRows before) {
		List<Object> now = rows(), then = before.rows();
		if (now.size() != then.size())
			return null;
		List<Object> changed = new ArrayList<>();
		for (int i = 0; i < now.size(); i++) {
			Object a = now.get(i), b = then.get(i);
			if (!sameRow(a, b))
				return null;
			for (int col = 0; col < COLUMNS; col++) {
				if (!text(a, col).equals(before.text(b, col))) {
					changed.add(a);
					break;
				}
			}
		}
		return changed;
	}

	/** Every row, each core followed by its threads. */
	private List<Object> rows() {
		List<Object> all = new ArrayList<>();
		for (CoreView c : cores) {
			all.add(c);
			all.addAll(threadsOf(c.cpu()));
		}
		return all;
	}

	/** True when {@code a} and {@code b} stand for the same core or the same thread. */
	static boolean sameRow(Object a, Object b) {
		if (a instanceof CoreView x && b instanceof CoreView y)
			return x.cpu() == y.cpu();
		if (a instanceof ThreadSample x && b instanceof ThreadSample y)
			return x.tid() == y.tid();
		return a == b;
	}

	/** The threads that live on core {@code cpu}. */
	List<ThreadSample> threadsOf(int cpu) {
		return byCore.getOrDefault(cpu, List.of());
	}

	private static Map<Integer, List<ThreadSample>> group(List<ThreadSample> threads) {
		Map<Integer, List<ThreadSample>> m = new HashMap<>();
		for (ThreadSample t : threads)
			m.computeIfAbsent(t.cpu(), k -> new ArrayList<>()).add(t);
		return m;
	}

	/** The text of {@code column} for a core or a thread row. */
	String text(Object row, int column) {
		if (row instanceof CoreView c) {
			NetView n = net.get(c.cpu());
			return switch (column) {
			case 0 -> "cpu " + c.cpu();
			case 1 -> stateOf(c);
			case 2 -> c.currentTid() < 0 ? "-" : c.currentTid() + (c.currentThread() == null ? "" : " " + c.currentThread());
			case 3 -> Integer.toString(c.ready());
			case 4 -> rate(c.contextSwitchesPerSec());
			case 5 -> rate(c.haltsPerSec());
			case 6 -> String.format(Locale.ROOT, "%.1f", c.idlePercent());
			case 7 -> n == null ? "" : rate(n.rxPacketsPerSec());
			case 8 -> n == null ? "" : rate(n.txPacketsPerSec());
			case 9 -> n == null ? "" : Integer.toString(n.connections());
			default -> "";
			};
		}
		if (row instanceof ThreadSample t) {
			return switch (column) {
			case 0 -> t.tid() + " " + (t.name() == null ? "" : t.name());
			case 1 -> t.state().name().toLowerCase(Locale.ROOT) + (t.polling() ? " (polling)" : "");
			case 10 -> String.format(Locale.ROOT, "%.2f Mcycles", t.cpuCycles() / 1e6);
			default -> "";
			};
		}
		return "";
	}

	/** running, idle (halted with nothing to do), polling-halted, spinning or offline. */
	private static String stateOf(CoreView c) {
		return switch (c.state()) {
		case POLLING -> "polling-halted";
		default -> c.state().name().toLowerCase(Locale.ROOT);
		};
	}

	private static String rate(double perSec) {
		return String.format(Locale.ROOT, "%.0f", perSec);
	}
}
