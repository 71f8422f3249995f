package toro.studio.build.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A file of the build graph: a source, a header found in a dependency file, an
 * object or an image. {@code name} is how commands and the log spell it
 * (relative to the tree when inside it); {@code path} is where it is.
 */
public final class Node {
	/** The mtime of a file that does not exist. */
	public static final long MISSING = -1;

	private final String name;
	private final Path path;
	private Edge producer;
	private long mtime;
	private boolean statted;

	Node(String name, Path path) {
		this.name = name;
		this.path = path;
	}

	public String name() {
		return name;
	}

	public Path path() {
		return path;
	}

	/** @return the edge whose command writes this file, or null for a source. */
	public Edge producer() {
		return producer;
	}

	void setProducer(Edge e) {
		producer = e;
	}

	/** @return the file's modification time in nanoseconds, or {@link #MISSING}; stats once until {@link #forget}. */
	public long mtime() {
		if (!statted) {
			mtime = stat(path);
			statted = true;
		}
		return mtime;
	}

	/** Drops the cached mtime, after a command wrote the file. */
	public void forget() {
		statted = false;
	}

	/** @return the modification time of {@code p} in nanoseconds, or {@link #MISSING}. */
	public static long stat(Path p) {
		try {
			return Files.readAttributes(p, BasicFileAttributes.class).lastModifiedTime().to(TimeUnit.NANOSECONDS);
		} catch (NoSuchFileException e) {
			return MISSING;
		} catch (IOException e) {
			return MISSING;
		}
	}

	@Override
	public String toString() {
		return name;
	}
}
