package toro.studio.build.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes and moves files so that a reader sees the old or the new content, never a part. */
public final class AtomicFiles {
	private AtomicFiles() {
	}

	/** Writes {@code text} to a temporary file beside {@code file}, then renames it over {@code file}. */
	public static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(tmp, text, StandardCharsets.UTF_8);
		move(tmp, file);
	}

	/** Renames {@code from} over {@code to} in one step (same directory, so same file system). */
	public static void move(Path from, Path to) throws IOException {
		Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}
}
