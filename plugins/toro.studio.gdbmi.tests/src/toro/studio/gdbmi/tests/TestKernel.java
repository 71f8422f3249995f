package toro.studio.gdbmi.tests;

import java.nio.file.Path;

import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;

/** The real kernel image for integration tests, built from kernel-src/ by the build engine. */
final class TestKernel {
	private TestKernel() {
	}

	/** @return the checkout root (system property toro.root). */
	static Path root() {
		String r = System.getProperty("toro.root");
		if (r == null)
			throw new IllegalStateException("system property toro.root is not set (run through Maven)");
		return Path.of(r);
	}

	/**
	 * @return toro.elf of profile "debug" (-O0 -g) or "release" (-O2 -g); the engine
	 *         rebuilds only what is out of date
	 */
	static synchronized Path image(String profile) throws Exception {
		BuildRequest req = new BuildRequest(root().resolve("kernel-src"), profile, "toro", 0, false, false);
		BuildResult r = KernelBuild.build(req, BuildListener.NONE, () -> false);
		if (!r.success())
			throw new IllegalStateException("the " + profile + " kernel did not build: " + r.problems());
		return r.image();
	}
}
