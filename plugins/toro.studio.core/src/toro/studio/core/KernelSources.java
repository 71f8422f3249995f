package toro.studio.core;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.osgi.service.datalocation.Location;

/**
 * The kernel sources that ship with Toro Studio. They are not copied into a
 * bundle: the product is started from a Toro checkout or archive whose root
 * holds kernel-src/, and that root is found, in this order, from the system
 * property {@value #HOME_PROPERTY} (set by `toro studio`), the property
 * {@value #ROOT_PROPERTY} (set for tests), or the product's install location.
 */
public final class KernelSources {
	/** The system property naming the Toro Studio home (the checkout or archive root). */
	public static final String HOME_PROPERTY = "toro.home";
	/** The system property naming the checkout root in tests. */
	public static final String ROOT_PROPERTY = "toro.root";
	/** The folder under the home that holds the kernel tree. */
	public static final String FOLDER = "kernel-src";

	private KernelSources() {
	}

	/**
	 * Returns the bundled kernel tree (a directory holding toro.build), or throws
	 * an exception saying where it was looked for.
	 */
	public static Path bundled() throws CoreException {
		StringBuilder tried = new StringBuilder();
		for (Path home : new Path[] { property(HOME_PROPERTY), property(ROOT_PROPERTY), installLocation() }) {
			if (home == null)
				continue;
			Path tree = home.resolve(FOLDER);
			if (Files.isRegularFile(tree.resolve(KernelProjects.DESCRIPTOR)))
				return tree;
			tried.append(' ').append(tree);
		}
		throw new CoreException(Status.error("The kernel sources bundled with Toro Studio were not found (looked in:"
				+ tried + "). Start Toro Studio with `toro studio`, or with -D" + HOME_PROPERTY
				+ "=<Toro checkout>, or adopt an existing kernel tree instead."));
	}

	/**
	 * Copies the kernel tree {@code from} to the new directory {@code to},
	 * leaving out build outputs (build/) and version control folders.
	 */
	public static void copy(Path from, Path to) throws IOException {
		if (Files.exists(to)) {
			try (Stream<Path> entries = Files.list(to)) {
				if (entries.findAny().isPresent())
					throw new IOException("Cannot create the kernel project in " + to + ": the directory is not empty");
			}
		}
		Files.walkFileTree(from, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				Path rel = from.relativize(dir);
				if (rel.toString().equals("build") || rel.getFileName().toString().equals(".git"))
					return FileVisitResult.SKIP_SUBTREE;
				Files.createDirectories(to.resolve(rel.toString()));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	private static Path property(String name) {
		String v = System.getProperty(name);
		return v == null || v.isBlank() ? null : Path.of(v).toAbsolutePath().normalize();
	}

	private static Path installLocation() {
		Location install = Platform.getInstallLocation();
		if (install == null || install.getURL() == null)
			return null;
		return "file".equals(install.getURL().getProtocol()) ? Path.of(install.getURL().getPath()) : null;
	}
}
