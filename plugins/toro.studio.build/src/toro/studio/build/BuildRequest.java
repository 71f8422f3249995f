package toro.studio.build;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to build: the kernel tree (the directory holding toro.build), a profile
 * and a target (null = the descriptor's defaults), the number of parallel jobs
 * (0 or less = the number of cores), whether to explain why each step runs,
 * and whether to delete the profile's outputs first. {@code tools} overrides
 * toolchain entries by name (nasm, cc, ld, objcopy), after the descriptor.
 */
public record BuildRequest(Path tree, String profile, String target, int jobs, boolean explain, boolean clean,
		Map<String, String> tools) {

	public BuildRequest {
		tools = tools == null ? Map.of() : Map.copyOf(tools);
	}

	/** The request with no toolchain override. */
	public BuildRequest(Path tree, String profile, String target, int jobs, boolean explain, boolean clean) {
		this(tree, profile, target, jobs, explain, clean, Map.of());
	}

	/** @return the default build of {@code tree}: default profile and target, one job per core. */
	public static BuildRequest of(Path tree) {
		return new BuildRequest(tree, null, null, 0, false, false);
	}
}
