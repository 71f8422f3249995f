package toro.studio.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * spins) and measures the host CPU of the QEMU process once the kernel is ready: a warm-up
 * window, then the steady state. Beside them the floor: a guest that only halts (the floor
 * target). Prints a table and draws a bar chart (PNG).
 */
final class BenchIdleCommand implements Command {
	/** Seconds after "toro: ready" that count as warm-up, measured apart from the steady state. */
	static final int WARMUP_SECONDS = 2;

	/**
	 * One measurement, in percent of one host core used by QEMU while the guest idles.
	 *
	 * @param hostCpuPercent the steady state: the window after the warm-up
	 * @param warmupPercent  the first {@link #WARMUP_SECONDS} s after "toro: ready"
	 */
	record Row(Accel accel, int cores, String idle, double hostCpuPercent, double warmupPercent) {
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
				host core, as top shows it): 2 s of warm-up, then S seconds of steady state
				with the kernel idle. idle=halt is the kernel as shipped, telemetry at its
				default rate backing off while idle (kernel-src/docs/telemetry.md);
				idle=poll (cores spin) is the baseline. The floor is the floor target, a
				guest that only halts: what QEMU itself costs. Prints a table and writes a
				PNG bar chart.

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
		List<Integer> smp = o.integers("--smp", "1,2,4", 1, 64);
		List<Accel> accels = accels(o.get("--accel", null), term);
		Machine machine;
		try {
			machine = Machine.parse(o.get("--machine", "microvm"));
		} catch (IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
		Path image = RunCommand.image(o, null, term);
		Path floorImage = RunCommand.image(o, "floor", term);
		Path png = Path.of(o.get("--png", image.resolveSibling("bench-idle.png").toString())).toAbsolutePath();
		List<Row> rows = new ArrayList<>();
		List<Double> floors = new ArrayList<>();
		for (Accel a : accels) {
			for (int n : smp) {
				String what = String.format("%s, %d core%s", a.name().toLowerCase(), n, n == 1 ? "" : "s");
				term.progress(what + ", floor (a guest that only halts): measuring " + seconds + " s");
				floors.add(floor(QemuConfig.defaults(floorImage).withMachine(machine).withAccel(a).withCpus(n), seconds));
				for (String idle : IDLE_MODES) {
					QemuConfig c = QemuConfig.defaults(image).withMachine(machine).withAccel(a).withCpus(n)
							.withAppend("idle=" + idle);
					term.progress(String.format("%s, idle=%s: measuring %d s warm-up, %d s steady", what, idle, WARMUP_SECONDS, seconds));
					double[] m = measure(c, seconds, term);
					rows.add(new Row(a, n, idle, m[1], m[0]));
				}
			}
		}
		term.out.print(table(rows, floors, seconds));
		BenchIdleChart.write(rows, seconds, png);
		term.progress("chart: " + png);
		return 0;
	}

	/**
	 * Boots {@code c}, waits for "toro: ready", then measures QEMU's host CPU over the warm-up and
	 * then over {@code seconds} of steady state.
	 *
	 * @return {warm-up, steady} in percent of one host core
	 */
	static double[] measure(QemuConfig c, int seconds, Terminal term) throws QemuException, InterruptedException {
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
			Thread.sleep(WARMUP_SECONDS * 1000L);
			double warmup = sample(host, q);
			Thread.sleep(seconds * 1000L);
			return new double[] { warmup, sample(host, q) };
		}
	}

	/**
	 * Boots the floor image (it prints nothing), lets QEMU settle for the warm-up, then measures
	 * its host CPU over {@code seconds}.
	 *
	 * @return percent of one host core
	 */
	static double floor(QemuConfig c, int seconds) throws QemuException, InterruptedException {
		try (QemuProcess q = QemuProcess.start(c)) {
			HostCpuSampler host = new HostCpuSampler(q.pid());
			Thread.sleep(WARMUP_SECONDS * 1000L);
			sample(host, q);
			Thread.sleep(seconds * 1000L);
			return sample(host, q);
		}
	}

	/** @return QEMU's host CPU since the sampler's last sample, in percent of one host core. */
	private static double sample(HostCpuSampler host, QemuProcess q) {
		double pct = host.sampleTotalPercent();
		if (Double.isNaN(pct))
			throw new IllegalStateException("QEMU exited during the measurement: " + q.exit().join().detail());
		return pct;
	}

	/**
	 * @return the result table: one line per accelerator and core count, the floor, then halt's
	 *         steady state and warm-up, then poll's steady state
	 */
	static String table(List<Row> rows, List<Double> floors, int seconds) {
		StringBuilder b = new StringBuilder();
		b.append(String.format("Host CPU of the QEMU process, %% of one host core: steady state over %d s after %d s of warm-up%n", seconds,
				WARMUP_SECONDS));
		b.append(String.format("%-6s %5s %8s %10s %10s %10s%n", "accel", "cores", "floor", "idle=halt", "(warm-up)", "idle=poll"));
		for (int i = 0; i + 1 < rows.size(); i += 2) {
			Row h = rows.get(i), p = rows.get(i + 1);
			b.append(String.format(Locale.ROOT, "%-6s %5d %8.2f %10.2f %10.2f %10.1f%n", h.accel().name().toLowerCase(), h.cores(), floors.get(i / 2),
					h.hostCpuPercent(), h.warmupPercent(), p.hostCpuPercent()));
		}
		b.append("floor: the floor target, a guest that only halts (kernel-src/apps/floor); goal for idle=halt with 4 cores: <= 0.05\n");
		return b.toString();
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
