package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;

/** The real kernel images of the checkout, built once per test JVM by the build engine in-process. */
final class Images {
	private static final Map<String, Path> BUILT = new HashMap<>();

	private Images() {
	}

	/** @return the checkout root (system property toro.root, set by the reactor). */
	static Path root() {
		return Path.of(System.getProperty("toro.root", "../..")).toAbsolutePath().normalize();
	}

	/** @return the release image of {@code target}, built (incrementally) if needed. */
	static synchronized Path of(String target) throws Exception {
		Path p = BUILT.get(target);
		if (p == null) {
			BuildResult r = KernelBuild.build(new BuildRequest(root().resolve("kernel-src"), "release", target, 0, false, false),
					BuildListener.NONE, () -> false);
			assertTrue(r.success(), "building " + target + ": " + r.problems());
			p = r.image();
			BUILT.put(target, p);
		}
		return p;
	}
}
