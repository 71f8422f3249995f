package toro.studio.launch;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import toro.studio.qemu.load.Wrk;
import toro.studio.qemu.load.WrkException;
import toro.studio.qemu.load.WrkResult;

/**
 * A stress of a running kernel: wrk against one of its forwarded ports (127.0.0.1 only), inside a
 * stress window of the launch's {@link IdleHistory}, so that the Idle view shades the time the load
 * ran next to the host CPU it cost. The launch's console gets the command and, at the end, wrk's
 * figures.
 */
public final class StressRun {
	/**
	 * What to run: {@code seconds} of load with {@code connections} connections on {@code path}.
	 *
	 * @throws IllegalArgumentException for values outside the bounds below or a bad path
	 *         ({@link #pathProblem} says why)
	 */
	public record Plan(int seconds, int connections, String path) {
		public static final int DEFAULT_SECONDS = 10;
		public static final int MAX_SECONDS = 600;
		public static final int DEFAULT_CONNECTIONS = 16;
		/** Far above the 200 concurrent connections the httpd kernel is tested with. */
		public static final int MAX_CONNECTIONS = 1000;

		public Plan {
			if (seconds < 1 || seconds > MAX_SECONDS)
				throw new IllegalArgumentException("seconds must be in 1.." + MAX_SECONDS + ": " + seconds);
			if (connections < 1 || connections > MAX_CONNECTIONS)
				throw new IllegalArgumentException("connections must be in 1.." + MAX_CONNECTIONS + ": " + connections);
			String why = pathProblem(path);
			if (why != null)
				throw new IllegalArgumentException(why);
		}

		/** Why {@code path} cannot be requested, or null when it can. */
		public static String pathProblem(String path) {
			if (path == null || !path.startsWith("/"))
				return "The path must start with '/', e.g. / or /bytes/1024.";
			if (path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f))
				return "The path must not hold spaces, control or non-ASCII characters; percent-encode them.";
			return null;
		}

		/** What the stress window is called, e.g. "wrk -c 16, 10 s, /". */
		public String label() {
			return "wrk -c " + connections + ", " + seconds + " s, " + path;
		}
	}

	/**
	 * How a stress ended: wrk's {@code result} (null when cancelled) and the closed {@code window} it
	 * ran in.
	 */
	public record Outcome(WrkResult result, IdleHistory.Window window, boolean cancelled) {
	}

	/** How often a run checks whether it was cancelled. */
	static final long POLL_MILLIS = 100;

	private StressRun() {
	}

	/**
	 * Runs {@code plan} against 127.0.0.1:{@code port} of {@code launch}, stopping wrk early when
	 * {@code cancelled} turns true. The stress window opens just before wrk starts and closes when it
	 * ends, whichever way it ends. Blocks for the plan's seconds; call it off the UI thread.
	 *
	 * @throws WrkException when wrk is missing, cannot connect, or its report cannot be read
	 */
	public static Outcome run(QemuLaunch launch, int port, Plan plan, BooleanSupplier cancelled)
			throws WrkException, InterruptedException {
		Path exe = Wrk.find(System.getenv());
		launch.message("stress: " + String.join(" ", Wrk.argv(exe, port, plan.path(), plan.connections(), plan.seconds())));
		IdleHistory history = launch.history();
		IdleHistory.Window open = history.beginStress(plan.label()), closed;
		WrkResult r;
		try {
			r = load(exe, port, plan, cancelled);
		} finally {
			closed = history.endStress(open);
		}
		if (r == null)
			launch.message("stress: cancelled");
		else
			launch.message(String.format(Locale.ROOT, "stress: %.1f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors (%s)",
					r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.errors(), Wrk.url(port, plan.path())));
		return new Outcome(r, closed, r == null);
	}

	/** wrk's result, or null when {@code cancelled} turned true first (wrk is then killed). */
	private static WrkResult load(Path exe, int port, Plan plan, BooleanSupplier cancelled)
			throws WrkException, InterruptedException {
		try (Wrk wrk = Wrk.start(exe, port, plan.path(), plan.connections(), plan.seconds())) {
			while (wrk.isRunning())
				if (cancelled.getAsBoolean())
					return null;
				else
					Thread.sleep(POLL_MILLIS);
			return wrk.await();
		}
	}
}
