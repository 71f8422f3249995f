package toro.studio.telemetry.tests;

import java.io.IOException;
import java.io.InputStream;

/** Reads the telemetry streams captured from the real kernel (resources/README.md says how). */
final class Captures {
	private Captures() {
	}

	/** @return the bytes of resources/NAME. */
	static byte[] bytes(String name) throws IOException {
		try (InputStream in = Captures.class.getClassLoader().getResourceAsStream("resources/" + name)) {
			if (in == null)
				throw new IOException("test fixture resources/" + name + " is missing");
			return in.readAllBytes();
		}
	}
}
