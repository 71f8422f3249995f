package toro.studio.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One running QEMU with the Toro kernel in it. {@link #start} returns once COM1, COM2 and QMP are
 * connected and the QMP handshake is done; the guest runs from then on (or waits for GDB when the
 * stub is on). The caller must keep reading {@link #console()} and {@link #telemetry()} (or close
 * them): a full socket buffer stalls the guest's UART.
 *
 * No QEMU outlives its owner: {@link #stop()} quits through QMP, then terminates, then kills;
 * a JVM shutdown hook terminates every live instance (SIGTERM, then SIGKILL after a second); and QEMU runs under
 * {@code setpriv --pdeathsig KILL} from one long-lived launcher thread, so even a JVM killed
 * with SIGKILL takes its QEMUs along (QEMU 7.2 has no exit-with-parent option of its own).
 */
public final class QemuProcess implements AutoCloseable {
	/** How long after gdb's SIGABRT QEMU's report may still be on its way to the stderr file. */
	public static final Duration KVM_REPORT_WAIT = Duration.ofMillis(500);
	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
	private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
	/** The file in the private directory that names the owning JVM's pid. */
	private static final String OWNER = "owner";
	/** QEMU's error when slirp cannot bind a hostfwd rule's host port (QEMU 7.2). */
	private static final String HOSTFWD_REFUSED = "Could not set up host forwarding rule";
	private static final Set<QemuProcess> LIVE = ConcurrentHashMap.newKeySet();
	private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "toro-qemu-launcher");
		t.setDaemon(true);
		return t;
	});

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(QemuProcess::reapAll, "toro-qemu-reaper"));
	}

	private final QemuConfig config;
	private final Endpoints endpoints;
	private final List<String> argv;
	private final Process process;
	private final Path stderrFile;
	private final DebugLogTail debugLog; // null unless asked why the guest died
	private final List<SocketChannel> channels = new ArrayList<>();
	private final CompletableFuture<ExitStatus> exit;
	private volatile boolean stopRequested;
	private volatile String accelNote;
	private InputStream console;
	private OutputStream consoleInput;
	private InputStream telemetry;
	private QmpClient qmp;

	private QemuProcess(QemuConfig config, Endpoints endpoints, List<String> argv, Process process, Path stderrFile,
			DebugLogTail debugLog) {
		this.config = config;
		this.endpoints = endpoints;
		this.argv = argv;
		this.process = process;
		this.stderrFile = stderrFile;
		this.debugLog = debugLog;
		this.exit = process.onExit().thenApply(p -> {
			LIVE.remove(this);
			return ExitStatus.of(p.exitValue(), stopRequested, stderr());
		});
	}

	/**
	 * Starts QEMU and connects to it. A GDB stub, when {@code c.gdbStub()}, listens on a Unix socket
	 * in the run's private directory ({@link #gdbStub()}).
	 *
	 * @throws QemuException with one clear message: the emulator or the kernel is missing, KVM was
	 *                       asked for but is not usable, or QEMU refused its arguments (its error
	 *                       line is in the message)
	 */
	public static QemuProcess start(QemuConfig c) throws QemuException {
		Path qemu = checked(c);
		return accelerated(c, r -> launch(qemu, r, c.gdbStub() ? 0 : -1));
	}

	/**
	 * Starts QEMU with its GDB stub on TCP at 127.0.0.1, for tools that cannot use a Unix socket.
	 * Every local user can reach that port, and through the stub QEMU's monitor: prefer
	 * {@link #start(QemuConfig)}.
	 *
	 * @param c       the configuration; its {@code gdbStub()} must be on
	 * @param tcpPort the port: 0 picks a free one (retried if another process takes it first), a
	 *                positive value must be free
	 * @throws QemuException as {@link #start(QemuConfig)}, or the port is in use
	 */
	public static QemuProcess startWithTcpStub(QemuConfig c, int tcpPort) throws QemuException {
		if (!c.gdbStub() || tcpPort < 0)
			throw new IllegalArgumentException("a TCP stub needs gdbStub on and a port >= 0: " + c.gdbStub() + ", " + tcpPort);
		Path qemu = checked(c);
		if (tcpPort > 0 && Ports.inUse(tcpPort))
			throw new QemuException("port " + tcpPort + " on 127.0.0.1 is in use; choose another port or let toro pick a free one");
		for (int attempt = 1;; attempt++) {
			int port = tcpPort > 0 ? tcpPort : Ports.freeLoopbackPort();
			try {
				return accelerated(c, r -> launch(qemu, r, port));
			} catch (PortTakenException e) {
				if (tcpPort > 0 || attempt == 3)
					throw new QemuException("port " + port + " on 127.0.0.1 is in use; choose another port or let toro pick a free one");
			}
		}
	}

	/** @return the emulator to run, after checking what can be checked before starting it. */
	private static Path checked(QemuConfig c) throws QemuException {
		Path qemu = resolveQemu(c.qemu());
		if (!Files.isRegularFile(c.kernel()))
			throw new QemuException("kernel image " + c.kernel() + " not found; build it first (toro build)");
		if (c.accel() == Accel.KVM && Accel.detect() != Accel.KVM)
			throw new KvmUnusableException(Accel.kvmStatus());
		if (c.network().backend() == NetBackend.TAP && !isTap(c.network().tap()))
			throw new QemuException("there is no tap device " + c.network().tap() + " in this network namespace; create it first"
					+ " (e.g. ip tuntap add dev " + c.network().tap() + " mode tap, in a namespace of its own) and run toro there:"
					+ " the runner never creates interfaces");
		for (Forward f : c.network().forwards()) {
			if (f.hostPort() == 0)
				continue;
			if (f.protocol() == Forward.Protocol.TCP ? Ports.inUse(f.hostPort()) : Ports.udpInUse(f.hostPort()))
				throw new QemuException(f.protocol().qemuName() + " port " + f.hostPort() + " on 127.0.0.1 is in use (forward " + f
						+ "); choose another host port, or 0 for a free one");
		}
		return qemu;
	}

	/**
	 * @return whether {@code name} is an existing tap (or tun) device as this process's network
	 *         namespace sees it. Checked before QEMU starts because QEMU, run by root, would otherwise
	 *         create a missing tap device itself: a new interface in whatever namespace toro runs in.
	 */
	static boolean isTap(String name) {
		return Files.exists(Path.of("/sys/class/net", name, "tun_flags"));
	}

	/** One launch of QEMU with a configuration whose accelerator is KVM or TCG, never AUTO. */
	private interface Launch {
		QemuProcess with(QemuConfig resolved) throws QemuException;
	}

	/**
	 * Launches with the accelerator resolved. AUTO is KVM when /dev/kvm opens, else TCG with
	 * {@link #accelNote()} saying why. When QEMU itself refuses KVM at start-up (a nested
	 * hypervisor lacking a feature, a kernel module missing), AUTO falls back to TCG with QEMU's
	 * refusal as the note, and an explicit KVM throws {@link KvmUnusableException}.
	 */
	private static QemuProcess accelerated(QemuConfig c, Launch launch) throws QemuException {
		if (c.accel() == Accel.TCG)
			return launch.with(c);
		if (c.accel() == Accel.AUTO && Accel.detect() != Accel.KVM)
			return launch.with(c.withAccel(Accel.TCG)).noted(Accel.kvmStatus());
		try {
			return launch.with(c.withAccel(Accel.KVM));
		} catch (KvmRefusedException e) {
			if (c.accel() == Accel.KVM)
				throw new KvmUnusableException("QEMU cannot use KVM here (" + e.getMessage() + ")");
			return launch.with(c.withAccel(Accel.TCG)).noted("QEMU cannot use KVM here (" + e.getMessage() + "); it uses TCG");
		}
	}

	/** Records why the run uses TCG although KVM was hoped for; returns this. */
	private QemuProcess noted(String why) {
		accelNote = why;
		return this;
	}

	/**
	 * @return why this run uses TCG although its configuration said AUTO (no usable /dev/kvm, or
	 *         QEMU's own refusal of KVM), or null when it got the accelerator it asked for
	 */
	public String accelNote() {
		return accelNote;
	}

	/**
	 * Launches with every forward's host port 0 replaced by a free loopback port, choosing again (three
	 * times at most) when another process takes one first; {@link #config()} then holds the chosen ports.
	 *
	 * @param gdbTcpPort as {@link Endpoints#in(Path, int)}: -1 no stub, 0 a Unix socket, else TCP
	 */
	private static QemuProcess launch(Path qemu, QemuConfig c, int gdbTcpPort) throws QemuException {
		for (int attempt = 1;; attempt++) {
			try {
				return launchOnce(qemu, c.withNetwork(c.network().withFreePorts()), gdbTcpPort);
			} catch (ForwardTakenException e) {
				if (!c.network().hasFreePortRequests() || attempt == 3)
					throw new QemuException("QEMU could not listen on 127.0.0.1 for a port forward (" + e.getMessage()
							+ "): the port is in use; choose another host port, or 0 for a free one");
			}
		}
	}

	/** One launch of {@link #launch}: the configuration's host ports are all chosen. */
	private static QemuProcess launchOnce(Path qemu, QemuConfig c, int gdbTcpPort) throws QemuException {
		Path dir = privateDir();
		Endpoints e = Endpoints.in(dir, gdbTcpPort);
		List<String> argv = new ArrayList<>();
		if (Files.isExecutable(SETPRIV))
			argv.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
		argv.addAll(QemuArgv.build(qemu, c, e));
		Path stderr = dir.resolve("qemu-stderr.txt");
		DebugLogTail log;
		try {
			log = c.whyDidItDie() ? DebugLogTail.start(e.debugLog()) : null;
		} catch (QemuException x) {
			deleteTree(dir);
			throw x;
		}
		ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		Process p;
		try {
			p = LAUNCHER.submit(pb::start).get();
		} catch (ExecutionException x) {
			if (log != null)
				log.finish();
			deleteTree(dir);
			throw new QemuException("cannot start " + qemu + ": " + x.getCause().getMessage(), x.getCause());
		} catch (InterruptedException x) {
			Thread.currentThread().interrupt();
			if (log != null)
				log.finish();
			deleteTree(dir);
			throw new QemuException("interrupted while starting QEMU");
		}
		QemuProcess q = new QemuProcess(c, e, List.copyOf(argv), p, stderr, log);
		LIVE.add(q);
		try {
			q.connect();
			return q;
		} catch (QemuException | QmpException x) {
			q.stop();
			String err = q.stderrText(); // before close() deletes the file
			q.close();
			if (err.contains(HOSTFWD_REFUSED))
				throw new ForwardTakenException(QemuStderr.firstError(err));
			if (err.contains("Address already in use"))
				throw new PortTakenException();
			String first = QemuStderr.firstError(err);
			if (c.accel() == Accel.KVM && first != null && first.toLowerCase(Locale.ROOT).contains("kvm"))
				throw new KvmRefusedException(first);
			if (first != null)
				throw new QemuException("QEMU refused to start: " + first + "\n  change the option it names and try again; the command was: "
						+ String.join(" ", q.argv), x);
			throw new QemuException("QEMU did not come up: " + x.getMessage() + "\n  command: " + String.join(" ", q.argv), x);
		}
	}

	/** Connects COM1, COM2 and QMP in the order QEMU creates (and waits on) them, then greets QMP. */
	private void connect() throws QemuException {
		long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
		SocketChannel com1 = connectUnix(endpoints.console(), deadline);
		console = ChannelStreams.in(com1);
		consoleInput = ChannelStreams.out(com1);
		telemetry = ChannelStreams.in(connectUnix(endpoints.telemetry(), deadline));
		SocketChannel mon = connectUnix(endpoints.qmp(), deadline);
		qmp = new QmpClient(ChannelStreams.in(mon), ChannelStreams.out(mon), "pid " + process.pid());
		qmp.handshake(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
		if (!config.gdbStub())
			qmp.addEventListener(this::endOnInternalError);
	}

	private SocketChannel connectUnix(Path path, long deadline) throws QemuException {
		while (true) {
			if (!process.isAlive())
				throw new QemuException("QEMU exited with status " + process.exitValue() + " before accepting " + path.getFileName());
			if (Files.exists(path)) {
				SocketChannel ch = null;
				try {
					ch = SocketChannel.open(StandardProtocolFamily.UNIX);
					ch.connect(UnixDomainSocketAddress.of(path));
					synchronized (channels) {
						channels.add(ch);
					}
					return ch;
				} catch (IOException e) {
					closeQuietly(ch);
				}
			}
			if (System.nanoTime() > deadline)
				throw new QemuException("QEMU did not open " + path.getFileName() + " within " + CONNECT_TIMEOUT.toSeconds() + " s");
			try {
				Thread.sleep(2);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new QemuException("interrupted while connecting to QEMU");
			}
		}
	}

	/**
	 * A STOP in a run without a debugger. When KVM paused the machine on an internal error
	 * (run state internal-error), nothing can resume it: QEMU is ended, and its exit status says
	 * why ({@link KvmInternalError}). Under a debugger the machine stays, for gdb to inspect. The
	 * query runs off the QMP reader thread, which must not block.
	 */
	private void endOnInternalError(QmpEvent e) {
		if (!e.name().equals("STOP"))
			return;
		CompletableFuture.runAsync(() -> {
			try {
				if ("internal-error".equals(qmp.queryStatus()))
					stop();
			} catch (QmpException x) {
				// QEMU is gone already: its exit status tells the rest
			}
		});
	}

	/** @return QEMU's report of a vCPU that KVM could not run on, from its stderr, or null. */
	public KvmInternalError kvmInternalError() {
		return KvmInternalError.find(stderrText());
	}

	/**
	 * {@link #kvmInternalError()} for a debugger that has just seen SIGABRT: QEMU writes its report
	 * before it tells gdb, but the report reaches the stderr file through a pipe, so it is looked
	 * for again for up to {@code wait} ({@link #KVM_REPORT_WAIT}).
	 *
	 * @return the report, or null when none came within {@code wait}
	 */
	public KvmInternalError kvmInternalError(Duration wait) {
		long end = System.nanoTime() + wait.toNanos();
		for (;;) {
			KvmInternalError k = kvmInternalError();
			if (k != null || System.nanoTime() > end)
				return k;
			try {
				Thread.sleep(20);
			} catch (InterruptedException x) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

	/** @return COM1 as the guest writes it. */
	public InputStream console() {
		return console;
	}

	/** @return what is written here reaches the guest's COM1 receiver. */
	public OutputStream consoleInput() {
		return consoleInput;
	}

	/** @return COM2: the telemetry byte stream (see toro.studio.telemetry). */
	public InputStream telemetry() {
		return telemetry;
	}

	/** @return where the GDB stub listens, or null when there is none. */
	public GdbStub gdbStub() {
		return endpoints.gdb();
	}

	/** @return the QMP client, handshake done. */
	public QmpClient qmp() {
		return qmp;
	}

	/** @return QEMU's process id. */
	public long pid() {
		return process.pid();
	}

	/** @return the configuration it was started with, its forwards' host ports as chosen at start. */
	public QemuConfig config() {
		return config;
	}

	/** @return where its sockets and logs are. */
	public Endpoints endpoints() {
		return endpoints;
	}

	/** @return the exact argv that was executed (setpriv's prefix included when present). */
	public List<String> argv() {
		return argv;
	}

	/** @return completes when QEMU has exited, with how it ended. */
	public CompletableFuture<ExitStatus> exit() {
		return exit;
	}

	/** @return whether QEMU is still running. */
	public boolean isAlive() {
		return process.isAlive();
	}

	/**
	 * Waits for QEMU to exit by itself.
	 *
	 * @return how it ended, or null if it is still running after {@code timeout} (it keeps running)
	 */
	public ExitStatus waitFor(Duration timeout) {
		try {
			return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (TimeoutException e) {
			return null;
		} catch (ExecutionException e) {
			throw new IllegalStateException("QEMU's exit could not be read", e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** @return everything QEMU wrote on stderr and stdout, minus its socket waiting notes. */
	public String stderr() {
		return QemuStderr.clean(stderrText());
	}

	private String stderrText() {
		try {
			return Files.exists(stderrFile) ? Files.readString(stderrFile, StandardCharsets.UTF_8) : "";
		} catch (IOException e) {
			return "(QEMU's stderr could not be read: " + e.getMessage() + ")";
		}
	}

	/**
	 * @return the last {@code n} lines of the {@code -d int,cpu_reset} log (the guest's last
	 *         interrupts and CPU resets: vector, RIP, CR2 and registers; at most the last
	 *         {@link DebugLogTail#CAP} bytes are kept), empty when the switch was off
	 */
	public List<String> whyLog(int n) {
		if (debugLog == null)
			return List.of();
		if (!process.isAlive())
			debugLog.finish(); // all QEMU wrote is in
		return debugLog.lastLines(n);
	}

	/**
	 * Ends QEMU if it still runs: QMP quit, then SIGTERM, then SIGKILL, each given two seconds;
	 * returns when the process is gone. Safe to call from any thread, any number of times.
	 */
	public void stop() {
		stopRequested = true;
		if (process.isAlive() && qmp != null && !qmp.isClosed()) {
			try {
				qmp.quit(Duration.ofSeconds(2));
			} catch (QmpException e) {
				// QEMU did not answer: the signals below end it
			}
		}
		if (waitGone(Duration.ofSeconds(2)))
			return;
		process.destroy();
		if (waitGone(Duration.ofSeconds(2)))
			return;
		kill();
		waitGone(Duration.ofSeconds(10));
	}

	/**
	 * Ends every live QEMU as the JVM exits: SIGTERM to all (QEMU shuts down cleanly on it), one
	 * second of grace for all together, then SIGKILL for what is left.
	 */
	private static void reapAll() {
		List<QemuProcess> live = new ArrayList<>(LIVE);
		for (QemuProcess q : live) {
			q.stopRequested = true;
			q.process.destroy();
		}
		long end = System.nanoTime() + 1_000_000_000L;
		for (QemuProcess q : live) {
			if (!q.waitGone(Duration.ofNanos(Math.max(0, end - System.nanoTime()))))
				q.kill();
			deleteTree(q.endpoints.dir());
		}
	}

	/** Kills QEMU and anything it started, at once (SIGKILL). */
	private void kill() {
		stopRequested = true;
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	private boolean waitGone(Duration d) {
		try {
			return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return !process.isAlive();
		}
	}

	/** Stops QEMU, closes the sockets and deletes the private directory. */
	@Override
	public void close() {
		stop();
		if (qmp != null)
			qmp.close();
		synchronized (channels) {
			channels.forEach(QemuProcess::closeQuietly);
		}
		exit.join();
		if (debugLog != null)
			debugLog.finish();
		deleteTree(endpoints.dir());
	}

	/**
	 * @return the emulator to run: {@code q} itself when it has a directory part, else the first
	 *         match on PATH
	 * @throws QemuException saying how to install QEMU when it is missing
	 */
	public static Path resolveQemu(Path q) throws QemuException {
		if (q.getParent() != null) {
			if (Files.isExecutable(q))
				return q;
			throw new QemuException(q + " is not an executable file; install QEMU (apt-get install qemu-system-x86) or fix the path");
		}
		Path found = Programs.onPath(q.toString(), System.getenv("PATH"));
		if (found != null)
			return found;
		throw new QemuException(q + " not found on PATH; install QEMU with: apt-get install -y qemu-system-x86");
	}

	/**
	 * @return a fresh directory only this user can enter, short enough for Unix socket paths,
	 *         holding an {@code owner} file with this JVM's pid; first removes the directories
	 *         of owners that died without cleaning up (a JVM killed with SIGKILL)
	 */
	private static Path privateDir() throws QemuException {
		Path base = Path.of(System.getProperty("java.io.tmpdir"));
		if (base.toString().length() > 60)
			base = Path.of("/tmp");
		sweepOrphans(base);
		try {
			Path dir = Files.createTempDirectory(base, "toro-qemu-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
			return dir;
		} catch (IOException e) {
			throw new QemuException("cannot create a private directory in " + base + ": " + e.getMessage(), e);
		}
	}

	/** Deletes the toro-qemu-* directories in {@code base} whose owner process is gone. */
	private static void sweepOrphans(Path base) {
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, "toro-qemu-*")) {
			for (Path d : ds) {
				try {
					long owner = Long.parseLong(Files.readString(d.resolve(OWNER)).strip());
					if (!ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false))
						deleteTree(d);
				} catch (IOException | NumberFormatException e) {
					// another user's, being created, or from before owner files: leave it
				}
			}
		} catch (IOException e) {
			// an unreadable temp directory: nothing to sweep
		}
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> s = Files.walk(dir)) {
			s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		} catch (IOException e) {
			// already gone, or never created
		}
	}

	private static void closeQuietly(SocketChannel ch) {
		try {
			if (ch != null)
				ch.close();
		} catch (IOException e) {
			// closing: nothing to report
		}
	}

	/** QEMU's start-up refusal of KVM; the message is QEMU's error line. */
	private static final class KvmRefusedException extends QemuException {
		private static final long serialVersionUID = 1L;

		KvmRefusedException(String qemuError) {
			super(qemuError);
		}
	}

	/** QEMU could not bind a port forward's host port; the message is QEMU's error line. */
	private static final class ForwardTakenException extends QemuException {
		private static final long serialVersionUID = 1L;

		ForwardTakenException(String qemuError) {
			super(qemuError);
		}
	}

	/** QEMU could not bind the GDB port that was free a moment ago. */
	private static final class PortTakenException extends QemuException {
		private static final long serialVersionUID = 1L;

		PortTakenException() {
			super("port taken");
		}
	}
}
