package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;

/** The engine's incremental behaviour on a small tree built with the real nasm, gcc and ld. */
class BuildEngineTest {

	@Test
	void firstBuildThenNoOp() throws Exception {
		try (Tree t = new Tree()) {
			BuildResult r = t.build();
			assertTrue(r.success(), Tree.errors(r));
			assertEquals(5, r.stepsRun(), "4 compiles and a link: " + t.ran);
			assertEquals(t.root.resolve("build/release/toro.elf"), r.image());
			assertTrue(Tree.run("nm", r.image().toString()).contains(" T kmain"));
			assertTrue(Files.exists(t.root.resolve("build/release/obj/toro/kernel/main.c.d")), "dependency file kept");
			assertTrue(Files.exists(t.root.resolve("build/release/.toro_log")));

			BuildResult again = t.build();
			assertTrue(again.success());
			assertEquals(0, again.stepsRun(), "no-op build ran: " + t.ran);
			assertTrue(t.explained.isEmpty(), t.explained.toString());
		}
	}

	@Test
	void touchingAHeaderRebuildsExactlyItsDependents() throws Exception {
		try (Tree t = new Tree()) {
			assertTrue(t.build().success());
			t.touch("include/k.h");
			BuildResult r = t.build();
			assertTrue(r.success(), Tree.errors(r));
			assertEquals(Set.of("CC kernel/main.c", "CC kernel/add.c", "LD build/release/toro.elf"), new TreeSet<>(t.ran));
			assertTrue(t.explained.stream().anyMatch(l -> l.contains("include/k.h changed")), t.explained.toString());

			t.touch("include/other.h");
			t.build();
			assertEquals(Set.of("CC kernel/other.c", "LD build/release/toro.elf"), new TreeSet<>(t.ran));
		}
	}

	@Test
	void anAssemblyIncludeIsADependency() throws Exception {
		try (Tree t = new Tree()) {
			t.write("include/regs.inc", "%define ONE 1\n");
			t.write("arch/entry.asm", "%include \"regs.inc\"\n" + t.read("arch/entry.asm").replace("mov rbx, 1", "mov rbx, ONE"));
			assertTrue(t.build().success());
			t.touch("include/regs.inc");
			BuildResult r = t.build();
			assertTrue(r.success(), Tree.errors(r));
			assertEquals(Set.of("AS arch/entry.asm", "LD build/release/toro.elf"), new TreeSet<>(t.ran));
			assertTrue(t.explained.stream().anyMatch(l -> l.contains("include/regs.inc changed")), t.explained.toString());
		}
	}

	@Test
	void changingAFlagRebuildsWhatItAffects() throws Exception {
		try (Tree t = new Tree()) {
			assertTrue(t.build().success());
			// a C flag: every C object and the link, not the assembly
			t.write("toro.build", Tree.DESCRIPTOR.replace("cflags = -O2 -g", "cflags = -O1 -g"));
			BuildResult r = t.build();
			assertTrue(r.success(), Tree.errors(r));
			assertEquals(Set.of("CC kernel/main.c", "CC kernel/add.c", "CC kernel/other.c", "LD build/release/toro.elf"),
					new TreeSet<>(t.ran));
			assertTrue(t.explained.stream().allMatch(l -> l.contains("command line changed") || l.contains("is rebuilt")),
					t.explained.toString());
			// an assembler flag: only the assembly and the link
			t.write("toro.build", Tree.DESCRIPTOR.replace("cflags = -O2 -g", "cflags = -O1 -g").replace("asflags = -g -F dwarf", "asflags = -g"));
			t.build();
			assertEquals(Set.of("AS arch/entry.asm", "LD build/release/toro.elf"), new TreeSet<>(t.ran));
		}
	}

	@Test
	void aRemovedSourceLeavesTheLink() throws Exception {
		try (Tree t = new Tree()) {
			assertTrue(t.build().success());
			Path obj = t.root.resolve("build/release/obj/toro/kernel/other.c.o");
			assertTrue(Files.exists(obj));
			assertTrue(Tree.run("nm", t.root.resolve("build/release/toro.elf").toString()).contains(" T other"));
			Files.delete(t.root.resolve("kernel/other.c"));
			BuildResult r = t.build();
			assertTrue(r.success(), Tree.errors(r));
			assertEquals(List.of("LD build/release/toro.elf"), t.ran);
			assertFalse(Tree.run("nm", r.image().toString()).contains(" T other"), "the removed source's symbol is gone");
			assertFalse(Files.exists(obj), "its object is deleted");
			assertEquals(0, t.build().stepsRun());
		}
	}

