package toro.studio.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of {@link KernelBuild#build}. {@code image} is the target's
 * output path; after a failure it is still the last good image if one
 * existed (check {@code Files.exists}). {@code stepsRun} counts the commands
 * that ran (0 for a no-op build).
 */
public record BuildResult(boolean success, Path image, List<Problem> problems, int stepsRun, Duration elapsed) {
	public BuildResult {
		problems = List.copyOf(problems);
	}
}
