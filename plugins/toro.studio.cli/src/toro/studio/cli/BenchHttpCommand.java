package toro.studio.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Forward;
import toro.studio.qemu.KvmInternalError;
import toro.studio.qemu.Machine;
import toro.studio.qemu.Network;
import toro.studio.qemu.Ports;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;
import toro.studio.qemu.VcpuInfo;
import toro.studio.qemu.load.Wrk;
import toro.studio.qemu.load.WrkException;
import toro.studio.qemu.load.WrkResult;
import toro.studio.telemetry.TelemetryShare;

/**
 * {@code toro bench http}: the seed's experiment, HTTP stress then idle, as one command. Each
 * system (the httpd kernel as shipped, the same kernel with idle=poll, and a Linux guest) boots on
 * the same QEMU, machine, vCPUs, memory and network; once it answers, the bench runs three phases
 * while it samples QEMU's host CPU every 100 ms ({@link CpuTrace}): quiet, wrk at each connection
 * count, quiet again. Then one request after the quiet, to time what a halted core costs.
 */
final class BenchHttpCommand implements Command {
	/** The quiet phase before the stress. */
	static final int QUIET_BEFORE_SECONDS = 5;
	/** The quiet phase after the stress: seconds_to_idle is sought inside it. */
	static final int QUIET_AFTER_SECONDS = 10;
	/** The window at the end of the quiet-after phase whose mean is "idle after". */
	static final int IDLE_AFTER_WINDOW_SECONDS = 5;
	/** The name of the Linux guest's row. */
	static final String LINUX = "linux-guest";
	/** The guest port the servers listen on. */
	static final int GUEST_PORT = 80;

