package toro.studio.core;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.osgi.service.prefs.BackingStoreException;

/**
 * The paths of the external tools Toro Studio runs: nasm, gcc and ld (the
 * build), qemu (runs) and gdb (debugging). A path set in the preferences wins;
 * otherwise the tool is looked up on the PATH.
 */
public final class ToolPaths {
	/** The preference node holding the paths. */
	public static final String NODE = "toro.studio.core";
	/** Tool keys, in the order the preference page shows them. */
	public static final List<String> TOOLS = List.of("nasm", "gcc", "ld", "qemu", "gdb");

	private ToolPaths() {
	}

	/** The program name searched on the PATH for {@code tool}. */
	public static String programOf(String tool) {
		return "qemu".equals(tool) ? "qemu-system-x86_64" : tool;
	}

	/** The path configured for {@code tool}, or "" if none (then {@link #detect} applies). */
	public static String configured(String tool) {
		return node().get(tool, "");
	}

	/** Sets (or, with a blank value, clears) the path of {@code tool}. */
	public static void configure(String tool, String path) throws BackingStoreException {
		if (path == null || path.isBlank())
			node().remove(tool);
		else
			node().put(tool, path.trim());
		node().flush();
	}

	/** The path to run for {@code tool}: the configured one, else the detected one, else null. */
	public static Path resolve(String tool) {
		String c = configured(tool);
		return c.isBlank() ? detect(tool) : Path.of(c);
	}

	/**
	 * The build tools configured in the preferences, keyed as the build
	 * engine's toolchain overrides (nasm, cc, ld); tools left empty are absent,
	 * so the descriptor's [toolchain] entries apply to them.
	 */
	public static Map<String, String> buildOverrides() {
		Map<String, String> m = new HashMap<>();
		for (String tool : List.of("nasm", "gcc", "ld")) {
			String path = configured(tool);
			if (!path.isBlank())
				m.put("gcc".equals(tool) ? "cc" : tool, path);
		}
		return m;
	}

	/** Looks {@code tool}'s program up on the PATH; null if it is not there. */
	public static Path detect(String tool) {
		String path = System.getenv("PATH");
		if (path == null)
			return null;
		for (String dir : path.split(File.pathSeparator)) {
			if (dir.isEmpty())
				continue;
			Path p = Path.of(dir, programOf(tool));
			if (Files.isRegularFile(p) && Files.isExecutable(p))
				return p;
		}
		return null;
	}

	/**
	 * Checks a path given for {@code tool}; returns null when it is usable,
	 * otherwise a message saying what is wrong and what to do.
	 */
	public static String validate(String tool, String path) {
		if (path == null || path.isBlank()) {
			return detect(tool) == null ? programOf(tool) + " was not found on the PATH; install it (e.g. apt-get install "
					+ packageOf(tool) + ") or enter its full path." : null;
		}
		Path p = Path.of(path.trim());
		if (!p.isAbsolute())
			return tool + ": enter an absolute path (got " + path.trim() + ").";
		if (!Files.exists(p))
			return tool + ": " + p + " does not exist.";
		if (!Files.isRegularFile(p) || !Files.isExecutable(p))
			return tool + ": " + p + " is not an executable file.";
		return null;
	}

	private static String packageOf(String tool) {
		return switch (tool) {
		case "ld" -> "binutils";
		case "qemu" -> "qemu-system-x86";
		default -> tool;
		};
	}

	private static IEclipsePreferences node() {
		return InstanceScope.INSTANCE.getNode(NODE);
	}
}
