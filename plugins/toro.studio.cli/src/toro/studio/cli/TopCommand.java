package toro.studio.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.Json;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;
import toro.studio.qemu.VcpuInfo;
import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.HostCpuSampler;
import toro.studio.telemetry.NetView;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.TelemetryDecoder;
import toro.studio.telemetry.TelemetryPump;
import toro.studio.telemetry.TelemetryShare;

/**
 * {@code toro top}: boots the kernel and shows, once a second, each core's scheduler state and
 * rates from the telemetry stream beside the host CPU of the QEMU process and of each vCPU thread.
 */
final class TopCommand implements Command {
	@Override
	public String name() {
		return "top";
	}

	@Override
	public String summary() {
		return "boot the kernel and show a live per-core table with the host CPU of QEMU";
	}

	@Override
	public String usage() {
		return """
				usage: toro top [--smp N] [--json] [--duration S] [--rate HZ] [--target NAME] [--profile P]
				                [--machine M] [--accel A] [--mem MiB] [--append ARGS] [--tree DIR]
				       toro top --attach [--pid PID] [--json] [--duration S]

				Boots the kernel (or, with --attach, watches one that 'toro run' or
				'toro test' is running) and, once a second, prints each core's state, current
				thread, ready-queue length, context switches/s, halts/s and idle %, from the
				kernel's telemetry (COM2), with the host CPU of the QEMU process (% of one
				host core) in total and per vCPU thread. When the kernel has a network
				device or its network counters move, each core also shows frames received
				and sent per second and its open TCP connections. Ctrl-C stops it and QEMU.

				  --json           one JSON object per line and second instead of the table:
				                   time_s, sample, host_cpu_percent, frames_ok, frames_corrupt,
				                   frames_dropped and cores[] (cpu, state, tid, thread, ready,
				                   context_switches_per_s, halts_per_s, wakeups_per_s,
				                   idle_percent, host_cpu_percent, and with a network:
				                   rx_packets_per_s, tx_packets_per_s, requests_per_s,
				                   connections)
				  --duration S     stop after S seconds (default: until Ctrl-C or the guest exits)
				  --rate HZ        telemetry samples per second asked of the kernel (default 10)
				  --attach         watch the telemetry of a running 'toro run' instead of
				                   booting (host CPU in total only: no QMP to name vCPU threads)
				  --pid PID        with --attach: which run, by QEMU pid, when several run
				  --smp, --target, --profile, --machine, --accel, --mem, --append, --tree:
				                   as for toro run

				Exit status: 0 when it ran to the end (or the guest exited with 0); 1 when
				the build or QEMU failed; 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		List<String> declared = new ArrayList<>(RunCommand.BOOT_OPTIONS);
		declared.removeAll(List.of("--timeout=", "--why"));
		declared.addAll(List.of("--json", "--duration=", "--rate=", "--attach", "--pid="));
		Options o = Options.parse(args, declared.toArray(String[]::new));
		RunCommand.noPositional(o);
		int duration = o.integer("--duration", 0, 1, 1_000_000);
		boolean json = o.flag("--json");
		if (o.flag("--attach"))
			return attach(o, duration, json, term);
		int rate = o.integer("--rate", 10, 1, 1000);
		Path image = RunCommand.image(o, null, term);
		QemuConfig c = RunCommand.config(o, image);
		if (!c.append().matches("(.*\\s)?telemetry=.*"))
			c = c.withAppend((c.append() + " telemetry=" + rate).strip());
		term.progress("booting " + image.getFileName() + " with " + c.cpus() + " core" + (c.cpus() == 1 ? "" : "s") + " ("
				+ c.append() + ")");
		try (QemuProcess q = RunCommand.noted(QemuProcess.start(c), term)) {
			Thread hook = RunCommand.stopOnExit(q, term);
			try {
				RunCommand.copy(q.console(), new PrintStream(OutputStream.nullOutputStream()), "toro-console-drain");
				Map<Long, Integer> vcpuOfThread = new HashMap<>();
				for (VcpuInfo v : q.qmp().queryCpusFast())
					vcpuOfThread.put(v.threadId(), v.index());
				boolean ranOut = watch(q.telemetry(), q.pid(), vcpuOfThread, duration, json, term);
				if (ranOut) {
					ExitStatus s = q.waitFor(Duration.ofSeconds(5));
					term.progress(s == null ? "telemetry ended" : s.detail());
					return s != null && s.success() ? 0 : 1;
				}
				return 0;
			} finally {
				RunCommand.removeHook(hook);
			}
		}
	}

	/** Watches the telemetry that a running {@code toro run} or {@code toro test} shares. */
	private static int attach(Options o, int duration, boolean json, Terminal term) throws Exception {
		List<Long> running = TelemetryShare.running();
		long pid;
		if (o.get("--pid", null) != null) {
			pid = o.integer("--pid", 0, 1, Integer.MAX_VALUE);
			if (!running.contains(pid))
				throw new IllegalStateException("no toro run with QEMU pid " + pid + " shares its telemetry; running: "
						+ (running.isEmpty() ? "none" : running));
		} else if (running.size() == 1) {
			pid = running.get(0);
		} else if (running.isEmpty()) {
			throw new IllegalStateException("no running toro instance shares its telemetry; start one with 'toro run' in another "
					+ "terminal, or drop --attach to boot one");
		} else {
			throw new IllegalStateException("several toro runs share telemetry (QEMU pids " + running + "); pick one with --pid");
		}
		term.progress("attached to the telemetry of QEMU pid " + pid);
		try (SocketChannel ch = TelemetryShare.connect(pid)) {
			if (watch(Channels.newInputStream(ch), pid, Map.of(), duration, json, term))
				term.progress("the run ended");
		}
		return 0;
	}

	/**
	 * Prints one table or JSON line a second until the duration ends or the telemetry stream does.
	 *
	 * @param vcpuOfThread host thread id of each vCPU (empty when unknown: no per-vCPU host CPU)
	 * @return true when the stream ended first (the run is over)
	 */
	private static boolean watch(InputStream telemetry, long pid, Map<Long, Integer> vcpuOfThread, int duration, boolean json,
			Terminal term) throws InterruptedException {
		CoreModel model = new CoreModel();
		TelemetryDecoder decoder = new TelemetryDecoder(model::accept);
		CountDownLatch ended = new CountDownLatch(1);
		TelemetryPump.start(telemetry, decoder, ended::countDown);
		HostCpuSampler host = new HostCpuSampler(pid);
		boolean live = !json && System.console() != null;
		long t0 = System.nanoTime();
		Sample before = null;
		List<CoreView> cores = List.of();
		List<NetView> nets = List.of();
		for (int second = 1; duration == 0 || second <= duration; second++) {
			long wait = t0 + second * 1_000_000_000L - System.nanoTime();
			if (ended.await(Math.max(0, wait), TimeUnit.NANOSECONDS))
				return true;
			double total = host.sampleTotalPercent();
			Map<Integer, Double> perVcpu = new HashMap<>();
			host.samplePerThread().forEach((tid, pct) -> {
				Integer cpu = vcpuOfThread.get(tid);
				if (cpu != null)
					perVcpu.put(cpu, pct);
			});
			Sample now = model.last();
			if (now != before) { // the kernel slows its telemetry while idle: keep the last rates until a new sample
				cores = CoreModel.views(before, now);
				nets = now != null && now.hasNetwork() ? CoreModel.netViews(before, now) : List.of();
			}
			before = now;
			double t = (System.nanoTime() - t0) / 1e9;
			if (json)
				term.out.println(Json.write(jsonSample(t, now, total, cores, nets, perVcpu, decoder)));
			else
				term.out.print(table(t, now, total, cores, nets, perVcpu, decoder, pid, live));
			term.out.flush();
		}
		return false;
	}

	/**
	 * @return one JSON sample with the fields --help lists; the network fields only for the cores in {@code nets}
	 *         (empty: the kernel shows no network)
	 */
	static Map<String, Object> jsonSample(double t, Sample s, double total, List<CoreView> cores, List<NetView> nets,
			Map<Integer, Double> perVcpu, TelemetryDecoder d) {
		Map<Integer, NetView> netOf = byCpu(nets);
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("time_s", round(t));
		m.put("sample", s == null ? null : s.number());
		m.put("host_cpu_percent", round(total));
		m.put("frames_ok", d.framesOk());
		m.put("frames_corrupt", d.framesCorrupt());
		m.put("frames_dropped", d.framesDropped());
		List<Object> list = new ArrayList<>();
		for (CoreView c : cores) {
			Map<String, Object> cm = new LinkedHashMap<>();
			cm.put("cpu", c.cpu());
			cm.put("state", c.state().name().toLowerCase());
			cm.put("tid", c.currentTid());
			cm.put("thread", c.currentThread());
			cm.put("ready", c.ready());
			cm.put("context_switches_per_s", round(c.contextSwitchesPerSec()));
			cm.put("halts_per_s", round(c.haltsPerSec()));
			cm.put("wakeups_per_s", round(c.wakeupsPerSec()));
			cm.put("idle_percent", round(c.idlePercent()));
			cm.put("host_cpu_percent", perVcpu.containsKey(c.cpu()) ? round(perVcpu.get(c.cpu())) : null);
			NetView n = netOf.get(c.cpu());
			if (n != null) {
				cm.put("rx_packets_per_s", round(n.rxPacketsPerSec()));
				cm.put("tx_packets_per_s", round(n.txPacketsPerSec()));
				cm.put("requests_per_s", round(n.requestsPerSec()));
				cm.put("connections", n.connections());
			}
			list.add(cm);
		}
		m.put("cores", list);
		return m;
	}

	/**
	 * @return the text table of one second, with a clear-screen prefix when {@code live}; network columns (RX/s,
	 *         TX/s, CONN) when {@code nets} is not empty
	 */
	static String table(double t, Sample s, double total, List<CoreView> cores, List<NetView> nets, Map<Integer, Double> perVcpu,
			TelemetryDecoder d, long pid, boolean live) {
		Map<Integer, NetView> netOf = byCpu(nets);
		boolean net = !nets.isEmpty();
		StringBuilder b = new StringBuilder(live ? "\033[H\033[2J" : "");
		b.append(String.format("toro top  %.0f s  sample %s  QEMU pid %d host CPU %.1f%%  frames ok %d corrupt %d dropped %d%n", t,
				s == null ? "-" : Long.toString(s.number()), pid, total, d.framesOk(), d.framesCorrupt(), d.framesDropped()));
		b.append(String.format("%4s %-9s %-16s %5s %9s %9s %7s %6s", "CPU", "STATE", "THREAD", "READY", "CSW/s", "HALTS/s", "IDLE%", "HOST%"));
		b.append(net ? String.format(" %9s %9s %5s%n", "RX/s", "TX/s", "CONN") : "\n");
		for (CoreView c : cores) {
			String thread = c.currentTid() == 0 ? "-" : c.currentTid() + " " + c.currentThread();
			Double host = perVcpu.get(c.cpu());
			b.append(String.format("%4d %-9s %-16.16s %5d %9.1f %9.1f %7.1f %6s", c.cpu(), c.state().name().toLowerCase(), thread,
					c.ready(), c.contextSwitchesPerSec(), c.haltsPerSec(), c.idlePercent(), host == null ? "-" : String.format("%.1f", host)));
			NetView n = netOf.get(c.cpu());
			if (!net)
				b.append('\n');
			else if (n == null)
				b.append(String.format(" %9s %9s %5s%n", "-", "-", "-"));
			else
				b.append(String.format(" %9.1f %9.1f %5d%n", n.rxPacketsPerSec(), n.txPacketsPerSec(), n.connections()));
		}
		if (cores.isEmpty())
			b.append("  (no telemetry sample yet)\n");
		if (!live)
			b.append('\n');
		return b.toString();
	}

	private static Map<Integer, NetView> byCpu(List<NetView> nets) {
		Map<Integer, NetView> m = new HashMap<>();
		for (NetView n : nets)
			m.put(n.cpu(), n);
		return m;
	}

	private static double round(double v) {
		return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
	}
}
