package toro.studio.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Whether SWT's native code, the part of the IDE that a fresh machine most often cannot load,
 * resolves here: the GTK 3 libraries of the SWT fragment the product ships are extracted and given
 * to {@code ldd}, and every dependency it reports "not found" is named with the Debian package
 * that provides it. A missing GTK shows up here, before the workbench dies with an
 * UnsatisfiedLinkError.
 */
public final class SwtCheck {
	/** The SWT fragment, as the product's plugins folder and the Maven repository name it. */
	static final String FRAGMENT = "org.eclipse.swt.gtk.linux.x86_64";
	/** SWT's GTK 3 libraries that the workbench loads (pi4 is GTK 4, webkit only the browser widget). */
	private static final List<String> LOADED = List.of("libswt-gtk-", "libswt-pi3-gtk-", "libswt-cairo-gtk-");
	/** Sonames SWT's GTK 3 code needs, with the Debian 12 package of each; anything else: apt-file. */
	private static final Map<String, String> PACKAGES = Map.ofEntries(
			Map.entry("libgtk-3.so.0", "libgtk-3-0"), Map.entry("libgdk-3.so.0", "libgtk-3-0"),
			Map.entry("libcairo.so.2", "libcairo2"), Map.entry("libcairo-gobject.so.2", "libcairo-gobject2"),
			Map.entry("libpango-1.0.so.0", "libpango-1.0-0"), Map.entry("libpangocairo-1.0.so.0", "libpangocairo-1.0-0"),
			Map.entry("libgdk_pixbuf-2.0.so.0", "libgdk-pixbuf-2.0-0"), Map.entry("libatk-1.0.so.0", "libatk1.0-0"),
			Map.entry("libglib-2.0.so.0", "libglib2.0-0"), Map.entry("libgobject-2.0.so.0", "libglib2.0-0"),
			Map.entry("libgio-2.0.so.0", "libglib2.0-0"), Map.entry("libX11.so.6", "libx11-6"), Map.entry("libXtst.so.6", "libxtst6"));

	/**
	 * The outcome.
	 *
	 * @param line     one line for doctor's list
	 * @param packages Debian packages to install; empty when SWT resolves or could not be checked
	 */
	public record Result(String line, Set<String> packages) {
	}

	private SwtCheck() {
	}

	/** @return the check of the SWT fragment of the product under {@code home}, else of the Maven repository. */
	static Result run(Path home) {
		Path jar = fragment(home);
		if (jar == null)
			return new Result("SWT native code: not checked (no " + FRAGMENT + " jar yet: 'toro studio' builds the product)", Set.of());
		Path dir = null;
		try {
			dir = Files.createTempDirectory("toro-swt-check");
			Set<String> missing = new LinkedHashSet<>();
			int libs = 0;
			for (Path lib : extract(jar, dir)) {
				missing.addAll(missing(lib));
				libs++;
			}
			if (libs == 0)
				return new Result("SWT native code: no GTK 3 library in " + jar, Set.of());
			if (missing.isEmpty())
				return new Result("SWT native code: ok, " + libs + " GTK 3 libraries resolve (" + jar.getFileName() + ")", Set.of());
			Set<String> packages = new LinkedHashSet<>();
			for (String so : missing)
				packages.add(packageFor(so));
			return new Result("SWT native code: MISSING " + String.join(", ", missing) + " (the IDE cannot open a window)", packages);
		} catch (IOException e) {
			return new Result("SWT native code: not checked (" + e.getMessage() + ")", Set.of());
		} finally {
			deleteQuietly(dir);
		}
	}

	/**
	 * @param lib a shared library
	 * @return the sonames that {@code ldd lib} reports as "not found", in its order
	 * @throws IOException when ldd cannot be run or fails
	 */
	public static List<String> missing(Path lib) throws IOException {
		Process p = new ProcessBuilder("ldd", lib.toString()).redirectErrorStream(true).start();
		p.getOutputStream().close();
		String out;
		try (InputStream in = p.getInputStream()) {
			out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		try {
			if (!p.waitFor(30, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new IOException("ldd " + lib + " did not finish");
			}
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while running ldd");
		}
		List<String> missing = new ArrayList<>();
		// each dependency is "\tSONAME => PATH (ADDRESS)", or "\tSONAME => not found"
		for (String l : out.split("\n")) {
			int arrow = l.indexOf(" => not found");
			if (arrow > 0)
				missing.add(l.substring(0, arrow).strip());
		}
		if (p.exitValue() != 0 && missing.isEmpty())
			throw new IOException("ldd " + lib + " failed: " + out.strip());
		return missing;
	}

	/** @return the Debian 12 package of {@code soname}, or the apt-file command that finds it. */
	public static String packageFor(String soname) {
		String p = PACKAGES.get(soname);
		return p != null ? p : "$(apt-file search -l " + soname + ")";
	}

	/** @return the SWT fragment jar the product ships, else the newest in ~/.m2, else null. */
	private static Path fragment(Path home) {
		Path plugins = home.resolve(StudioCommand.PRODUCT_DIR).resolve("plugins");
		Path jar = newest(plugins, FRAGMENT + "_");
		if (jar != null)
			return jar;
		Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "eclipse", "platform", FRAGMENT);
		if (!Files.isDirectory(repo))
			return null;
		try (Stream<Path> versions = Files.list(repo)) {
			for (Path v : versions.sorted(Comparator.reverseOrder()).toList()) {
				jar = newest(v, FRAGMENT + "-");
				if (jar != null)
					return jar;
			}
		} catch (IOException e) {
			return null;
		}
		return null;
	}

	/** @return the last by name of the jars in {@code dir} whose names start with {@code prefix}, or null. */
	private static Path newest(Path dir, String prefix) {
		if (!Files.isDirectory(dir))
			return null;
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".jar"))
					.max(Comparator.naturalOrder()).orElse(null);
		} catch (IOException e) {
			return null;
		}
	}

	/** Extracts the libraries SWT loads under GTK 3 from {@code jar} into {@code dir}. */
	private static List<Path> extract(Path jar, Path dir) throws IOException {
		List<Path> out = new ArrayList<>();
		try (ZipFile z = new ZipFile(jar.toFile())) {
			for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
				ZipEntry entry = e.nextElement();
				String name = entry.getName();
				if (name.contains("/") || !name.endsWith(".so") || LOADED.stream().noneMatch(name::startsWith))
					continue;
				Path to = dir.resolve(name);
				try (InputStream in = z.getInputStream(entry)) {
					Files.copy(in, to);
				}
				out.add(to);
			}
		}
		return out;
	}

	private static void deleteQuietly(Path dir) {
		try {
			Trees.delete(dir);
		} catch (IOException e) {
			// a temporary directory left behind is harmless
		}
	}
}
