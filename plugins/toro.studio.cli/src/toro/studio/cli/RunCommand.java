package toro.studio.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import toro.studio.build.BuildException;
import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;
import toro.studio.build.Problem;
import toro.studio.qemu.Accel;
import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.Forward;
import toro.studio.qemu.ForwardNotes;
import toro.studio.qemu.KvmInternalError;
import toro.studio.qemu.Machine;
import toro.studio.qemu.Network;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.TelemetryPump;
import toro.studio.telemetry.TelemetryShare;

/**
 * {@code toro run}: builds the image if it is out of date, boots it in QEMU, copies COM1 to
 * stdout and exits with the guest's status. Also holds what {@code test}, {@code top} and
 * {@code bench idle} share: the image build and the QEMU options.
 */
final class RunCommand implements Command {
	/** Exit status when --timeout expires (as timeout(1)). */
	static final int TIMEOUT = 124;
	/** Exit status when the guest crashed: QEMU ended without an exit value. */
	static final int CRASHED = 125;
	/** The network options, read by {@link #config}: part of {@link #BOOT_OPTIONS}, and taken by debug too. */
	static final List<String> NET_OPTIONS = List.of("--net=", "--forward=*");
	/** The options that pick and boot an image, shared by run, test and top. */
	static final List<String> BOOT_OPTIONS = Stream.concat(Stream.of("--profile=", "--target=", "--tree=", "--smp=", "--mem=", "--machine=",
			"--accel=", "--append=", "--timeout=", "--why"), NET_OPTIONS.stream()).toList();

	@Override
	public String name() {
		return "run";
	}

	@Override
	public String summary() {
		return "build if needed, boot in QEMU, stream the console, exit with the guest's status";
	}

