package toro.studio.gdbmi.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reads the MI transcripts captured from real gdb sessions (resources/*.mi). */
final class Fixtures {
	private Fixtures() {
	}

	/** @return the lines of resources/NAME. */
	static List<String> lines(String name) throws IOException {
		try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("resources/" + name)) {
			if (in == null)
				throw new IOException("test fixture resources/" + name + " is missing");
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
		}
	}

	/** @return the lines of a transcript that are gdb output (gdb's echo of raw inferior output excluded). */
	static List<String> miLines(String name) throws IOException {
		return lines(name).stream().filter(l -> !l.isEmpty() && "0123456789^*+=~@&(".indexOf(l.charAt(0)) >= 0).toList();
	}
}
