package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;

/** A build stopped midway (cancelled, or a compiler killed) never leaves an output that counts as up to date. */
class InterruptedBuildTest {

	@Test
	void cancelledBuildKillsItsCommandsAndTheNextBuildFinishes() throws Exception {
		try (Tree t = new Tree()) {
			// a slow compiler so that the cancel lands while compiles run
			Path cc = t.write("slowcc.sh", "#!/bin/sh\nsleep 2\nexec gcc \"$@\"\n");
			cc.toFile().setExecutable(true);
			BuildRequest slow = new BuildRequest(t.root, null, null, 2, false, false, Map.of("cc", cc.toString()));
			AtomicBoolean cancel = new AtomicBoolean();
			long t0 = System.nanoTime();
			Thread canceller = new Thread(() -> {
				try {
					Thread.sleep(700);
				} catch (InterruptedException e) {
					return;
				}
				cancel.set(true);
			});
			canceller.start();
			BuildResult r = t.build(slow, cancel::get);
			canceller.join();
			assertFalse(r.success());
			assertTrue(Tree.errors(r).contains("cancelled"), Tree.errors(r));
			assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "cancel did not wait for every compile");
			assertFalse(Files.exists(r.image()));
			assertEquals(List.of(), leftovers(t.root), "temporary files left behind");

			BuildResult again = t.build();
			assertTrue(again.success(), Tree.errors(again));
			assertTrue(Tree.run("nm", again.image().toString()).contains(" T kmain"));
			assertTrue(again.stepsRun() >= 4, "the cancelled compiles ran again: " + t.ran);
			assertEquals(0, t.build().stepsRun());
		}
	}

	@Test
	void aCompilerKilledAfterWritingHalfAnObjectLeavesNothingThatCountsAsBuilt() throws Exception {
		try (Tree t = new Tree()) {
			assertTrue(t.build().success());
			t.write("kernel/add.c", "#include \"k.h\"\nint add(int a, int b) { return a + b + 1; }\n");
			// writes the first bytes of a real object to its -o file, then dies by SIGKILL
			Path cc = t.write("dyingcc.sh", """
					#!/bin/sh
					out=""; prev=""
					for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
					gcc "$@" || exit 1
					head -c 100 "$out" > "$out.cut" && mv "$out.cut" "$out"
					kill -9 $$
					""");
			cc.toFile().setExecutable(true);
			BuildResult r = t.build(new BuildRequest(t.root, null, null, 1, false, false, Map.of("cc", cc.toString())), () -> false);
			assertFalse(r.success());
			assertTrue(Tree.errors(r).contains("exit status 137"), Tree.errors(r));
			Path obj = t.root.resolve("build/release/obj/toro/kernel/add.c.o");
			assertTrue(Files.size(obj) > 100, "the last good object is intact");
			assertEquals(List.of(), leftovers(t.root));

			BuildResult again = t.build();
			assertTrue(again.success(), Tree.errors(again));
			assertEquals(Set.of("CC kernel/add.c", "LD build/release/toro.elf"), new TreeSet<>(t.ran));
			String dis = Tree.run("objdump", "-d", again.image().toString());
			assertTrue(dis.contains("<add>"), dis);
		}
	}

	@Test
	void aFailedLinkKeepsTheLastGoodImage() throws Exception {
		try (Tree t = new Tree()) {
			BuildResult good = t.build();
			assertTrue(good.success());
			byte[] image = Files.readAllBytes(good.image());
			t.write("kernel/main.c", "#include \"k.h\"\nint missing(void);\nint kmain(void) { return missing(); }\n");
			BuildResult bad = t.build();
			assertFalse(bad.success());
			assertTrue(Tree.errors(bad).contains("undefined reference to `missing'"), Tree.errors(bad));
			assertTrue(Files.exists(bad.image()));
			assertTrue(java.util.Arrays.equals(image, Files.readAllBytes(bad.image())), "the image was not touched");
			// still out of date: the next build tries the link again
			BuildResult still = t.build();
			assertEquals(List.of("LD build/release/toro.elf"), t.ran);
			assertFalse(still.success());
		}
	}

	/** @return temporary files under build/. */
	static List<Path> leftovers(Path root) throws Exception {
		List<Path> found = new ArrayList<>();
		Path build = root.resolve("build");
		if (!Files.isDirectory(build))
			return found;
		try (Stream<Path> s = Files.walk(build)) {
			s.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(found::add);
		}
		return found;
	}
}
