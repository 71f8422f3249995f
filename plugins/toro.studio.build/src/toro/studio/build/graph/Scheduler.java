package toro.studio.build.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the edges that must run, up to {@code jobs} at a time, each as soon as
 * the edges producing its inputs have succeeded. A failed edge does not stop
 * the others (every compile error is reported in one build), but nothing that
 * depends on it runs. Completions are handled on the calling thread, one at a
 * time, so {@link Handler} needs no locking.
 */
public final class Scheduler {
	/** What a worker thread does with one edge (runs its command). */
	public interface Runner {
		Outcome run(Edge e) throws Exception;
	}

	/** What the calling thread does around each edge. */
	public interface Handler {
		/** The edge is about to start; {@code done} of {@code total} have finished. */
		void starting(Edge e, int done, int total);

		/** The edge finished; @return false if it failed (its dependents are skipped). */
		boolean finished(Edge e, Outcome o);
	}

	/**
	 * The result of running an edge's command: exit status, what it printed, and
	 * when it started (nanoseconds since the epoch, comparable with file mtimes).
	 */
	public record Outcome(int status, String output, long started) {
	}

	/** How the run ended. */
	public record Summary(int ran, int failed, int skipped, boolean cancelled) {
	}

	private final int jobs;

	public Scheduler(int jobs) {
		this.jobs = Math.max(1, jobs);
	}

	/**
	 * Runs {@code edges} (a topologically ordered subset of a graph).
	 *
	 * @param cancelled polled while commands run; when it turns true, no new edge
	 *                  starts and {@code onCancel} stops the running ones
	 */
	public Summary run(List<Edge> edges, Runner runner, Handler handler, BooleanSupplier cancelled, Runnable onCancel)
			throws InterruptedException {
		Set<Edge> todo = new HashSet<>(edges);
		Map<Edge, Integer> waiting = new HashMap<>();
		Map<Edge, List<Edge>> dependents = new HashMap<>();
		Deque<Edge> ready = new ArrayDeque<>();
		for (Edge e : edges) {
			int n = 0;
			for (Node in : e.inputs())
				if (in.producer() != null && todo.contains(in.producer())) {
					n++;
					dependents.computeIfAbsent(in.producer(), k -> new ArrayList<>()).add(e);
				}
			waiting.put(e, n);
			if (n == 0)
				ready.add(e);
		}
		ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, edges.size())), r -> {
			Thread t = new Thread(r, "toro-build-job");
			t.setDaemon(true);
			return t;
		});
		ExecutorCompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
		Map<Future<Outcome>, Edge> running = new HashMap<>();
		int finished = 0, failed = 0, skipped = 0;
		boolean stop = false;
		try {
			while (!running.isEmpty() || (!ready.isEmpty() && !stop)) {
				while (!stop && !ready.isEmpty() && running.size() < jobs) {
					Edge e = ready.poll();
					handler.starting(e, finished, edges.size() - skipped);
					running.put(done.submit(() -> runner.run(e)), e);
				}
				Future<Outcome> f = done.poll(20, TimeUnit.MILLISECONDS);
				if (!stop && cancelled.getAsBoolean()) {
					stop = true;
					onCancel.run();
				}
				if (f == null)
					continue;
				Edge e = running.remove(f);
				Outcome o;
				try {
					o = f.get();
				} catch (ExecutionException x) {
					Throwable c = x.getCause();
					o = new Outcome(-1, "cannot run " + e.argv().get(0) + ": " + c.getMessage(), Long.MAX_VALUE);
				}
				finished++;
				if (handler.finished(e, o)) {
					for (Edge d : dependents.getOrDefault(e, List.of()))
						if (waiting.merge(d, -1, Integer::sum) == 0)
							ready.add(d);
				} else {
					failed++;
					skipped += skip(e, dependents, new HashSet<>());
				}
			}
		} finally {
			pool.shutdownNow();
			pool.awaitTermination(10, TimeUnit.SECONDS);
		}
		return new Summary(finished, failed, skipped, stop);
	}

	/** @return how many edges transitively depend on {@code e} (they will not run). */
	private static int skip(Edge e, Map<Edge, List<Edge>> dependents, Set<Edge> seen) {
		int n = 0;
		for (Edge d : dependents.getOrDefault(e, List.of()))
			if (seen.add(d))
				n += 1 + skip(d, dependents, seen);
		return n;
	}
}
