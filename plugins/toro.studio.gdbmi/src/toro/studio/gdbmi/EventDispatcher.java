package toro.studio.gdbmi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that delivers events to listeners, in the order they were
 * posted. The reader thread posts and never waits, so a listener that calls
 * back into the session cannot block the reading of gdb's output.
 */
final class EventDispatcher {
	private final List<GdbListener> listeners = new CopyOnWriteArrayList<>();
	private final ExecutorService thread;

	EventDispatcher(String name) {
		thread = Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, name);
			t.setDaemon(true);
			return t;
		});
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

	/** Delivers what is queued (up to a second), then stops the thread. */
	void close() {
		thread.shutdown();
		try {
			thread.awaitTermination(1, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
