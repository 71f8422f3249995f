package toro.studio.build.graph;

import java.nio.file.Path;
import java.util.List;

/**
 * A command of the build graph: it reads {@code inputs} (plus the headers its
 * dependency file lists), and writes {@code output} through a temporary file
 * that is renamed into place only when the command succeeds, so that a failed
 * or interrupted command never leaves a file that looks up to date.
 *
 * @param tool        which diagnostic parser reads its output: "cc", "nasm" or "ld"
 * @param description what the progress line shows, e.g. "CC kernel/main.c"
 * @param argv        the command, run in the tree; it writes {@code tmpOutput}
 *                    and, when {@code depfile} is not null, {@code tmpDepfile}
 */
public record Edge(String tool, String description, List<String> argv, List<Node> inputs, Node output,
		Path tmpOutput, Path depfile, Path tmpDepfile, Node source) {

	public Edge {
		argv = List.copyOf(argv);
		inputs = List.copyOf(inputs);
	}

	/** @return the 64-bit FNV-1a hash of the command line, what the build log compares. */
	public long hash() {
		long h = 0xcbf29ce484222325L;
		for (String a : argv) {
			for (int i = 0; i < a.length(); i++) {
				h ^= a.charAt(i);
				h *= 0x100000001b3L;
			}
			h *= 0x100000001b3L; // a 0 separator, so ["ab", "c"] and ["a", "bc"] differ
		}
		return h;
	}
}
