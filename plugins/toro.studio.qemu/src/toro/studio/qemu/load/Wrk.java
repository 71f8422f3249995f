package toro.studio.qemu.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import toro.studio.qemu.Programs;

/**
 * One run of wrk, the HTTP load generator, against {@code http://127.0.0.1:PORT/PATH}: started from an
 * argv list ({@link #argv}), its report read into a {@link WrkResult} when it ends. The address is
 * always loopback: the guest's port is a QEMU forward bound to 127.0.0.1.
 *
 * <p>A run never outlives the JVM: every wrk still running is killed by a shutdown hook, and
 * {@link #close} kills it earlier (a cancelled stress).
 */
public final class Wrk implements AutoCloseable {
	/** The Debian package that provides wrk; the bootstrap installs it. */
	public static final String PACKAGE = "wrk";
	/** An environment variable that names the wrk to run instead of the one on the PATH. */
	public static final String ENV = "TORO_WRK";
	/** wrk's threads: at most one per host core of this 2-core machine kind, never more than connections. */
	public static final int MAX_THREADS = 2;
	/** wrk's --timeout: a request unanswered for this long counts as an error. */
	public static final int TIMEOUT_SECONDS = 2;
	/** How long after its planned end a run may take to print its report before it is killed. */
	static final int GRACE_SECONDS = 15;

	private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "wrk reaper"));
	}

	private final Process process;
	private final Thread reader;
	private final ByteArrayOutputStream output = new ByteArrayOutputStream();
	private final int connections;
	private final int seconds;
	private final String url;

	private Wrk(Process process, int connections, int seconds, String url) {
		this.process = process;
		this.connections = connections;
		this.seconds = seconds;
		this.url = url;
		this.reader = new Thread(() -> drain(process.getInputStream()), "wrk output " + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * The wrk to run: {@value #ENV} from {@code env} when set, else {@code wrk} on {@code env}'s PATH.
	 *
	 * @throws WrkException when there is none, saying which package to install
	 */
	public static Path find(Map<String, String> env) throws WrkException {
		String named = env.get(ENV);
		if (named != null && !named.isBlank()) {
			Path p = Path.of(named);
			if (Files.isExecutable(p))
				return p;
			throw new WrkException(ENV + "=" + named + " is not an executable file; point it at wrk or unset it.");
		}
		Path found = Programs.onPath("wrk", env.get("PATH"));
		if (found != null)
			return found;
		throw new WrkException("wrk is not installed: run releng/bootstrap.sh, or apt-get install " + PACKAGE
				+ " as root, or set " + ENV + " to its path.");
	}

	/**
	 * The argv of a run of {@code wrk}: {@code connections} connections for {@code seconds} seconds
	 * against {@code path} of 127.0.0.1:{@code port}, with latency percentiles and a
	 * {@value #TIMEOUT_SECONDS} s timeout per request.
	 *
	 * @throws IllegalArgumentException for a port outside 1..65535, a path that does not start with
	 *         '/', or fewer than one connection or second
	 */
	public static List<String> argv(Path wrk, int port, String path, int connections, int seconds) {
		if (port < 1 || port > 65535)
			throw new IllegalArgumentException("port " + port + " is not in 1..65535");
		if (path == null || !path.startsWith("/"))
			throw new IllegalArgumentException("the path must start with '/': " + path);
		if (connections < 1 || seconds < 1)
			throw new IllegalArgumentException("wrk needs at least one connection and one second");
		return List.of(wrk.toString(), "-t", Integer.toString(Math.min(MAX_THREADS, connections)), "-c",
				Integer.toString(connections), "-d", seconds + "s", "--timeout", TIMEOUT_SECONDS + "s", "--latency",
				url(port, path));
	}

	/** The URL a run loads: always loopback. */
	public static String url(int port, String path) {
		return "http://127.0.0.1:" + port + path;
	}

	/**
	 * Starts wrk with {@link #argv}; {@link #await} reads its result, {@link #close} stops it.
	 *
	 * @throws WrkException when the program cannot be started
	 */
	public static Wrk start(Path wrk, int port, String path, int connections, int seconds) throws WrkException {
		List<String> argv = argv(wrk, port, path, connections, seconds);
		try {
			Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
			LIVE.add(p);
			p.onExit().thenRun(() -> LIVE.remove(p));
			return new Wrk(p, connections, seconds, url(port, path));
		} catch (IOException e) {
			throw new WrkException("cannot start " + wrk + ": " + e.getMessage(), e);
		}
	}

	/** Starts a run and waits for its result: {@link #start} then {@link #await}. */
	public static WrkResult run(Path wrk, int port, String path, int connections, int seconds)
			throws WrkException, InterruptedException {
		try (Wrk w = start(wrk, port, path, connections, seconds)) {
			return w.await();
		}
	}

	/**
	 * Waits for the run to end (its planned seconds plus {@value #GRACE_SECONDS} s at most) and reads
	 * its report.
	 *
	 * @throws WrkException when wrk failed (it could not connect, say: the message quotes it), hung
	 *         past its grace time (it is killed), or printed a report that cannot be read
	 * @throws InterruptedException when interrupted; wrk is killed
	 */
	public WrkResult await() throws WrkException, InterruptedException {
		try {
			if (!process.waitFor(seconds + GRACE_SECONDS, TimeUnit.SECONDS)) {
				close();
				throw new WrkException("wrk against " + url + " did not end " + GRACE_SECONDS
						+ " s after its planned end; it was killed.");
			}
		} catch (InterruptedException e) {
			close();
			throw e;
		}
		reader.join(TimeUnit.SECONDS.toMillis(5));
		String report = report();
		if (process.exitValue() != 0)
			throw new WrkException("wrk against " + url + " failed (exit " + process.exitValue() + "): "
					+ report.strip().lines().findFirst().orElse("no output") + ". Is the guest serving that port?");
		return WrkResult.parse(connections, report);
	}

	/** Whether wrk still runs. */
	public boolean isRunning() {
		return process.isAlive();
	}

	/** Kills wrk if it still runs. */
	@Override
	public void close() {
		process.destroyForcibly();
	}

	private synchronized String report() {
		return output.toString(StandardCharsets.UTF_8);
	}

	private void drain(InputStream in) {
		byte[] buf = new byte[4096];
		try (in) {
			for (int n; (n = in.read(buf)) > 0;)
				synchronized (this) {
					output.write(buf, 0, n);
				}
		} catch (IOException e) {
			// wrk was killed: what it wrote so far stays
		}
	}
}
