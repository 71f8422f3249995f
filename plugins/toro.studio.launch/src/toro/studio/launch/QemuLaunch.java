package toro.studio.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.IProcess;

import toro.studio.build.BuildDescriptor;
import toro.studio.build.BuildException;
import toro.studio.core.BuildMarkers;
import toro.studio.core.ProjectSettings;
import toro.studio.core.ToolPaths;
import toro.studio.core.ToroBuilder;
import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.Forward;
import toro.studio.qemu.ForwardNotes;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.HostCpuSampler;
import toro.studio.telemetry.TelemetryDecoder;

/**
 * One run of a Toro kernel in QEMU, the piece shared by the run and debug
 * delegates: builds the launch's target (unless told not to), starts QEMU
 * through toro.studio.qemu, adds a {@link IProcess} with the COM1 console to
 * the launch, decodes the COM2 telemetry into a {@link CoreModel} and an
 * {@link IdleHistory}, and reports the guest's exit status (and, on a crash,
 * QEMU's log) in the console when QEMU ends.
 *
 * It registers itself as the launch's {@link CoreModelSource}; a debug
 * session may replace that registration while the target is stopped.
 */
public final class QemuLaunch implements CoreModelSource {
	/** The console line that says the kernel has brought up all its cores. */
	public static final String READY = "toro: ready";

	private final ILaunch launch;
	private final LaunchSettings settings;
	private final Path image;
	private final QemuProcess qemu;
	private final QemuStreams streams;
	private final QemuRuntimeProcess process;
	private final CoreModel model = new CoreModel();
	private final IdleHistory history;
	private final AtomicLong version = new AtomicLong();
	private final long startNanos;
	private final long qemuStartedNanos = System.nanoTime();
	private volatile long readyNanos;
	private Thread consoleReader;
	private HostCpuSampler host;

	private QemuLaunch(ILaunch launch, LaunchSettings settings, Path image, QemuProcess qemu, long startNanos) {
		this.launch = launch;
		this.settings = settings;
		this.image = image;
		this.qemu = qemu;
		this.startNanos = startNanos;
		this.history = new IdleHistory(startNanos);
		this.streams = new QemuStreams(qemu.consoleInput());
		this.process = new QemuRuntimeProcess(this, launch, qemu, streams, "QEMU " + image.getFileName() + " (" + settings.cpus() + " cores, pid " + qemu.pid() + ")");
	}

	/**
	 * Builds (when the configuration asks for it), boots the kernel in QEMU and
	 * attaches it to {@code launch}. With {@code gdbStub}, QEMU starts halted
	 * with its GDB stub on a Unix socket ({@link QemuProcess#gdbStub()}).
	 */
	public static QemuLaunch start(ILaunchConfiguration config, ILaunch launch, boolean gdbStub, IProgressMonitor monitor)
			throws CoreException {
		long t0 = System.nanoTime();
		SubMonitor sub = SubMonitor.convert(monitor, "Launching " + config.getName(), 10);
		LaunchSettings s = LaunchSettings.of(config);
		Path image = s.image() != null ? imageFile(s)
				: buildImage(s, sub.split(8));
		if (!image.toFile().isFile())
			throw error("The kernel image " + image + " does not exist: build the project first, or tick 'Build before launch' on the Main tab.");
		Path qemuPath = ToolPaths.resolve("qemu");
		if (qemuPath == null)
			throw error(ToolPaths.validate("qemu", ""));
		QemuConfig qc = new QemuConfig(qemuPath, image, s.machine(), s.cpus(), s.memoryMiB(), s.accel(),
				s.append(), s.extraArgs(), gdbStub, s.whyDidItDie(), s.network());
		sub.subTask("Starting QEMU");
		QemuProcess qemu;
		try {
			qemu = QemuProcess.start(qc);
		} catch (QemuException e) {
			throw new CoreException(Status.error("QEMU did not start: " + e.getMessage(), e));
		}
		QemuLaunch session = new QemuLaunch(launch, s, image, qemu, t0);
		session.attach();
		sub.worked(2);
		return session;
	}

	/** The file system path of the configuration's workspace image. */
	private static Path imageFile(LaunchSettings s) throws CoreException {
		IPath location = ResourcesPlugin.getWorkspace().getRoot().getFile(IPath.fromOSString(s.image())).getLocation();
		if (location == null)
			throw error("The image " + s.image() + " is not a workspace file: pick it again on the Main tab.");
		return location.toPath();
	}

	/** Builds the launch's target with the project's builder (so problems become markers) and returns its image. */
	private static Path buildImage(LaunchSettings s, IProgressMonitor monitor) throws CoreException {
		IProject project = s.project();
		Path tree = project.getLocation().toPath();
		String profile = s.profile() != null ? s.profile() : ProjectSettings.profile(project);
		if (s.buildFirst()) {
			Map<String, String> args = new HashMap<>();
			if (s.target() != null)
				args.put(ToroBuilder.TARGET, s.target());
			if (profile != null)
				args.put(ToroBuilder.PROFILE, profile);
			project.build(IncrementalProjectBuilder.INCREMENTAL_BUILD, ToroBuilder.ID, args, monitor);
			if (project.findMaxProblemSeverity(BuildMarkers.TYPE, true, IResource.DEPTH_INFINITE) == IMarker.SEVERITY_ERROR)
				throw error("The build of " + project.getName() + " failed: see the Problems view.");
		}
		try {
			BuildDescriptor d = BuildDescriptor.load(tree);
			Path out = d.outputOf(profile != null ? profile : d.defaultProfile(), s.target() != null ? s.target() : d.defaultTarget());
			return tree.resolve(out);
		} catch (BuildException e) {
			throw error("Cannot tell which image to boot: " + e.getMessage());
		}
	}

