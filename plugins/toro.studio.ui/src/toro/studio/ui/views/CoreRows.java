package toro.studio.ui.views;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.ThreadSample;

/** One refresh of the Cores view: the cores, their threads grouped by core, and the cells' text. */
record CoreRows(List<CoreView> cores, Map<Integer, List<ThreadSample>> byCore) {
	static final CoreRows EMPTY = new CoreRows(List.of(), List.of());

	CoreRows(List<CoreView> cores, List<ThreadSample> threads) {
		this(cores, group(threads));
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
	static String text(Object row, int column) {
		if (row instanceof CoreView c) {
			return switch (column) {
			case 0 -> "cpu " + c.cpu();
			case 1 -> stateOf(c);
			case 2 -> c.currentTid() < 0 ? "-" : c.currentTid() + (c.currentThread() == null ? "" : " " + c.currentThread());
			case 3 -> Integer.toString(c.ready());
			case 4 -> rate(c.contextSwitchesPerSec());
			case 5 -> rate(c.haltsPerSec());
			case 6 -> String.format(Locale.ROOT, "%.1f", c.idlePercent());
			default -> "";
			};
		}
		if (row instanceof ThreadSample t) {
			return switch (column) {
			case 0 -> t.tid() + " " + (t.name() == null ? "" : t.name());
			case 1 -> t.state().name().toLowerCase(Locale.ROOT) + (t.polling() ? " (polling)" : "");
			case 7 -> String.format(Locale.ROOT, "%.2f Mcycles", t.cpuCycles() / 1e6);
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
