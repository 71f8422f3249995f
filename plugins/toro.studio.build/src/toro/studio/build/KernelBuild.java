package toro.studio.build;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import toro.studio.build.abi.AsmAnalysis;
import toro.studio.build.diag.DiagnosticParser;
import toro.studio.build.graph.AtomicFiles;
import toro.studio.build.graph.BuildLog;
import toro.studio.build.graph.DepFile;
import toro.studio.build.graph.Edge;
import toro.studio.build.graph.Executor;
import toro.studio.build.graph.Explain;
import toro.studio.build.graph.Graph;
import toro.studio.build.graph.Node;
import toro.studio.build.graph.Scheduler;

/**
 * Builds one target of a kernel tree with one profile: reads toro.build,
 * plans the graph, runs what is out of date in parallel, records it in the
 * build log, writes compile_commands.json, and returns the problems found.
 * This is the one entry point of the CLI and of the IDE's builder; an
 * up-to-date tree costs stat calls and a log read, no process.
 */
public final class KernelBuild {
	/** The profile whose builds also run the {@link AbiChecker} on every assembled source. */
	public static final String ABI_CHECKED_PROFILE = "release";
	/** The build log's file name in {@code build/<profile>/}. */
	public static final String LOG = ".toro_log";
	/** The file locked while a build of {@code build/<profile>/} runs. */
	static final String LOCK = ".toro_lock";
	private static final Map<Path, Object> BUSY = new ConcurrentHashMap<>();

	private final BuildConfig config;
	private final BuildListener listener;
	private final List<Problem> problems = new ArrayList<>();
	private final Graph graph;
	private BuildLog log;
	private boolean cancelledSeen;

	private KernelBuild(BuildConfig config, BuildListener listener) {
		this.config = config;
		this.listener = listener;
		this.graph = Plan.of(config);
	}

