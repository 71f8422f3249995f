package toro.studio.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import toro.studio.qemu.Json;
import toro.studio.qemu.load.Wrk;
import toro.studio.qemu.load.WrkResult;

/**
 * The results of {@code toro bench http}, as a terminal table or as one JSON object:
 *
 * <pre>
 * {"systems": [{"name", "server", "requests_per_s", "p50_ms", "p99_ms", "errors",
 *               "host_cpu_stress_percent", "host_cpu_idle_percent", "host_cpu_idle_before_percent",
 *               "seconds_to_idle", "first_request_ms", "first_request_vs_p50",
 *               "vcpu_stress_percent": [...], "vcpu_idle_percent": [...],
 *               "runs": [{"connections", "requests", "seconds", "requests_per_s", "p50_ms", "p99_ms",
 *                         "errors"}],
 *               "failure" or "skipped": why, when it has no figures}],
 *  "ratios": {"requests_per_s_toro_vs_linux", "seconds_to_idle_linux_minus_toro"},
 *  "setup": {"seconds", "connections", "path", "smp", "memory_mib", "machine", "accel", "net",
 *            "wrk_threads", "wrk_timeout_s", "quiet_before_s", "quiet_after_s", "idle_after_window_s",
 *            "sample_ms", "idle_threshold_percent", "idle_hold_s"}}
 * </pre>
 *
 * The headline figures (requests_per_s, p50_ms, p99_ms) are the 16-connection run's when there is one,
 * else the last run's; errors count over every run. CPU is in percent of one host core; "idle" is the
 * mean over the last {@value BenchHttpCommand#IDLE_AFTER_WINDOW_SECONDS} s of the quiet after the
 * stress. A figure that could not be measured is null.
 */
final class BenchHttpReport {
	private BenchHttpReport() {
	}

	/** The JSON object of {@code rows}. */
	static String json(List<BenchHttpCommand.Row> rows, BenchHttpCommand.Setup setup) {
		Map<String, Object> top = new LinkedHashMap<>();
		List<Object> systems = new ArrayList<>();
		for (BenchHttpCommand.Row r : rows)
			systems.add(system(r));
		top.put("systems", systems);
		Map<String, Object> ratios = new LinkedHashMap<>();
		BenchHttpCommand.Row toro = find(rows, "toro"), linux = find(rows, BenchHttpCommand.LINUX);
		ratios.put("requests_per_s_toro_vs_linux", toro != null && linux != null
				? toro.headline().requestsPerSecond() / linux.headline().requestsPerSecond() : null);
		ratios.put("seconds_to_idle_linux_minus_toro", toro != null && linux != null
				? linux.secondsToIdle() - toro.secondsToIdle() : null);
		top.put("ratios", ratios);
		Map<String, Object> s = new LinkedHashMap<>();
		s.put("seconds", setup.seconds());
		s.put("connections", new ArrayList<>(setup.connections()));
		s.put("path", setup.path());
		s.put("smp", setup.cpus());
		s.put("memory_mib", setup.memoryMiB());
		s.put("machine", setup.machine().name().toLowerCase(Locale.ROOT));
		s.put("accel", setup.accel().name().toLowerCase(Locale.ROOT));
		s.put("net", setup.net());
		s.put("wrk_threads", Wrk.MAX_THREADS);
		s.put("wrk_timeout_s", Wrk.TIMEOUT_SECONDS);
		s.put("quiet_before_s", BenchHttpCommand.QUIET_BEFORE_SECONDS);
		s.put("quiet_after_s", BenchHttpCommand.QUIET_AFTER_SECONDS);
		s.put("idle_after_window_s", BenchHttpCommand.IDLE_AFTER_WINDOW_SECONDS);
		s.put("sample_ms", CpuTrace.PERIOD_MILLIS);
		s.put("idle_threshold_percent", CpuTrace.IDLE_PERCENT);
		s.put("idle_hold_s", CpuTrace.IDLE_HOLD_SECONDS);
		top.put("setup", s);
		return Json.write(top);
	}

