package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.build.BuildResult;
import toro.studio.build.Problem;
import toro.studio.build.Severity;
import toro.studio.build.diag.DiagnosticParser;

/**
 * gcc, nasm and ld messages become structured problems: the parsers on output
 * captured from the real tools (resources/diag), and end to end on broken sources.
 */
class DiagnosticsTest {
	private static final Path DIR = Path.of("/tmp/cap");

	private static List<Problem> parse(String tool, String resource) throws IOException {
		try (InputStream in = DiagnosticsTest.class.getClassLoader().getResourceAsStream("resources/diag/" + resource)) {
			assertNotNull(in, resource);
			return DiagnosticParser.forTool(tool).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DIR);
		}
	}

	@Test
	void gccOutput() throws IOException {
		List<Problem> ps = parse("cc", "gcc.txt");
		assertEquals(new Problem("gcc", DIR.resolve("bad.c"), 2, 14, Severity.ERROR,
				"expected ‘=’, ‘,’, ‘;’, ‘asm’ or ‘__attribute__’ before ‘{’ token"), ps.get(0));
		assertEquals(new Problem("gcc", DIR.resolve("bad.c"), 4, 0, Severity.WARNING,
				"control reaches end of non-void function [-Wreturn-type]"), ps.get(3));
		assertEquals(Severity.WARNING, ps.get(4).severity());
		assertEquals(2, ps.get(4).line());
		assertEquals(24, ps.get(4).column());
		Problem fatal = ps.get(6);
		assertNull(fatal.file());
		assertEquals("missing.c: No such file or directory", fatal.message());
		assertEquals(Severity.ERROR, fatal.severity());
		assertTrue(ps.get(7).message().startsWith("unrecognized command-line option"));
		Problem inHeader = ps.get(8);
		assertEquals(DIR.resolve("inc2.h"), inHeader.file());
		assertEquals(41, inHeader.column());
		assertEquals(Severity.NOTE, ps.get(9).severity());
		assertEquals(10, ps.size(), ps.toString());
		assertEquals("/tmp/cap/bad.c:4: warning: control reaches end of non-void function [-Wreturn-type]", ps.get(3).toString());
	}

	@Test
	void gccOutputInColour() throws IOException {
		List<Problem> ps = parse("cc", "gcc-color.txt");
		assertEquals(2, ps.size(), ps.toString());
		assertEquals(new Problem("gcc", DIR.resolve("warn.c"), 1, 12, Severity.WARNING,
				"‘unused’ defined but not used [-Wunused-function]"), ps.get(1));
	}

	@Test
	void nasmOutput() throws IOException {
		List<Problem> ps = parse("nasm", "nasm.txt");
		assertEquals(new Problem("nasm", DIR.resolve("bad.asm"), 6, 0, Severity.ERROR, "parser: instruction expected"), ps.get(0));
		assertEquals(new Problem("nasm", DIR.resolve("m.asm"), 3, 0, Severity.NOTE, "from macro `M' defined here"), ps.get(2));
		assertEquals(DIR.resolve("m.asm"), ps.get(3).file());
		assertTrue(ps.get(3).message().contains("nope.inc"));
		assertNull(ps.get(4).file());
		assertEquals(Severity.ERROR, ps.get(4).severity());
		assertEquals(new Problem("nasm", DIR.resolve("w2.asm"), 2, 0, Severity.WARNING,
				"byte data exceeds bounds [-w+number-overflow]"), ps.get(6));
		assertEquals(8, ps.size(), ps.toString());
	}

	@Test
	void ldOutput() throws IOException {
		List<Problem> ps = parse("ld", "ld.txt");
		assertEquals(new Problem("ld", DIR.resolve("bad2.ld"), 4, 0, Severity.ERROR, "syntax error"), ps.get(0));
		assertEquals(new Problem("ld", Path.of("/tmp/cap/u.c"), 2, 0, Severity.ERROR,
				"in start: undefined reference to `missing_fn'"), ps.get(1));
		assertNull(ps.get(2).file());
		assertEquals("cannot find nothere.o: No such file or directory", ps.get(2).message());
		assertEquals(Path.of("/tmp/cap/dd.c"), ps.get(3).file());
		assertTrue(ps.get(3).message().contains("multiple definition of `start'"));
		assertEquals(Severity.WARNING, ps.get(4).severity());
		assertEquals(5, ps.size(), ps.toString());
	}

	/**
	 * Builds the test tree with {@code rel} replaced by {@code text}, expects the
	 * build to fail, and returns the first error of {@code tool}, whose file must
	 * be {@code rel} (absolute) and whose line must be {@code line}.
	 */
	private static Problem brokenBuild(String rel, String text, String tool, int line) throws Exception {
		try (Tree t = new Tree()) {
			t.write(rel, text);
			BuildResult r = t.build();
			assertFalse(r.success());
			assertFalse(r.image().toFile().exists(), "nothing linked");
			Problem p = r.problems().stream().filter(x -> x.tool().equals(tool) && x.severity() == Severity.ERROR)
					.findFirst().orElseThrow(() -> new AssertionError("no " + tool + " error in " + r.problems()));
			assertEquals(t.root.resolve(rel), p.file());
			assertEquals(line, p.line());
			return p;
		}
	}

	@Test
	void brokenCReportsFileLineAndColumn() throws Exception {
		Problem p = brokenBuild("kernel/add.c", "#include \"k.h\"\nint add(int a, int b) {\n  return a + undefined_thing;\n}\n",
				"gcc", 3);
		assertEquals(14, p.column());
		assertTrue(p.message().contains("undefined_thing"), p.message());
	}

	@Test
	void brokenAssemblyReportsFileAndLine() throws Exception {
		Problem p = brokenBuild("arch/entry.asm", "bits 64\nsection .text\nglobal _start\n_start:\n    mov rax,\n    ret\n", "nasm", 5);
		assertEquals("invalid combination of opcode and operands", p.message());
	}

	@Test
	void brokenLinkerScriptReportsItsLine() throws Exception {
		Problem p = brokenBuild("arch/kernel.ld", "ENTRY(_start)\nSECTIONS {\n  . = 1M;\n  .text : { *(.text*) } = = ;\n}\n", "ld", 4);
		assertEquals("syntax error", p.message());
	}
}