	/**
	 * Runs a build.
	 *
	 * @param cancelled polled while commands run; true stops the build, kills
	 *                  running commands and leaves no partial output behind
	 * @return success, the image, problems (also sent to the listener), steps run, time taken
	 * @throws BuildException when the build cannot start (descriptor error, bad
	 *                        request, unwritable build directory)
	 */
	public static BuildResult build(BuildRequest r, BuildListener l, BooleanSupplier cancelled) throws BuildException {
		long t0 = System.nanoTime();
		BuildDescriptor d = BuildDescriptor.load(r.tree());
		KernelBuild b = new KernelBuild(d.config(r.profile(), r.target(), r.tools()), l);
		for (Problem w : b.config.warnings())
			b.report(w);
		int jobs = r.jobs() > 0 ? r.jobs() : Runtime.getRuntime().availableProcessors();
		try {
			return b.run(jobs, r.explain(), r.clean(), cancelled, t0);
		} catch (IOException e) {
			throw new BuildException("build directory " + b.config.buildDir() + ": " + e, e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new BuildException("the build was interrupted", e);
		}
	}

	/**
	 * @return the commands a full build of the request's profile and target runs,
	 *         in an order where each step's inputs come first
	 * @throws BuildException as {@link #build} does for a bad descriptor or request
	 */
	public static List<BuildStep> plan(BuildRequest r) throws BuildException {
		BuildConfig c = BuildDescriptor.load(r.tree()).config(r.profile(), r.target(), r.tools());
		Graph g = Plan.of(c);
		List<BuildStep> steps = new ArrayList<>();
		for (Edge e : g.edges()) {
			List<String> inputs = new ArrayList<>();
			for (Node n : e.inputs())
				inputs.add(n.name());
			steps.add(new BuildStep(e.output().name(), inputs, e.argv(), g.node(e.tmpOutput()).name(),
					e.depfile() == null ? null : g.node(e.depfile()).name(),
					e.tmpDepfile() == null ? null : g.node(e.tmpDepfile()).name()));
		}
		return steps;
	}

	@SuppressWarnings("try") // the lock is held by being open
	private BuildResult run(int jobs, boolean explain, boolean clean, BooleanSupplier cancelled, long t0)
			throws IOException, InterruptedException {
		Files.createDirectories(config.buildDir());
		// One build per tree and profile at a time: threads of this JVM wait on a
		// monitor (a file lock is per process), other processes on the file lock.
		synchronized (BUSY.computeIfAbsent(config.buildDir(), k -> new Object())) {
			try (FileChannel lockFile = FileChannel.open(config.buildDir().resolve(LOCK), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
				if (clean)
					cleanBuildDir();
				log = BuildLog.load(config.buildDir().resolve(LOG));
				try {
					return steps(jobs, explain, cancelled, t0);
				} finally {
					log.close();
				}
			}
		}
	}

	/** Runs the steps that are out of date; the log is open. */
	private BuildResult steps(int jobs, boolean explain, BooleanSupplier cancelled, long t0)
			throws IOException, InterruptedException {
		removeDeadOutputs();
		Map<Edge, String> dirty = Explain.dirty(graph, log);
		if (explain)
			for (String why : dirty.values())
				listener.explain(why);
		Scheduler.Summary s = new Scheduler.Summary(0, 0, 0, false);
		if (!dirty.isEmpty()) {
			Executor exec = new Executor(config.tree());
			Scheduler.Handler h = new Scheduler.Handler() {
				@Override
				public void starting(Edge e, int done, int total) {
					listener.progress(done, total, e.description());
				}

				@Override
				public boolean finished(Edge e, Scheduler.Outcome o) {
					return KernelBuild.this.finished(e, o, cancelledSeen);
				}
			};
			BooleanSupplier stop = () -> cancelledSeen || (cancelledSeen = cancelled.getAsBoolean());
			s = new Scheduler(jobs).run(List.copyOf(dirty.keySet()), exec, h, stop, exec::killAll);
		}
		CompileCommands.write(graph, config.buildDir().resolve("compile_commands.json"));
		if (s.cancelled())
			report(new Problem("toro", null, 0, 0, Severity.ERROR, "build cancelled; nothing partial was kept"));
		boolean ok = s.failed() == 0 && !s.cancelled();
		return new BuildResult(ok, config.image(), problems, s.ran(), Duration.ofNanos(System.nanoTime() - t0));
	}

	/**
	 * Handles a finished command: reports its diagnostics; on success renames its
	 * outputs into place, runs the ABI check for assembly in release builds and
	 * records the command in the log; on failure deletes its temporary files.
	 *
	 * @return whether the edge succeeded
	 */
	private boolean finished(Edge e, Scheduler.Outcome o, boolean cancelled) {
		String text = o.output();
		if (cancelled) {
			discard(e);
			return false;
		}
		for (String line : text.split("\r?\n"))
			if (!line.isEmpty())
				listener.output(line);
		List<Problem> found = DiagnosticParser.forTool(e.tool()).parse(text, config.tree());
		found.forEach(this::report);
		if (o.status() != 0) {
			if (found.stream().noneMatch(p -> p.severity() == Severity.ERROR))
				report(new Problem(e.tool(), e.source() == null ? null : e.source().path(), 0, 0, Severity.ERROR,
						e.argv().get(0) + " failed (exit status " + o.status() + ")" + lastLine(text)));
			discard(e);
			return false;
		}
		try {
			if (e.tool().equals("nasm") && config.profile().equals(ABI_CHECKED_PROFILE) && !abiCheck(e)) {
				discard(e);
				return false;
			}
			commit(e, o.started());
			return true;
		} catch (IOException x) {
			report(new Problem("toro", e.output().path(), 0, 0, Severity.ERROR, "cannot record the output: " + x));
			discard(e);
			return false;
		}
	}

	/** Runs the ABI checker on an assembled source; @return false if it found a violation. */
	private boolean abiCheck(Edge e) {
		boolean ok = true;
		for (AbiFinding f : AbiChecker.check(List.of(e.source().path()), includeDirs())) {
			boolean fatal = !f.notAnalysed();
			ok &= !fatal;
			report(new Problem("abi-check", f.file(), f.line(), 0, fatal ? Severity.ERROR : Severity.WARNING,
					f.routine() + ": " + f.message()));
		}
		return ok;
	}

	/** @return where nasm looks for %include: the tree (its working directory), then its -I directories. */
	private List<Path> includeDirs() {
		List<Path> dirs = new ArrayList<>();
		dirs.add(config.tree());
		for (String f : config.asflags())
			if (f.startsWith("-I") && f.length() > 2)
				dirs.add(config.tree().resolve(f.substring(2)).normalize());
		return dirs;
	}

	/** Moves a successful command's outputs into place and records it in the log. */
	private void commit(Edge e, long start) throws IOException {
		List<String> deps = new ArrayList<>();
		for (Node in : e.inputs())
			deps.add(in.name());
		if (e.depfile() != null) {
			String text = Files.readString(e.tmpDepfile(), StandardCharsets.UTF_8);
			for (String d : DepFile.parse(text)) {
				String name = graph.node(d).name();
				if (!deps.contains(name))
					deps.add(name);
			}
			AtomicFiles.move(e.tmpDepfile(), e.depfile());
		}
		if (e.tool().equals("nasm")) // nasm 2.16.01's -MD omits %include files
			for (Path inc : AsmAnalysis.includes(e.source().path(), includeDirs())) {
				String name = graph.node(inc).name();
				if (!deps.contains(name))
					deps.add(name);
			}
		AtomicFiles.move(e.tmpOutput(), e.output().path());
		e.output().forget();
		long[] mtimes = new long[deps.size()];
		for (int i = 0; i < deps.size(); i++) {
			long m = Node.stat(graph.node(deps.get(i)).path());
			// Changed while the command ran: record a time that never matches, so it runs again.
			mtimes[i] = m >= start ? Long.MIN_VALUE : m;
		}
		log.add(new BuildLog.Record(e.output().name(), e.hash(), e.output().mtime(), deps, mtimes));
	}

	/** Deletes what a failed or cancelled command may have left: never a file that counts as built. */
	private void discard(Edge e) {
		try {
			Files.deleteIfExists(e.tmpOutput());
			if (e.tmpDepfile() != null)
				Files.deleteIfExists(e.tmpDepfile());
		} catch (IOException x) {
			report(new Problem("toro", e.tmpOutput(), 0, 0, Severity.WARNING, "cannot delete " + x));
		}
	}

	/**
	 * Deletes the objects of this target whose source is gone from the
	 * descriptor (so a removed source leaves the link and the tree) and forgets them.
	 */
	private void removeDeadOutputs() throws IOException {
		String prefix = config.tree().relativize(config.objDir()).toString() + "/";
		for (BuildLog.Record r : List.copyOf(log.records())) {
			if (!r.output().startsWith(prefix))
				continue;
			Node n = graph.node(r.output());
			if (n.producer() != null)
				continue;
			Files.deleteIfExists(n.path());
			if (r.output().endsWith(".o"))
				Files.deleteIfExists(n.path().resolveSibling(n.path().getFileName().toString().replaceAll("\\.o$", ".d")));
			log.remove(r.output());
		}
	}

	private void report(Problem p) {
		problems.add(p);
		listener.problem(p);
	}

	private static String lastLine(String text) {
		String[] lines = text.strip().split("\r?\n");
		String last = lines[lines.length - 1].strip();
		return last.isEmpty() ? "" : ": " + last;
	}

	/** Deletes everything in {@code build/<profile>/} but the lock this build holds. */
	private void cleanBuildDir() throws IOException {
		Path lock = config.buildDir().resolve(LOCK);
		try (Stream<Path> s = Files.walk(config.buildDir())) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList())
				if (!p.equals(lock) && !p.equals(config.buildDir()))
					Files.delete(p);
		}
	}
}