	@Override
	public String usage() {
		return """
				usage: toro run [--profile P] [--target NAME] [--smp N] [--mem MiB] [--machine M]
				                [--accel auto|kvm|tcg] [--append ARGS] [--timeout S] [--why] [--tree DIR]
				                [--net user|tap:NAME|none] [--forward HOSTPORT:GUESTPORT]...

				Builds the image if it is out of date, boots it in QEMU (console on COM1,
				telemetry on COM2, QMP, all on private Unix sockets) and copies the console
				to stdout until the guest exits. Ctrl-C stops QEMU cleanly.

				  --profile P      build profile: release (default) or debug
				  --target NAME    image to boot (default: the descriptor's default, toro)
				  --smp N          number of cores, 1 to 64 (default 1)
				  --mem MiB        guest memory in MiB (default 128)
				  --machine M      microvm (default, fastest boot), pc or q35
				  --accel A        auto (default: kvm when /dev/kvm is usable and QEMU accepts it, else
				                   tcg, saying why), kvm (exit 2 when KVM cannot be used) or tcg
				  --append ARGS    kernel command line, e.g. "telemetry=20 idle=poll"
				  --timeout S      stop QEMU after S seconds and exit 124 (default: no limit)
				  --why            log interrupts and CPU resets; on a crash show the last of them
				  --tree DIR       the kernel tree (default: nearest toro.build, else kernel-src/)
				  --net B          virtio-net backend: none (default), user (QEMU's NAT) or tap:NAME (an existing tap)
				  --forward H:G    forward 127.0.0.1:H to guest port G (tcp; udp:H:G; H 0 picks a free port); repeatable, implies --net user

				Exit status: the guest's exit value (0 success, 1 tests failed, 2 panic);
				124 on timeout; 125 when the guest crashed (triple fault); 1 when the build
				failed or QEMU could not run; 2 for bad usage or --accel kvm where KVM cannot be used.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options o = Options.parse(args, BOOT_OPTIONS.toArray(String[]::new));
		noPositional(o);
		QemuConfig c = config(o, image(o, null, term));
		return boot(c, o.integer("--timeout", 0, 0, 1_000_000), term);
	}

	/** Boots {@code c}, streams the console to stdout, and maps how it ended to an exit status. */
	static int boot(QemuConfig c, int timeoutSeconds, Terminal term) throws QemuException, InterruptedException {
		term.progress("booting " + c.kernel().getFileName() + " on " + c.machine().qemuName() + ", " + c.cpus() + " core"
				+ (c.cpus() == 1 ? "" : "s") + ", " + c.accel().resolve().name().toLowerCase());
		try (QemuProcess q = noted(QemuProcess.start(c), term); TelemetryShare share = shareTelemetry(q, term)) {
			Thread hook = stopOnExit(q, term);
			try {
				announceForwards(q, term);
				Thread console = copy(q.console(), term.out, q.config().network(), "toro-console");
				forwardStdin(q.consoleInput());
				ExitStatus s = timeoutSeconds > 0 ? q.waitFor(Duration.ofSeconds(timeoutSeconds)) : q.exit().join();
				if (s == null) {
					q.stop();
					console.join(2000);
					term.progress("timeout after " + timeoutSeconds + " s: QEMU stopped");
					return TIMEOUT;
				}
				console.join(2000);
				return report(s, q, term);
			} finally {
				removeHook(hook);
			}
		}
	}

	/**
	 * Says how the run ended, on stderr.
	 *
	 * @return the guest's value, {@link #CRASHED}, or 1 when QEMU failed or was killed
	 */
	static int report(ExitStatus s, QemuProcess q, Terminal term) {
		if (s.guestValue() != null) {
			if (s.guestValue() != 0)
				term.progress(s.detail());
			return s.guestValue();
		}
		if (s.crashed()) {
			term.progress(s.detail());
			KvmInternalError kvm = q.kvmInternalError();
			if (kvm != null) {
				term.progress("QEMU's report, with the vCPU's registers:");
				kvm.report().forEach(term.err::println);
				return CRASHED;
			}
			List<String> why = q.whyLog(30);
			if (why.isEmpty()) {
				term.progress("run again with --why to see the guest's last interrupts and CPU resets");
			} else {
				term.progress("the last lines of QEMU's interrupt log (-d int,cpu_reset):");
				why.forEach(term.err::println);
			}
			return CRASHED;
		}
		term.progress(s.detail() + (s.killed() ? "; nothing is left running" : ""));
		String err = q.stderr().strip();
		if (!err.isEmpty() && !s.killed())
			term.err.println(err);
		return 1;
	}

	/**
	 * Builds the image of the requested profile and target (the engine does nothing when it is up
	 * to date), with progress and problems on stderr.
	 *
	 * @param defaultTarget the target when --target is absent; null for the descriptor's default
	 * @return the image's path
	 * @throws IllegalStateException when the build failed, saying what to do
	 */
	static Path image(Options o, String defaultTarget, Terminal term) throws Exception {
		Path tree = ToroHome.kernelTree(o);
		BuildRequest req = new BuildRequest(tree, o.get("--profile", null), o.get("--target", defaultTarget), 0, false, false);
		BuildResult r;
		try {
			r = KernelBuild.build(req, BuildCommand.listener(term, term.err), () -> false);
		} catch (BuildException e) {
			throw new IllegalStateException("cannot build the image: " + e.getMessage());
		}
		if (!r.success())
			throw new IllegalStateException("the build failed (problems above); fix them, then run again");
		if (r.stepsRun() > 0)
			term.progress(String.format("built %s in %.2f s", r.image().getFileName(), r.elapsed().toNanos() / 1e9));
		return r.image();
	}

	/**
	 * @return the QEMU configuration that the boot options ask for
	 * @throws UsageException naming the bad value
	 */
	static QemuConfig config(Options o, Path image) throws UsageException {
		try {
			return QemuConfig.defaults(image)
					.withCpus(o.integer("--smp", 1, 1, QemuConfig.MAX_CPUS))
					.withMemoryMiB(o.integer("--mem", 128, 16, 65536))
					.withMachine(Machine.parse(o.get("--machine", "microvm")))
					.withAccel(Accel.parse(o.get("--accel", "auto")))
					.withAppend(o.get("--append", ""))
					.withWhyDidItDie(o.flag("--why"))
					.withNetwork(network(o));
		} catch (IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
	}

	/**
	 * @return the network that --net and --forward ask for: none without either, user networking when
	 *         only --forward is given
	 * @throws UsageException naming the option, its value and the fix
	 */
	static Network network(Options o) throws UsageException {
		List<Forward> forwards = new ArrayList<>();
		for (String f : o.all("--forward")) {
			try {
				forwards.add(Forward.parse(f));
			} catch (IllegalArgumentException e) {
				throw new UsageException("--forward " + f + ": " + e.getMessage());
			}
		}
		String net = o.get("--net", forwards.isEmpty() ? "none" : "user");
		if (net.equals("user")) {
			try {
				return Network.user(forwards);
			} catch (IllegalArgumentException e) {
				throw new UsageException("--forward: " + e.getMessage());
			}
		}
		if (!net.equals("none") && !net.startsWith("tap"))
			throw new UsageException("--net " + net + " is not a backend; use --net user, --net tap:NAME or --net none");
		if (!forwards.isEmpty())
			throw new UsageException("--forward needs user networking, and --net " + net + " has none: drop --net " + net
					+ " (--forward implies --net user) or drop --forward");
		if (net.equals("none"))
			return Network.NONE;
		if (!net.startsWith("tap:") || net.length() == 4)
			throw new UsageException("--net " + net + " needs the device's name: --net tap:NAME, a tap device you created beforehand");
		try {
			return Network.tap(net.substring(4));
		} catch (IllegalArgumentException e) {
			throw new UsageException("--net " + net + ": " + e.getMessage());
		}
	}

	/** Says on stderr where each port forward listens, the chosen port of a HOSTPORT 0 included. */
	static void announceForwards(QemuProcess q, Terminal term) {
		for (Forward f : q.config().network().forwards())
			term.progress("forwarding " + f.protocol().qemuName() + " 127.0.0.1:" + f.hostPort() + " to guest port " + f.guestPort());
	}

	static void noPositional(Options o) throws UsageException {
		if (!o.positional().isEmpty())
			throw new UsageException("unexpected argument '" + o.positional().get(0) + "'");
	}

	/** Says on stderr why {@code q} runs under TCG when KVM was hoped for (see QemuProcess.accelNote); returns q. */
	static QemuProcess noted(QemuProcess q, Terminal term) {
		if (q.accelNote() != null)
			term.progress(q.accelNote());
		return q;
	}

	/** Stops QEMU when the JVM exits first (Ctrl-C): QMP quit, then signals. */
	static Thread stopOnExit(QemuProcess q, Terminal term) {
		Thread hook = new Thread(() -> {
			if (q.isAlive()) {
				term.progress("interrupted: stopping QEMU");
				q.stop();
			}
		}, "toro-stop-qemu");
		Runtime.getRuntime().addShutdownHook(hook);
		return hook;
	}

	static void removeHook(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		} catch (IllegalStateException e) {
			// the JVM is already exiting: the hook runs
		}
	}

	/**
	 * Reads COM2 (an unread COM2 would stall the guest's UART) and serves a copy for
	 * {@code toro top --attach}.
	 *
	 * @return the share to close after the run, or null when it could not be opened (said on stderr)
	 */
	static TelemetryShare shareTelemetry(QemuProcess q, Terminal term) {
		TelemetryShare share = null;
		try {
			share = TelemetryShare.open(q.pid());
		} catch (IOException e) {
			term.progress("telemetry is not shared for toro top --attach: " + e.getMessage());
		}
		TelemetryPump.start(q.telemetry(), share != null ? share::feed : (b, off, len) -> {
		}, null);
		return share;
	}

	/** @return a started daemon thread copying {@code in} to {@code out} until end of stream. */
	static Thread copy(InputStream in, PrintStream out, String name) {
		return copy(in, out, Network.NONE, name);
	}

	/**
	 * @return a started daemon thread copying the console {@code in} to {@code out} until end of stream,
	 *         with the note of {@link ForwardNotes} after a listening line whose port {@code network} forwards
	 */
	static Thread copy(InputStream in, PrintStream out, Network network, String name) {
		ForwardNotes notes = new ForwardNotes(network);
		Thread t = new Thread(() -> {
			byte[] b = new byte[4096];
			try {
				for (int n; (n = in.read(b)) >= 0;) {
					notes.copy(b, 0, n, out);
					out.flush();
				}
			} catch (IOException e) {
				// QEMU went away: the console has ended
			}
		}, name);
		t.setDaemon(true);
		t.start();
		return t;
	}

	/** Sends what the user types to the guest's COM1, on a daemon thread. */
	private static void forwardStdin(OutputStream guest) {
		Thread t = new Thread(() -> {
			byte[] b = new byte[256];
			try {
				for (int n; (n = System.in.read(b)) >= 0;) {
					guest.write(b, 0, n);
					guest.flush();
				}
			} catch (IOException e) {
				// the guest's side closed
			}
		}, "toro-stdin");
		t.setDaemon(true);
		t.start();
	}
}
