package toro.studio.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One profile of one target, fully resolved: tools, complete flag lists (with
 * -I and -D), the sources in order (relative to the tree), the linker script
 * (relative), and where outputs go (absolute). {@code warnings} holds what the
 * descriptor got wrong without stopping the build (e.g. a glob matching nothing).
 */
record BuildConfig(Path tree, String profile, String target, Map<String, String> tools, List<String> cflags,
		List<String> asflags, List<String> ldflags, List<Path> sources, Path linkerScript, Path image,
		Path buildDir, Path objDir, List<Problem> warnings) {

	/** @return the program for a toolchain entry (nasm, cc, ld, objcopy). */
	String tool(String name) {
		return tools.get(name);
	}
}
