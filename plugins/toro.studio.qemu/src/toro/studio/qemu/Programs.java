package toro.studio.qemu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a program the runner starts is found: the PATH lookup a shell would do, without a shell. */
public final class Programs {
	private Programs() {
	}

	/**
	 * @return the first executable regular file called {@code name} in the directories of
	 *         {@code path} (a PATH value; null or empty: none), or null when there is none
	 */
	public static Path onPath(String name, String path) {
		for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
			if (dir.isEmpty())
				continue;
			Path p = Path.of(dir, name);
			if (Files.isRegularFile(p) && Files.isExecutable(p))
				return p;
		}
		return null;
	}
}
