package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;
import toro.studio.build.Severity;

/**
 * The real kernel tree (kernel-src of the checkout named by the toro.root
 * property), copied to a temporary directory so that the checkout's build/
 * is left alone: the default release target builds with no error and no ABI
 * finding, and an immediate rebuild runs nothing.
 */
class RealKernelTest {
	static Path kernelSrc() {
		return Path.of(System.getProperty("toro.root", "../..")).resolve("kernel-src").toAbsolutePath().normalize();
	}

	@Test
	void buildsTheRealKernel() throws Exception {
		Path copy = Files.createTempDirectory("toro-kernel");
		try {
			copyTree(kernelSrc(), copy);
			BuildResult r = KernelBuild.build(new BuildRequest(copy, null, null, 0, false, false), BuildListener.NONE, () -> false);
			assertTrue(r.success(), Tree.errors(r));
			assertTrue(r.problems().stream().noneMatch(p -> p.severity() == Severity.ERROR), Tree.errors(r));
			assertEquals(List.of(), r.problems().stream().filter(p -> p.tool().equals("abi-check")).toList(),
					"the shipped assembly has no ABI finding of any severity");
			assertEquals(copy.resolve("build/release/toro.elf"), r.image());
			assertTrue(Tree.run("nm", r.image().toString()).contains(" kmain"));
			String db = Files.readString(copy.resolve("build/release/compile_commands.json"));
			assertTrue(db.contains("\"file\": \"kernel/main.c\"") && db.contains("\"-O2\""), db);

			BuildResult again = KernelBuild.build(new BuildRequest(copy, null, null, 0, false, false), BuildListener.NONE, () -> false);
			assertTrue(again.success());
			assertEquals(0, again.stepsRun());
		} finally {
			deleteTree(copy);
		}
	}

	/** Copies the sources of a tree (everything but build/). */
	static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> s = Files.walk(from)) {
			for (Path p : s.toList()) {
				Path rel = from.relativize(p);
				if (rel.toString().equals("build") || rel.startsWith("build"))
					continue;
				Path dst = to.resolve(rel.toString());
				if (Files.isDirectory(p))
					Files.createDirectories(dst);
				else
					Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	static void deleteTree(Path dir) throws IOException {
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList())
				Files.delete(p);
		}
	}
}