	@Test
	void profilesAndTargetsBuildApart() throws Exception {
		try (Tree t = new Tree()) {
			BuildResult debug = t.build(new BuildRequest(t.root, "debug", "hello", 2, false, false), () -> false);
			assertTrue(debug.success(), Tree.errors(debug));
			assertEquals(t.root.resolve("build/debug/hello.elf"), debug.image());
			String nm = Tree.run("nm", debug.image().toString());
			assertTrue(nm.contains(" T hello") && nm.contains(" T kmain"), "inherit brings toro's sources: " + nm);
			String cc = Files.readString(t.root.resolve("build/debug/compile_commands.json"));
			assertTrue(cc.contains("\"-O0\"") && !cc.contains("\"-O2\""), cc);
			assertTrue(cc.contains("\"file\": \"apps/hello/hello.c\""), cc);
			assertTrue(cc.contains("\"directory\": \"" + t.root + "\""), cc);
			assertEquals(5 + 1, t.ran.size());
		}
	}

	@Test
	void cleanRebuildsEverything() throws Exception {
		try (Tree t = new Tree()) {
			assertTrue(t.build().success());
			BuildResult r = t.build(new BuildRequest(t.root, null, null, 0, false, true), () -> false);
			assertTrue(r.success());
			assertEquals(5, r.stepsRun());
		}
	}

	@Test
	void outputChangedOutsideTheBuildIsRebuilt() throws Exception {
		try (Tree t = new Tree()) {
			assertTrue(t.build().success());
			Path obj = t.root.resolve("build/release/obj/toro/kernel/add.c.o");
			Files.write(obj, new byte[] { 1, 2, 3 }); // truncated by hand
			BuildResult r = t.build();
			assertTrue(r.success(), Tree.errors(r));
			assertEquals(Set.of("CC kernel/add.c", "LD build/release/toro.elf"), new TreeSet<>(t.ran));
		}
	}

	@Test
	void parallelJobsRunAtOnce() throws Exception {
		try (Tree t = new Tree()) {
			for (int i = 0; i < 6; i++)
				t.write("kernel/extra" + i + ".c", "int extra" + i + "(void) { return " + i + "; }\n");
			// a compiler wrapper that logs when each compile starts and ends
			Path log = t.root.resolve("jobs.log");
			Path cc = t.write("cc.sh", "#!/bin/sh\necho start >> " + log + "\nsleep 0.3\ngcc \"$@\"\ns=$?\necho end >> " + log + "\nexit $s\n");
			cc.toFile().setExecutable(true);
			BuildResult r = t.build(new BuildRequest(t.root, null, null, 4, false, false, java.util.Map.of("cc", cc.toString())), () -> false);
			assertTrue(r.success(), Tree.errors(r));
			int running = 0, most = 0;
			for (String line : Files.readAllLines(log)) {
				running += line.equals("start") ? 1 : -1;
				most = Math.max(most, running);
			}
			assertTrue(most >= 2, "at most " + most + " compiles ran at once with -j4");
			assertEquals(0, t.build(new BuildRequest(t.root, null, null, 4, false, false, java.util.Map.of("cc", cc.toString())), () -> false).stepsRun());
		}
	}

	@Test
	void twoBuildsOfOneTreeAtOnceTakeTurns() throws Exception {
		try (Tree t = new Tree()) {
			BuildRequest req = new BuildRequest(t.root, null, null, 2, false, false);
			java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
			try {
				var a = pool.submit(() -> toro.studio.build.KernelBuild.build(req, toro.studio.build.BuildListener.NONE, () -> false));
				var b = pool.submit(() -> toro.studio.build.KernelBuild.build(req, toro.studio.build.BuildListener.NONE, () -> false));
				BuildResult ra = a.get(), rb = b.get();
				assertTrue(ra.success() && rb.success(), Tree.errors(ra) + Tree.errors(rb));
				assertEquals(5, ra.stepsRun() + rb.stepsRun(), "one built, the other found it up to date");
			} finally {
				pool.shutdownNow();
			}
		}
	}
}
