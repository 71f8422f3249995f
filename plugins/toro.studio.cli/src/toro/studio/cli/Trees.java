package toro.studio.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of the scratch directories the commands make (bench copies, doctor probes). */
final class Trees {
	private Trees() {
	}

	/** Deletes {@code dir} and everything in it; nothing when it does not exist. */
	static void delete(Path dir) throws IOException {
		if (dir == null || !Files.exists(dir))
			return;
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList())
				Files.delete(p);
		}
	}
}
