package toro.studio.gdbmi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that delivers events to listeners, in the order they were
 * posted, and runs the tasks a client queues behind them ({@link GdbSession#post}).
 * The reader thread posts and never waits, so a listener that calls back into
 * the session (and waits for gdb's answer) cannot block the reading of gdb's output.
 */
final class EventDispatcher {
	private final List<GdbListener> listeners = new CopyOnWriteArrayList<>();
	private final ExecutorService thread;
	private volatile Thread worker;

	EventDispatcher(String name) {
		thread = Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			worker = t;
			return t;
		});
	}

	/** @return whether the calling thread is this dispatcher's. */
	boolean isCurrent() {
		return Thread.currentThread() == worker;
	}

	/** Queues task behind the events posted so far; dropped once closed. */
	void run(Runnable task) {
		try {
			thread.execute(() -> {
				try {
					task.run();
				} catch (RuntimeException e) {
					System.err.println("gdbmi: a posted task failed: " + e);
				}
			});
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// closed: the session is over
		}
	}

	void add(GdbListener l) {
		listeners.add(l);
	}

	void remove(GdbListener l) {
		listeners.remove(l);
	}

	/** Queues {@code event} for every listener; a listener that throws does not stop the others. */
	void post(Consumer<GdbListener> event) {
		try {
			thread.execute(() -> {
				for (GdbListener l : listeners) {
					try {
						event.accept(l);
					} catch (RuntimeException e) {
						System.err.println("gdbmi: a listener failed: " + e);
					}
				}
			});
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// closed: nobody listens any more
		}
	}

	/**
	 * Delivers what is queued (up to a second), then stops the thread. Called on the
	 * dispatcher's own thread (a listener ending the session) it only stops taking more.
	 */
	void close() {
		thread.shutdown();
		if (isCurrent())
			return;
		try {
			thread.awaitTermination(1, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
