package toro.studio.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import toro.studio.gdbmi.Breakpoint;
import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbListener;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.MiError;
import toro.studio.gdbmi.QemuDebugSession;
import toro.studio.gdbmi.RunState;
import toro.studio.gdbmi.StopEvent;
import toro.studio.gdbmi.mi.MiParseException;
import toro.studio.qemu.GdbStub;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.TelemetryShare;

/**
 * {@code toro debug}: builds the debug image, starts QEMU paused with its gdb
 * stub on a Unix socket in the run's private directory, connects gdb over MI, sets breakpoints and runs, printing
 * every stop; or runs a script of debugger commands; or, with neither, says how
 * to attach another debugger and waits.
 */
final class DebugCommand implements Command {
	/** Exit status when the debugger or QEMU died during the session. */
	static final int SESSION_LOST = 3;

	@Override
	public String name() {
		return "debug";
	}

	@Override
	public String summary() {
		return "boot in QEMU paused under gdb: break, run, print stops (or a script, or wait for a debugger)";
	}

	@Override
	public String usage() {
		return """
				usage: toro debug [--profile P] [--target NAME] [--smp N] [--break SYMBOL]... [--hbreak SYMBOL]...
				                  [--stops N] [--json] [--script FILE] [--wait S] [--machine M] [--append ARGS]
				                  [--accel auto|kvm|tcg] [--soft-breakpoints] [--gdb PATH] [--gdb-tcp PORT]
				                  [--net user|tap:NAME|none] [--forward HOSTPORT:GUESTPORT]... [--tree DIR]

				Builds the image (debug profile: -O0 -g), starts QEMU paused with its gdb
				stub on a Unix socket that only you can open, connects gdb (MI), sets the
				breakpoints and runs. At each stop it prints the reason, the stopping thread
				(a vCPU) and its core, and the stack; after --stops stops it ends the session. Without --break or --script it
				prints how to attach gdb to the stub, and waits until QEMU exits.

				  --profile P      build profile (default debug)
				  --target NAME    image to debug (default: the descriptor's default, toro)
				  --smp N          number of cores, 1 to 64 (default 1)
				  --break SYMBOL   software breakpoint at a function, file:line or *address; repeatable
				  --hbreak SYMBOL  hardware breakpoint; repeatable
				  --stops N        stops to report before ending the session (default 1)
				  --json           one JSON object per stop / script command on stdout:
				                   reason, thread, core, frames [{func, file, line, addr}];
				                   reason kvm-internal-error adds rip and detail
				  --script FILE    run debugger commands, one per line: break LOC, hbreak LOC,
				                   continue, step, next, finish, print EXPR, info threads, bt, quit
				  --wait S         seconds to wait for a stop before interrupting the target (default 60)
				  --machine M      microvm (default), pc or q35
				  --append ARGS    kernel command line
				  --accel A        auto (default: kvm when /dev/kvm is usable, else tcg), kvm or tcg;
				                   under KVM every breakpoint is a hardware one (4 at most), since
				                   KVM cannot be trusted with QEMU's software breakpoints
				  --soft-breakpoints  --break uses int3 even under KVM (where the host's KVM
				                   cannot run them, the stop is reported as kvm-internal-error)
				  --gdb PATH       the gdb to run (default gdb on PATH)
				  --gdb-tcp PORT   put the stub on TCP at 127.0.0.1:PORT instead (0: a free port),
				                   for tools that cannot use a Unix socket (CDT's attach launch).
				                   Unsafe: every local user can connect, and through gdb's
				                   'monitor' command drive QEMU's monitor as you (write files,
				                   run commands)
				  --net, --forward as for toro run: the guest's network and 127.0.0.1 port forwards
				  --tree DIR       the kernel tree (default: nearest toro.build, else kernel-src/)

				The guest's console goes to stderr; stdout carries only the results.
				Exit status: 0 done; 1 a breakpoint, a script command or the build failed;
				2 bad usage; 3 gdb or QEMU died during the session.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		List<String> all = new ArrayList<>(args);
		if (args.stream().noneMatch(a -> a.equals("--profile") || a.startsWith("--profile=")))
			all.add("--profile=debug");
		List<String> declared = new ArrayList<>(List.of("--profile=", "--target=", "--tree=", "--smp=", "--machine=", "--append=", "--break=*",
				"--hbreak=*", "--stops=", "--json", "--script=", "--wait=", "--gdb=", "--accel=", "--gdb-tcp=", "--soft-breakpoints"));
		declared.addAll(RunCommand.NET_OPTIONS);
		Options o = Options.parse(all, declared.toArray(String[]::new));
		RunCommand.noPositional(o);
		Path script = o.get("--script", null) == null ? null : Path.of(o.get("--script", null));
		if (script != null && !Files.isReadable(script))
			throw new UsageException("cannot read the script " + script);
		int stops = o.integer("--stops", 1, 1, 1_000_000);
		Duration wait = Duration.ofSeconds(o.integer("--wait", 60, 1, 1_000_000));
		Path image = RunCommand.image(o, null, term);
		QemuConfig c = RunCommand.config(o, image).withGdbStub(true);
		boolean drive = script != null || !o.all("--break").isEmpty() || !o.all("--hbreak").isEmpty();
		// gdb loads the image while QEMU starts: the two start-ups overlap.
		CompletableFuture<GdbSession> gdb = drive
				? CompletableFuture.supplyAsync(() -> GdbSession.start(Path.of(o.get("--gdb", "gdb")), image))
				: null;
		int tcp = o.get("--gdb-tcp", null) == null ? -1 : o.integer("--gdb-tcp", 0, 0, 65535);
		try (QemuProcess q = RunCommand.noted(tcp < 0 ? QemuProcess.start(c) : QemuProcess.startWithTcpStub(c, tcp), term);
				TelemetryShare share = RunCommand.shareTelemetry(q, term)) {
			Thread hook = RunCommand.stopOnExit(q, term);
			try {
				RunCommand.announceForwards(q, term);
				RunCommand.copy(q.console(), term.err, q.config().network(), "toro-console");
				if (gdb == null)
					return attachHint(q, image, term);
				return session(o, q, started(gdb), script, stops, wait, term);
			} finally {
				RunCommand.removeHook(hook);
			}
		} finally {
			if (gdb != null)
				gdb.thenAccept(GdbSession::close);
		}
	}

	/** @return the started session, or the reason it did not start. */
	private static GdbSession started(CompletableFuture<GdbSession> gdb) {
		try {
			return gdb.join();
		} catch (CompletionException e) {
			if (e.getCause() instanceof RuntimeException r)
				throw r;
			throw e;
		}
	}

	/** Connects gdb to QEMU, then runs the script or the breakpoints; closes gdb. */
	private static int session(Options o, QemuProcess q, GdbSession started, Path script, int stops, Duration wait, Terminal term)
			throws Exception {
		DebugPrinter print = new DebugPrinter(term.out, o.flag("--json"), () -> q.kvmInternalError(QemuProcess.KVM_REPORT_WAIT));
		CountDownLatch ended = new CountDownLatch(1);
		GdbListener report = new GdbListener() {
			@Override
			public void exited(String why) {
				term.progress("debug session ended: " + why);
				ended.countDown();
			}

			@Override
			public void parseError(String line, MiParseException e) {
				term.progress("skipped a line of gdb output that is not MI (" + e.getMessage() + "): " + line);
			}
		};
		started.addListener(report);
		QemuDebugSession session;
		try {
			session = QemuDebugSession.attach(q, started, Duration.ofSeconds(10), o.flag("--soft-breakpoints"));
		} catch (GdbException e) {
			term.progress("gdb could not attach to QEMU's stub: " + e.getMessage());
			return 1;
		}
		try (session) {
			GdbSession gdb = session.gdb();
			try {
				term.progress("gdb connected to QEMU's stub on " + q.gdbStub() + " (" + c(q) + ")");
				if (gdb.breakpointsInDebugRegisters())
					term.progress("breakpoints go into the debug registers (hardware, 4 at most): software ones are unreliable under KVM");
				if (script != null)
					return new DebugScript(gdb, print, wait).run(script);
				for (String s : o.all("--break"))
					print.breakpoint("break " + s, insert(gdb, BreakpointSpec.at(s)));
				for (String s : o.all("--hbreak"))
					print.breakpoint("hbreak " + s, insert(gdb, BreakpointSpec.hardware(s)));
				for (int i = 0; i < stops; i++) {
					gdb.cont();
					StopEvent e = awaitStop(gdb, wait);
					if (print.stop(null, e, gdb.stack(e.threadId())))
						return 1; // KVM cannot run this vCPU on
				}
				return 0;
			} catch (GdbException e) {
				term.progress(e instanceof MiError m ? m.gdbMessage() : e.getMessage());
				RunState s = gdb.state();
				return q.isAlive() && s != RunState.EXITED && s != RunState.DISCONNECTED ? 1 : SESSION_LOST;
			} finally {
				// A lost session is news: the run state says so before the dispatcher has told the
				// listener why, so let that report arrive. The end we chose is no news.
				RunState s = gdb.state();
				if (s == RunState.EXITED || s == RunState.DISCONNECTED)
					ended.await(5, TimeUnit.SECONDS);
				gdb.removeListener(report);
			}
		}
	}

	/** Inserts a breakpoint; an unknown location names the option's value. */
	private static Breakpoint insert(GdbSession gdb, BreakpointSpec spec) {
		try {
			return gdb.insertBreakpoint(spec);
		} catch (MiError e) {
			throw new GdbException("cannot set a breakpoint at " + spec.location() + ": " + e.gdbMessage()
					+ " (give a function of the image, file:line or *address)", e);
		}
	}

	/**
	 * Waits for the target to stop; after {@code wait} interrupts it (a running target can
	 * always be stopped) and returns that stop, saying so on stderr.
	 */
	static StopEvent awaitStop(GdbSession gdb, Duration wait) {
		try {
			return gdb.waitForStop(wait);
		} catch (GdbException e) {
			if (gdb.state() != RunState.RUNNING)
				throw e;
			System.err.println("toro: no stop within " + wait.toSeconds() + " s: interrupting the target");
			gdb.interrupt();
			return gdb.waitForStop(Duration.ofSeconds(10));
		}
	}

	private static String c(QemuProcess q) {
		int n = q.config().cpus();
		return n + " vCPU" + (n == 1 ? "" : "s") + ", " + q.config().accel().resolve().name().toLowerCase();
	}

	/** No breakpoints, no script: tell how to attach, then wait for QEMU to end. */
	private static int attachHint(QemuProcess q, Path image, Terminal term) {
		GdbStub stub = q.gdbStub();
		term.out.println("QEMU is paused with its gdb stub on " + stub + ". Attach with:");
		term.out.println("  gdb " + image + " -ex 'set architecture i386:x86-64' -ex 'target remote " + stub.target() + "'");
		if (stub.isTcp())
			term.out.println("Every local user can reach that port (--gdb-tcp); without it the stub is a private Unix socket.");
		term.out.println("Waiting until QEMU exits (Ctrl-C stops it).");
		term.out.flush();
		q.exit().join();
		return 0;
	}
}
