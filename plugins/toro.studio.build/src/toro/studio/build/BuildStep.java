package toro.studio.build;

import java.util.List;

/**
 * One command of a build's plan, for tools that want to run or compare the
 * same commands (the make benchmark): it reads {@code inputs}, and its argv
 * writes {@code tmpOutput} (and {@code tmpDepfile} when not null) that the
 * engine renames to {@code output} ({@code depfile}). Paths are relative to
 * the tree, as the commands spell them.
 */
public record BuildStep(String output, List<String> inputs, List<String> argv, String tmpOutput, String depfile,
		String tmpDepfile) {
}