	/** Adds the process to the launch, starts the readers, and watches for QEMU's end. */
	private void attach() {
		List<Forward> forwards = qemu.config().network().forwards();
		process.setAttribute(LaunchAttributes.PROCESS_FORWARDS, forwards.stream().map(Forward::toString).collect(Collectors.joining(" ")));
		launch.addProcess(process);
		process.created();
		if (qemu.accelNote() != null)
			streams.messages().append(qemu.accelNote() + "\n");
		for (Forward f : forwards)
			streams.messages().append("Forwarding " + f.protocol().qemuName() + " 127.0.0.1:" + f.hostPort() + " to guest port " + f.guestPort() + "\n");
		CoreModelSources.put(this);
		model.addListener(this::modelChanged);
		consoleReader = daemon("console", this::readConsole);
		daemon("telemetry", this::readTelemetry);
		qemu.exit().whenComplete((status, failure) -> ended(status, failure));
	}

	private Thread daemon(String what, Runnable body) {
		Thread t = new Thread(body, "toro " + what + " (qemu " + qemu.pid() + ")");
		t.setDaemon(true);
		t.start();
		return t;
	}

	/**
	 * Copies COM1 to the console, noting when the kernel says it is ready, with the note of
	 * {@link ForwardNotes} after a listening line whose port is forwarded.
	 */
	private void readConsole() {
		ForwardNotes notes = new ForwardNotes(qemu.config().network());
		char[] buf = new char[4096];
		StringBuilder line = new StringBuilder();
		try (Reader in = new InputStreamReader(qemu.console(), StandardCharsets.UTF_8)) {
			for (int n; (n = in.read(buf)) > 0;) {
				if (readyNanos == 0) {
					line.append(buf, 0, n);
					if (line.indexOf(READY) >= 0)
						readyNanos = System.nanoTime();
					else if (line.length() > READY.length())
						line.delete(0, line.length() - READY.length());
				}
				streams.console().append(notes.annotate(new String(buf, 0, n)));
			}
		} catch (IOException e) {
			// QEMU closed the console: its end is reported by ended().
		}
	}

	/** Feeds COM2 to the telemetry decoder, which updates the model. */
	private void readTelemetry() {
		TelemetryDecoder decoder = new TelemetryDecoder(model::accept);
		byte[] buf = new byte[8192];
		try (InputStream in = qemu.telemetry()) {
			for (int n; (n = in.read(buf)) > 0;)
				decoder.feed(buf, 0, n);
		} catch (IOException e) {
			// QEMU closed the stream: its end is reported by ended().
		}
	}

	/** Records a point of the idle history after each telemetry sample (telemetry thread). */
	private void modelChanged() {
		if (host == null)
			host = new HostCpuSampler(qemu.pid());
		double cpu = qemu.exit().isDone() ? Double.NaN : host.sampleTotalPercent();
		history.record(history.millisNow(), model.cores(), model.hasNetwork() ? model.net() : List.of(), cpu);
		version.incrementAndGet();
	}

	/** Writes the guest's exit status (or the crash and QEMU's log) to the console and ends the process. */
	private void ended(ExitStatus status, Throwable failure) {
		try {
			consoleReader.join(2000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		streams.messages().append(ExitReport.describe(status, failure, qemu, settings.whyDidItDie()));
		// the report has read QEMU's stderr and -D log: its private directory, sockets and logs go now
		qemu.close();
		process.exited(status != null ? status : new ExitStatus(-1, null, true, false, String.valueOf(failure)));
		version.incrementAndGet();
	}

	/** Stops QEMU (QMP quit, then kill) and waits up to {@code timeout} for it to end. */
	public ExitStatus stop(Duration timeout) {
		qemu.stop();
		return qemu.waitFor(timeout);
	}

	@Override
	public ILaunch launch() {
		return launch;
	}

	@Override
	public CoreModel coreModel() {
		return model;
	}

	@Override
	public IdleHistory history() {
		return history;
	}

	@Override
	public long version() {
		return version.get();
	}

	/**
	 * The run of a kernel that {@code launch} holds (through its QEMU process), or null. Unlike
	 * {@link CoreModelSources#of}, this is the running kernel even while a debug session has the views
	 * reading a stopped state.
	 */
	public static QemuLaunch of(ILaunch launch) {
		if (launch != null)
			for (IProcess p : launch.getProcesses())
				if (p instanceof QemuRuntimeProcess r)
					return r.session();
		return null;
	}

	/** Writes {@code line} to the console as one of the runner's messages (the error stream), after what is there. */
	public void message(String line) {
		streams.messages().append(line.endsWith("\n") ? line : line + "\n");
	}

	/** The running QEMU (console, telemetry, QMP, gdb stub, exit). */
	public QemuProcess qemu() {
		return qemu;
	}

	/** The launch's process (the Console view's source). */
	public IProcess process() {
		return process;
	}

	/** The image QEMU boots (the ELF a debugger loads symbols from). */
	public Path image() {
		return image;
	}

	/** The configuration's values. */
	public LaunchSettings settings() {
		return settings;
	}

	/** System.nanoTime() when the launch began. */
	public long startNanos() {
		return startNanos;
	}

	/** System.nanoTime() when QEMU had started (its sockets connected), after any build. */
	public long qemuStartedNanos() {
		return qemuStartedNanos;
	}

	/** System.nanoTime() when the console first showed {@value #READY}, or 0. */
	public long readyNanos() {
		return readyNanos;
	}

	private static CoreException error(String message) {
		return new CoreException(Status.error(message));
	}
}
