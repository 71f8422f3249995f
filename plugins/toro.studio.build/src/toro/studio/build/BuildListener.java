package toro.studio.build;

/**
 * Receives a build's events. Calls come from the thread that runs
 * {@link KernelBuild#build} (never from two threads at once), so an
 * implementation needs no locking of its own.
 */
public interface BuildListener {
	/** A step starts: {@code done} of {@code total} steps have finished. */
	default void progress(int done, int total, String description) {
	}

	/** A line a tool printed. */
	default void output(String line) {
	}

	/** A parsed diagnostic (also collected in {@link BuildResult#problems()}). */
	default void problem(Problem p) {
	}

	/** Why a step runs (only when the request asks to explain). */
	default void explain(String line) {
	}

	/** The listener that ignores everything. */
	BuildListener NONE = new BuildListener() {
	};
}
