package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.build.graph.BuildLog;
import toro.studio.build.graph.DepFile;

/** The dependency-file reader on real gcc and nasm output, and the build log's tolerance of a torn last line. */
class GraphPartsTest {

	@Test
	void readsGccAndNasmDependencyFiles() throws Exception {
		try (Tree t = new Tree()) {
			t.write("include/with space.h", "#define S 1\n");
			t.write("kernel/sp.c", "#include \"k.h\"\n#include \"with space.h\"\nint sp(void) { return S + K; }\n");
			// run as the engine runs commands: in the tree, with relative names
			assertEquals(0, new ProcessBuilder("gcc", "-Iinclude", "-MD", "-MF", "sp.d", "-MT", "out/sp.o", "-c",
					"kernel/sp.c", "-o", "sp.o").directory(t.root.toFile()).start().waitFor());
			// -MD (not -MMD) lists system headers too: gcc's implicit stdc-predef.h here
			assertEquals(List.of("kernel/sp.c", "/usr/include/stdc-predef.h", "include/k.h", "include/with space.h"),
					DepFile.parse(Files.readString(t.root.resolve("sp.d"))));

			t.write("arch/inc.inc", "%define X 1\n");
			t.write("arch/uses.asm", "%include \"arch/inc.inc\"\nsection .text\nmov eax, X\n");
			// nasm -M (nasm 2.16.01's -MD leaves %include files out; the engine adds them itself)
			ProcessBuilder pb = new ProcessBuilder("nasm", "-f", "elf64", "-M", "-MT", "out/uses.o", "arch/uses.asm")
					.directory(t.root.toFile()).redirectOutput(t.root.resolve("uses.d").toFile());
			assertEquals(0, pb.start().waitFor());
			assertEquals(List.of("arch/uses.asm", "arch/inc.inc"), DepFile.parse(Files.readString(t.root.resolve("uses.d"))));
		}
	}

	@Test
	void parsesContinuationsEscapesAndPhonyRules() {
		String text = "out/a.o: src/a.c include/x\\ y.h \\\n  include/z.h\ninclude/z.h:\n";
		assertEquals(List.of("src/a.c", "include/x y.h", "include/z.h"), DepFile.parse(text));
	}

	@Test
	void aTornLastLineCountsAsNotBuilt() throws Exception {
		Path dir = Files.createTempDirectory("toro-log");
		try {
			Path file = dir.resolve("log");
			BuildLog log = BuildLog.load(file);
			log.add(new BuildLog.Record("a.o", 0xabcL, 11, List.of("a.c", "a.h"), new long[] { 5, 6 }));
			log.add(new BuildLog.Record("b.o", 0xdefL, 12, List.of("b.c"), new long[] { 7 }));
			log.close();
			String text = Files.readString(file);
			Files.writeString(file, text.substring(0, text.length() - 4)); // killed while writing b.o's record
			BuildLog again = BuildLog.load(file);
			BuildLog.Record a = again.get("a.o");
			assertNotNull(a);
			assertEquals(0xabcL, a.hash());
			assertEquals(List.of("a.c", "a.h"), a.deps());
			assertEquals(6, a.depMtimes()[1]);
			assertNull(again.get("b.o"));
		} finally {
			for (Path p : List.of(dir.resolve("log"), dir))
				Files.deleteIfExists(p);
		}
	}
}
