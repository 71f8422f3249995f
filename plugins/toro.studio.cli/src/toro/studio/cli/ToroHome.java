package toro.studio.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the Toro Studio checkout and the kernel tree a command works on. */
public final class ToroHome {
	private ToroHome() {
	}

	/**
	 * @return the Toro Studio checkout: the {@code toro.home} system property that
	 *         the launcher script sets, else the working directory
	 */
	public static Path home() {
		String p = System.getProperty("toro.home");
		return Path.of(p != null ? p : "").toAbsolutePath().normalize();
	}

	/** @return the kernel tree the option {@code --tree} names, else {@link #kernelTree()}. */
	public static Path kernelTree(Options o) {
		String tree = o.get("--tree", null);
		return tree != null ? Path.of(tree).toAbsolutePath() : kernelTree();
	}

	/**
	 * @return the kernel tree: the nearest directory at or above the working
	 *         directory that holds a {@code toro.build}, else the checkout's kernel-src/
	 */
	public static Path kernelTree() {
		for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent())
			if (Files.isRegularFile(d.resolve("toro.build")))
				return d;
		return home().resolve("kernel-src");
	}
}