	/**
	 * One system's figures, or why it has none ({@code failure} non-null, or {@code skipped}
	 * non-null: it could not be set up here, which is not a failure of the bench).
	 *
	 * @param runs one wrk result per connection count, in order
	 * @param stressStart when wrk began, on {@code samples}' clock
	 * @param stressEnd when the last wrk ended
	 * @param firstRequestMillis one GET after {@value #QUIET_AFTER_SECONDS} s of quiet
	 */
	record Row(String name, String server, List<WrkResult> runs, double stressPercent, double idleBeforePercent,
			double idleAfterPercent, double secondsToIdle, double firstRequestMillis, double[] vcpuStress,
			double[] vcpuIdleAfter, List<CpuTrace.Sample> samples, double stressStart, double stressEnd, String failure,
			String skipped) {

		static Row failed(String name, String server, String why) {
			return withoutFigures(name, server, why, null);
		}

		static Row skipped(String name, String server, String why) {
			return withoutFigures(name, server, null, why);
		}

		private static Row withoutFigures(String name, String server, String failure, String skipped) {
			return new Row(name, server, List.of(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
					new double[0], new double[0], List.of(), 0, 0, failure, skipped);
		}

		boolean measured() {
			return failure == null && skipped == null;
		}

		/** The run the headline figures come from: 16 connections when measured, else the last. */
		WrkResult headline() {
			return runs.stream().filter(r -> r.connections() == 16).findFirst().orElse(runs.get(runs.size() - 1));
		}

		long errors() {
			return runs.stream().mapToLong(WrkResult::errors).sum();
		}
	}

	/**
	 * What one system boots: its label, its server's description, its QEMU configuration, and whether
	 * it is a Toro kernel (whose telemetry on COM2 must be read).
	 */
	record Guest(String name, String server, QemuConfig config, boolean toro) {
	}

	/** The settings every system shares. */
	record Setup(int seconds, List<Integer> connections, String path, int cpus, int memoryMiB, Machine machine,
			Accel accel, String net, int bootTimeoutSeconds, Path wrk) {
	}

	@Override
	public String name() {
		return "http";
	}

	@Override
	public String summary() {
		return "HTTP stress, then idle: requests/s, latency, host CPU and seconds to idle, Toro against a Linux guest";
	}

	@Override
	public String usage() {
		return """
				usage: toro bench http [--seconds S] [--connections LIST] [--smp N] [--net user]
				                       [--accel A] [--baseline linux|none] [--json] [--png FILE]
				                       [--path P] [--port P] [--machine M] [--mem MIB]
				                       [--boot-timeout S] [--target T] [--profile P] [--tree DIR]

				For each system, boots it behind a port forward on 127.0.0.1, waits until it
				answers, then runs three phases while sampling the QEMU process's host CPU
				every 100 ms from /proc (in total and per vCPU thread): 5 s quiet, wrk for S
				seconds at each connection count, 10 s quiet. Then one request, to time the
				wake-up of halted cores. Systems, on the same QEMU, machine, vCPUs, memory and
				network: toro (the httpd kernel as shipped), toro idle=poll (its cores spin:
				the seed's "before"), and linux-guest (--baseline linux).

				  --seconds S        stress per connection count (default 10)
				  --connections LIST wrk connection counts, comma-separated (default 16)
				  --smp N            vCPUs of every system (default 2)
				  --net user         QEMU user networking (the only backend the bench drives)
				  --accel A          kvm, tcg or auto (default auto: kvm when /dev/kvm is usable)
				  --baseline B       linux (default) or none. linux-guest is Debian's
				                     linux-image-cloud-amd64 with busybox-static's httpd
				                     (no keep-alive: it closes after each answer), from an
				                     initramfs made here; its packages are fetched with
				                     apt-get download into ~/.cache/toro/linux-guest, never
				                     installed. It serves the bytes the Toro kernel served.
				  --json             one JSON object on stdout instead of the table
				  --png FILE         host CPU over time, one line per system, stress shaded
				  --path P           the path wrk loads (default /)
				  --port P           the host port of the forward (default 0: a free one)
				  --machine M        q35 (default), pc or microvm
				  --mem MIB          memory of every system (default 256)
				  --boot-timeout S   how long a system may take to answer (default 60)
				  --target T         the kernel target (default httpd)
				  --profile, --tree: as for toro run

				seconds_to_idle: from the end of the stress until QEMU's host CPU stays below
				1% of one core over 2 s windows. Needs wrk (Debian package wrk; TORO_WRK
				names another). Exit status: 0 when every system was measured or skipped
				with its reason; 1 when one failed; 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options o = Options.parse(args, "--seconds=", "--connections=", "--smp=", "--net=", "--accel=", "--baseline=",
				"--json", "--png=", "--path=", "--port=", "--machine=", "--mem=", "--boot-timeout=", "--target=",
				"--profile=", "--tree=");
		RunCommand.noPositional(o);
		String baseline = o.get("--baseline", "linux");
		if (!List.of("linux", "none").contains(baseline))
			throw new UsageException("--baseline takes linux or none, not '" + baseline + "'");
		String net = o.get("--net", "user");
		if (!net.equals("user"))
			throw new UsageException("--net " + net + ": the bench drives QEMU user networking only (--net user); "
					+ "a tap backend needs a network namespace of its own, which it does not create yet");
		String path = o.get("--path", "/");
		if (!path.startsWith("/"))
			throw new UsageException("--path must start with '/': " + path);
		int seconds = o.integer("--seconds", 10, 1, 3600), cpus = o.integer("--smp", 2, 1, QemuConfig.MAX_CPUS);
		int memory = o.integer("--mem", 256, 64, 65536), bootTimeout = o.integer("--boot-timeout", 60, 1, 3600);
		int port = o.integer("--port", 0, 0, 65535);
		List<Integer> connections = o.integers("--connections", "16", 1, 10_000);
		Machine machine;
		Accel accel;
		try {
			machine = Machine.parse(o.get("--machine", "q35"));
			accel = accel(o.get("--accel", "auto"));
		} catch (IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
		Path wrk;
		try {
			wrk = Wrk.find(System.getenv());
		} catch (WrkException e) {
			term.err.println("toro bench http: " + e.getMessage());
			return 1;
		}
		if (port != 0 && Ports.inUse(port)) {
			term.err.println("toro bench http: port " + port + " on 127.0.0.1 is in use; try --port " + Ports.freeLoopbackPort()
					+ " (free now), or leave --port out to pick a free one");
			return 1;
		}
		Setup setup = new Setup(seconds, connections, path, cpus, memory, machine, accel, net, bootTimeout, wrk);
		Path image = RunCommand.image(o, "httpd", term);
		QemuConfig base = QemuConfig.defaults(image).withMachine(setup.machine()).withCpus(setup.cpus())
				.withMemoryMiB(setup.memoryMiB()).withAccel(setup.accel())
				.withNetwork(Network.user(List.of(Forward.tcp(port, GUEST_PORT))));

		List<Row> rows = new ArrayList<>();
		Map<String, byte[]> served = new LinkedHashMap<>();
		rows.add(measure(new Guest("toro", "the httpd kernel (kernel-src/apps/httpd)", base, true), setup, served, term));
		rows.add(measure(new Guest("toro idle=poll", "the httpd kernel, idle=poll", base.withAppend("idle=poll"), true),
				setup, new LinkedHashMap<>(), term));
		if (baseline.equals("linux"))
			rows.add(BenchHttpLinux.row(base, setup, served, term));

		if (o.flag("--json"))
			term.out.println(BenchHttpReport.json(rows, setup));
		else
			term.out.print(BenchHttpReport.table(rows, setup));
		String png = o.get("--png", null);
		if (png != null) {
			BenchHttpChart.write(rows, setup, Path.of(png).toAbsolutePath());
			term.progress("chart: " + Path.of(png).toAbsolutePath());
		}
		return rows.stream().anyMatch(r -> r.failure() != null) ? 1 : 0;
	}

	/**
	 * Boots {@code g}, waits until it answers {@code setup.path()}, and runs the three phases.
	 * {@code served} gets the bytes it serves for "/" and the path (the Linux guest serves the same).
	 * A guest that does not answer in time, or dies, is a failed row; QEMU is stopped either way.
	 */
	static Row measure(Guest g, Setup setup, Map<String, byte[]> served, Terminal term) throws Exception {
		term.progress(g.name() + ": booting (" + setup.machine().name().toLowerCase() + ", " + setup.cpus() + " vCPUs, "
				+ setup.accel().name().toLowerCase() + ")");
		QemuProcess q;
		try {
			q = QemuProcess.start(g.config());
		} catch (QemuException e) {
			return Row.failed(g.name(), g.server(), "QEMU did not start: " + e.getMessage());
		}
		Thread hook = RunCommand.stopOnExit(q, term);
		try (q; TelemetryShare share = g.toro() ? RunCommand.shareTelemetry(q, term) : null) {
			// the console is read so that the guest's UART never stalls; the bench does not show it
			RunCommand.copy(q.console(), new PrintStream(OutputStream.nullOutputStream()), "toro-bench-http-console");
			int port = q.config().network().forwards().get(0).hostPort();
			String why = awaitAnswer(q, port, setup, served);
			if (why != null)
				return Row.failed(g.name(), g.server(), why);
			long[] tids = q.qmp().queryCpusFast().stream().mapToLong(VcpuInfo::threadId).toArray();
			try (CpuTrace trace = new CpuTrace(q.pid(), tids)) {
				term.progress(g.name() + ": answering on 127.0.0.1:" + port + "; " + QUIET_BEFORE_SECONDS + " s quiet");
				Thread.sleep(QUIET_BEFORE_SECONDS * 1000L);
				double stressStart = trace.now();
				List<WrkResult> runs = new ArrayList<>();
				for (int c : setup.connections()) {
					term.progress(g.name() + ": wrk -c " + c + " for " + setup.seconds() + " s");
					try {
						runs.add(Wrk.run(setup.wrk(), port, setup.path(), c, setup.seconds()));
					} catch (WrkException e) {
						return Row.failed(g.name(), g.server(), e.getMessage());
					}
				}
				double stressEnd = trace.now();
				term.progress(g.name() + ": " + QUIET_AFTER_SECONDS + " s quiet");
				Thread.sleep(QUIET_AFTER_SECONDS * 1000L);
				double afterEnd = trace.now();
				double first = timeOneRequest(port, setup.path());
				List<CpuTrace.Sample> s = trace.samples();
				double[] vStress = new double[tids.length], vIdle = new double[tids.length];
				for (int i = 0; i < tids.length; i++) {
					vStress[i] = CpuTrace.mean(s, stressStart, stressEnd, i);
					vIdle[i] = CpuTrace.mean(s, afterEnd - IDLE_AFTER_WINDOW_SECONDS, afterEnd, i);
				}
				if (!q.isAlive())
					return Row.failed(g.name(), g.server(), "QEMU exited during the measurement: " + q.exit().join().detail());
				return new Row(g.name(), g.server(), runs, CpuTrace.mean(s, stressStart, stressEnd),
						CpuTrace.mean(s, 0, stressStart), CpuTrace.mean(s, afterEnd - IDLE_AFTER_WINDOW_SECONDS, afterEnd),
						CpuTrace.secondsToIdle(s, stressEnd, afterEnd), first, vStress, vIdle, s, stressStart, stressEnd,
						null, null);
			}
		} finally {
			RunCommand.removeHook(hook);
		}
	}

	/**
	 * Waits until the guest answers 2xx for "/" and for the bench's path (keeping both bodies in
	 * {@code served}).
	 *
	 * @return null once it answers, else why not (QEMU died, or the boot timeout passed)
	 */
	private static String awaitAnswer(QemuProcess q, int port, Setup setup, Map<String, byte[]> served)
			throws InterruptedException {
		long deadline = System.nanoTime() + setup.bootTimeoutSeconds() * 1_000_000_000L;
		String last = "no answer yet";
		while (System.nanoTime() < deadline) {
			if (!q.isAlive())
				return "QEMU exited before the guest answered: " + q.exit().join().detail();
			try {
				for (String p : List.of("/", setup.path())) {
					HttpProbe.Response r = HttpProbe.get(port, p, 2000);
					if (r.status() / 100 != 2)
						throw new IOException("GET " + p + " answered " + r.status());
					served.put(p, r.body());
				}
				return null;
			} catch (IOException e) {
				last = e.getMessage();
			}
			Thread.sleep(200);
		}
		KvmInternalError kvm = q.kvmInternalError();
		return "the guest did not answer on 127.0.0.1:" + port + " within " + setup.bootTimeoutSeconds() + " s (last: " + last + ")"
				+ (kvm != null ? "; QEMU reports " + kvm.summary() + ": try --accel tcg"
						: "; try 'toro run --target httpd --forward " + port + ":80' to see its console");
	}

	/** Milliseconds of one GET of {@code path} on a fresh connection; NaN when it failed. */
	private static double timeOneRequest(int port, String path) {
		long t0 = System.nanoTime();
		try {
			HttpProbe.get(port, path, 5000);
		} catch (IOException e) {
			return Double.NaN;
		}
		return (System.nanoTime() - t0) / 1e6;
	}

	private static Accel accel(String name) {
		Accel a = Accel.parse(name);
		return a == Accel.AUTO ? Accel.detect() : a;
	}
}