	private static Map<String, Object> system(BenchHttpCommand.Row r) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("name", r.name());
		m.put("server", r.server());
		if (!r.measured()) {
			m.put(r.failure() != null ? "failure" : "skipped", r.failure() != null ? r.failure() : r.skipped());
			return m;
		}
		WrkResult h = r.headline();
		m.put("requests_per_s", h.requestsPerSecond());
		m.put("p50_ms", h.p50Millis());
		m.put("p99_ms", h.p99Millis());
		m.put("errors", r.errors());
		m.put("host_cpu_stress_percent", r.stressPercent());
		m.put("host_cpu_idle_percent", r.idleAfterPercent());
		m.put("host_cpu_idle_before_percent", r.idleBeforePercent());
		m.put("seconds_to_idle", r.secondsToIdle());
		m.put("first_request_ms", r.firstRequestMillis());
		m.put("first_request_vs_p50", r.firstRequestMillis() / h.p50Millis());
		m.put("vcpu_stress_percent", list(r.vcpuStress()));
		m.put("vcpu_idle_percent", list(r.vcpuIdleAfter()));
		List<Object> runs = new ArrayList<>();
		for (WrkResult w : r.runs()) {
			Map<String, Object> run = new LinkedHashMap<>();
			run.put("connections", w.connections());
			run.put("requests", w.requests());
			run.put("seconds", w.seconds());
			run.put("requests_per_s", w.requestsPerSecond());
			run.put("p50_ms", w.p50Millis());
			run.put("p99_ms", w.p99Millis());
			run.put("errors", w.errors());
			runs.add(run);
		}
		m.put("runs", runs);
		return m;
	}

	/** The terminal table: one line per system and connection count, then the comparison. */
	static String table(List<BenchHttpCommand.Row> rows, BenchHttpCommand.Setup setup) {
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "HTTP stress then idle: wrk %d s per connection count on %s, %s, %d vCPUs, %d MiB, %s networking%n",
				setup.seconds(), setup.path(), setup.machine().name().toLowerCase(Locale.ROOT),
				setup.cpus(), setup.memoryMiB(), setup.net()));
		b.append(String.format("%-16s %5s %10s %8s %8s %6s %8s %8s %8s %8s %9s%n", "system", "conn", "req/s", "p50 ms",
				"p99 ms", "errors", "cpu load", "idle bef", "idle aft", "to idle", "1st req"));
		for (BenchHttpCommand.Row r : rows) {
			if (!r.measured()) {
				b.append(String.format("%-16s %s%n", r.name(), (r.failure() != null ? "FAILED: " + r.failure() : "skipped: " + r.skipped())));
				continue;
			}
			for (int i = 0; i < r.runs().size(); i++) {
				WrkResult w = r.runs().get(i);
				b.append(String.format(Locale.ROOT, "%-16s %5d %10.1f %8.2f %8.2f %6d", i == 0 ? r.name() : "", w.connections(),
						w.requestsPerSecond(), w.p50Millis(), w.p99Millis(), w.errors()));
				if (i == 0)
					b.append(String.format(Locale.ROOT, " %7.1f%% %7.2f%% %7.2f%% %7.2fs %7.2fms", r.stressPercent(),
							r.idleBeforePercent(), r.idleAfterPercent(), r.secondsToIdle(), r.firstRequestMillis()));
				b.append('\n');
			}
		}
		for (BenchHttpCommand.Row r : rows)
			b.append("  ").append(r.name()).append(": ").append(r.server()).append('\n');
		BenchHttpCommand.Row toro = find(rows, "toro"), linux = find(rows, BenchHttpCommand.LINUX);
		if (toro != null && linux != null)
			b.append(String.format(Locale.ROOT, "toro vs linux-guest at %d connections: %.2fx requests/s; seconds to idle %.2f vs %.2f%n",
					toro.headline().connections(), toro.headline().requestsPerSecond() / linux.headline().requestsPerSecond(),
					toro.secondsToIdle(), linux.secondsToIdle()));
		b.append("cpu: QEMU's host CPU, % of one host core; idle aft: the last ").append(BenchHttpCommand.IDLE_AFTER_WINDOW_SECONDS)
				.append(" s of the quiet after; to idle: until it stays < 1% over 2 s; 1st req: one GET after ")
				.append(BenchHttpCommand.QUIET_AFTER_SECONDS).append(" s of quiet\n");
		return b.toString();
	}

	/** The measured row called {@code name}, or null. */
	static BenchHttpCommand.Row find(List<BenchHttpCommand.Row> rows, String name) {
		return rows.stream().filter(r -> r.name().equals(name) && r.measured()).findFirst().orElse(null);
	}

	private static List<Object> list(double[] a) {
		List<Object> l = new ArrayList<>();
		for (double d : a)
			l.add(d);
		return l;
	}
}
