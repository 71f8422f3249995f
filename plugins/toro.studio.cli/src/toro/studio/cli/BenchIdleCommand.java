package toro.studio.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Machine;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.HostCpuSampler;
import toro.studio.telemetry.TelemetryShare;

/**
 * {@code toro bench idle}: the Toro author's experiment in one run. Boots the idle kernel for
 * each accelerator, core count and idle mode (halt, the normal kernel; poll, the baseline that
 * spins) and measures the host CPU of the QEMU process over a fixed window once the kernel is
 * ready; prints a table and draws a bar chart (PNG).
 */
final class BenchIdleCommand implements Command {
	/** One measurement: percent of one host core used by QEMU while the guest idles. */
	record Row(Accel accel, int cores, String idle, double hostCpuPercent) {
	}

	static final List<String> IDLE_MODES = List.of("halt", "poll");

	@Override
	public String name() {
		return "idle";
	}

	@Override
	public String summary() {
		return "host CPU of QEMU with the kernel idle: halt vs idle=poll, 1/2/4 cores, TCG and KVM";
	}

	@Override
	public String usage() {
		return """
				usage: toro bench idle [--seconds S] [--smp LIST] [--accel LIST] [--png FILE]
				                       [--machine M] [--profile P] [--tree DIR]

				Boots the default image once per accelerator, core count and idle mode, waits
				for "toro: ready", then measures the host CPU of the QEMU process (% of one
				host core, as top shows it) for S seconds with the kernel idle. idle=halt is
				the kernel as shipped, telemetry at its default rate backing off while idle
				(kernel-src/docs/telemetry.md); idle=poll (cores spin) is the baseline.
				Prints a table and writes a PNG bar chart.

				  --seconds S      measuring window per run (default 10)
				  --smp LIST       core counts, comma-separated (default 1,2,4)
				  --accel LIST     accelerators (default: tcg, and kvm when /dev/kvm is usable)
				  --png FILE       the chart (default: build/PROFILE/bench-idle.png in the tree)
				  --machine M      microvm (default), pc or q35
				  --profile, --tree: as for toro run

				Exit status: 0 when every run was measured; 1 when one failed; 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options o = Options.parse(args, "--seconds=", "--smp=", "--accel=", "--png=", "--machine=", "--profile=", "--tree=");
		RunCommand.noPositional(o);
		int seconds = o.integer("--seconds", 10, 1, 3600);
		List<Integer> smp = coreCounts(o.get("--smp", "1,2,4"));
		List<Accel> accels = accels(o.get("--accel", null), term);
		Machine machine;
		try {
			machine = Machine.parse(o.get("--machine", "microvm"));
		} catch (IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
		Path image = RunCommand.image(o, null, term);
		Path png = Path.of(o.get("--png", image.resolveSibling("bench-idle.png").toString())).toAbsolutePath();
		List<Row> rows = new ArrayList<>();
		for (Accel a : accels) {
			for (int n : smp) {
				for (String idle : IDLE_MODES) {
					QemuConfig c = QemuConfig.defaults(image).withMachine(machine).withAccel(a).withCpus(n)
							.withAppend("idle=" + idle);
					term.progress(String.format("%s, %d core%s, idle=%s: measuring %d s", a.name().toLowerCase(), n, n == 1 ? "" : "s", idle,
							seconds));
					rows.add(new Row(a, n, idle, measure(c, seconds, term)));
				}
			}
		}
		term.out.print(table(rows, seconds));
		BenchIdleChart.write(rows, seconds, png);
		term.progress("chart: " + png);
		return 0;
	}

	/**
	 * Boots {@code c}, waits for "toro: ready", then measures QEMU's host CPU for {@code seconds}.
	 *
	 * @return percent of one host core
	 */
	static double measure(QemuConfig c, int seconds, Terminal term) throws QemuException, InterruptedException {
		try (QemuProcess q = QemuProcess.start(c); TelemetryShare share = RunCommand.shareTelemetry(q, term)) {
			CountDownLatch ready = new CountDownLatch(1);
			Thread reader = new Thread(() -> {
				try (BufferedReader r = new BufferedReader(new InputStreamReader(q.console(), StandardCharsets.UTF_8))) {
					for (String line; (line = r.readLine()) != null;)
						if (line.startsWith("toro: ready"))
							ready.countDown();
				} catch (IOException e) {
					// QEMU went away: the wait below reports it
				}
			}, "toro-bench-console");
			reader.setDaemon(true);
			reader.start();
			if (!ready.await(120, TimeUnit.SECONDS) || !q.isAlive())
				throw new IllegalStateException("the kernel did not print 'toro: ready' (" + (q.isAlive() ? "120 s passed" : q.exit().join().detail())
						+ "); try 'toro run' with the same options to see its console");
			HostCpuSampler host = new HostCpuSampler(q.pid());
			Thread.sleep(seconds * 1000L);
			double pct = host.sampleTotalPercent();
			if (Double.isNaN(pct))
				throw new IllegalStateException("QEMU exited during the measurement: " + q.exit().join().detail());
			return pct;
		}
	}

	/** @return the result table: one line per accelerator and core count, halt beside poll. */
	static String table(List<Row> rows, int seconds) {
		StringBuilder b = new StringBuilder();
		b.append(String.format("Host CPU of the QEMU process, %% of one host core, over %d s with the kernel idle%n", seconds));
		b.append(String.format("%-6s %5s %10s %10s%n", "accel", "cores", "idle=halt", "idle=poll"));
		for (int i = 0; i + 1 < rows.size(); i += 2) {
			Row h = rows.get(i), p = rows.get(i + 1);
			b.append(String.format("%-6s %5d %10.1f %10.1f%n", h.accel().name().toLowerCase(), h.cores(), h.hostCpuPercent(), p.hostCpuPercent()));
		}
		return b.toString();
	}

	private static List<Integer> coreCounts(String list) throws UsageException {
		List<Integer> out = new ArrayList<>();
		for (String s : list.split(",")) {
			try {
				int n = Integer.parseInt(s.strip());
				if (n >= 1 && n <= 64) {
					out.add(n);
					continue;
				}
			} catch (NumberFormatException e) {
				// reported below
			}
			throw new UsageException("--smp takes core counts from 1 to 64 separated by commas, e.g. 1,2,4; not '" + list + "'");
		}
		return out;
	}

	/** @return the accelerators asked for, or TCG plus KVM when usable (saying so when it is not). */
	static List<Accel> accels(String list, Terminal term) throws UsageException {
		List<Accel> out = new ArrayList<>();
		if (list == null) {
			out.add(Accel.TCG);
			if (Accel.detect() == Accel.KVM)
				out.add(Accel.KVM);
			else
				term.progress(Accel.kvmStatus() + ": measuring TCG only");
			return out;
		}
		for (String s : list.split(",")) {
			try {
				Accel a = Accel.parse(s.strip());
				if (a == Accel.AUTO)
					throw new UsageException("--accel takes tcg and/or kvm here, not auto");
				out.add(a);
			} catch (IllegalArgumentException e) {
				throw new UsageException(e.getMessage());
			}
		}
		return out;
	}
}
