package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The real {@code toro} script, run as a process: {@code toro build} and {@code toro abi-check}. */
class CliScriptTest {
	record Run(int status, String out, String err) {
	}

	static Run toro(List<String> args) throws Exception {
		Path script = Path.of(System.getProperty("toro.root", "../..")).resolve("toro").toAbsolutePath().normalize();
		assertTrue(Files.isExecutable(script), script + " is not executable");
		List<String> argv = new java.util.ArrayList<>(List.of(script.toString()));
		argv.addAll(args);
		Path err = Files.createTempFile("toro-err", ".txt");
		try {
			Process p = new ProcessBuilder(argv).redirectError(err.toFile()).start();
			p.getOutputStream().close();
			String out;
			try (InputStream in = p.getInputStream()) {
				out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (!p.waitFor(600, TimeUnit.SECONDS)) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				throw new AssertionError("toro " + args + " did not finish in 10 minutes");
			}
			return new Run(p.exitValue(), out, Files.readString(err));
		} finally {
			Files.delete(err);
		}
	}

	@Test
	void toroBuildPrintsTheImageLastAndFailsWithProblems() throws Exception {
		try (Tree t = new Tree()) {
			Run ok = toro(List.of("build", "--tree", t.root.toString(), "-j2", "--explain"));
			assertEquals(0, ok.status(), ok.err());
			List<String> lines = ok.out().lines().toList();
			assertEquals(t.root.resolve("build/release/toro.elf").toString(), lines.get(lines.size() - 1));
			assertTrue(ok.err().contains("explain: build/release/toro.elf: no record in the build log"), ok.err());
			assertTrue(ok.err().contains("] CC kernel/main.c"), ok.err());

			t.write("kernel/add.c", "int add(int a, int b) { return a +; }\n");
			Run bad = toro(List.of("build", "--tree", t.root.toString(), "-j", "1"));
			assertEquals(1, bad.status(), bad.out() + bad.err());
			assertTrue(bad.out().contains(t.root.resolve("kernel/add.c") + ":1:35: error: expected expression"), bad.out());
			assertTrue(bad.err().contains("the last good image is still"), bad.err());

			Run usage = toro(List.of("build", "-jx"));
			assertEquals(2, usage.status());
			assertTrue(usage.err().contains("-j takes a number of jobs"), usage.err());
		}
	}

	@Test
	void toroAbiCheckPrintsFindingsAndExitsOne() throws Exception {
		try (Tree t = new Tree()) {
			Path bad = t.write("arch/bad.asm", "section .text\nglobal f\nf:\n    push rbx\n    ret\n");
			Run r = toro(List.of("abi-check", "--tree", t.root.toString(), bad.toString()));
			assertEquals(1, r.status(), r.err());
			assertEquals(bad + ":5: f: stack not balanced at this ret: 8 bytes pushed and not popped\n", r.out());
			Run all = toro(List.of("abi-check", "--tree", t.root.toString()));
			assertEquals(1, all.status(), "bad.asm is a source of the tree now: " + all.err());
			Files.delete(bad);
			Run clean = toro(List.of("abi-check", "--tree", t.root.toString()));
			assertEquals(0, clean.status(), clean.out() + clean.err());
			assertEquals("", clean.out());
		}
	}
}
