package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.build.BuildDescriptor;
import toro.studio.build.BuildException;
import toro.studio.build.BuildResult;
import toro.studio.build.Problem;
import toro.studio.build.Severity;

/** toro.build: what it means, and every mistake reported with its line and what to write instead. */
class DescriptorTest {

	@Test
	void readsTargetsProfilesAndDefaults() throws Exception {
		try (Tree t = new Tree()) {
			BuildDescriptor d = BuildDescriptor.load(t.root);
			assertEquals(List.of("toro", "hello"), d.targets());
			assertEquals(List.of("release", "debug"), d.profiles());
			assertEquals("release", d.defaultProfile());
			assertEquals("toro", d.defaultTarget());
			assertEquals(t.root.resolve("build/debug/hello.elf"), d.outputOf("debug", "hello"));
			assertEquals(t.root.resolve("build/release/toro.elf"), d.outputOf(null, null));
			assertEquals("gcc", d.tools().get("cc"));
			assertEquals("nasm", d.tools().get("nasm"));
			assertEquals(List.of(t.root.resolve("arch/entry.asm")), d.assemblySources());
		}
	}

	/** Replaces {@code from} by {@code to} in the test descriptor and returns the load error's message. */
	private static String error(String from, String to) throws Exception {
		try (Tree t = new Tree()) {
			String text = Tree.DESCRIPTOR.replace(from, to);
			assertTrue(!text.equals(Tree.DESCRIPTOR), "the test's edit applies");
			t.write("toro.build", text);
			BuildException e = assertThrows(BuildException.class, () -> t.build());
			return e.getMessage();
		}
	}

	@Test
	void mistakesNameTheLineAndTheFix() throws Exception {
		assertEquals("toro.build:5: unknown key 'cflag' in [flags]; use one of: asflags, cflags, defines, includes, ldflags",
				error("cflags = -std=c11", "cflag = -std=c11"));
		assertEquals("toro.build:1: unknown section [tools]; use [toolchain], [flags], [profile NAME] or [target NAME]",
				error("[toolchain]", "[tools]"));
		assertTrue(error("default = true\n\n[profile debug]", "\n\n[profile debug]")
				.matches("toro\\.build:\\d+: no profile has default = true; add default = true to one profile, e\\.g\\. \\[profile release\\]"));
		for (String dots : List.of(".", ".."))
			assertTrue(error("[profile debug]", "[profile " + dots + "]").matches("toro\\.build:\\d+: '\\.+' is not a valid profile name: build/\\.+/ would be"
					+ " a directory outside its own \\(and --clean would empty it\\); use a name with a letter or digit, e\\.g\\. \\[profile release\\]"));
		assertTrue(error("[target hello]", "[target ..]").contains("'..' is not a valid target name: build/PROFILE/obj/../ would be a directory outside its own"));
		assertEquals("toro.build:25: inherit names unknown target 'tor'; use one of: toro, hello",
				error("inherit = toro", "inherit = tor"));
		assertEquals("toro.build:18: [target toro] has no output; add output = toro.elf",
				error("output = toro.elf\n", ""));
		assertEquals("toro.build:17: default must be true or false, not 'yes'; write default = true",
				error("cflags = -O0 -g\n", "cflags = -O0 -g\ndefault = yes\n"));
		assertTrue(error("cflags = -O0 -g\n", "cflags = -O0 -g\ndefault = true\n")
				.startsWith("toro.build:17: both profile release and profile debug have default = true"));
		assertEquals("toro.build:1: 'nasm' comes before any section; put it under a section header such as [flags] or [target toro]",
				error("[toolchain]\n", "nasm = nasm\n[toolchain]\n"));
		assertTrue(error("ldflags =", "ldflags").startsWith("toro.build:7: 'ldflags"));
		assertTrue(error("output = hello.elf", "output = hello.elf\nsources = x.c").startsWith("toro.build:28: 'sources' is given twice in [target hello] (first at line 26)"));
		assertTrue(error("linker-script = arch/kernel.ld", "linker-script = arch/kernl.ld")
				.startsWith("toro.build:20: linker-script 'arch/kernl.ld' does not exist in "));
		assertTrue(error("inherit = toro", "inherit = hello").startsWith("toro.build:25: inherit forms a cycle: hello -> hello"));
		assertTrue(error("sources = arch/*.asm kernel/*.c", "sources = arch/* kernel/*.c")
				.startsWith("toro.build:19: sources glob 'arch/*' matches arch/kernel.ld, which is neither .c nor .asm"));
	}

	@Test
	void unknownProfileOrTargetNamesTheKnownOnes() throws Exception {
		try (Tree t = new Tree()) {
			BuildException e = assertThrows(BuildException.class, () -> BuildDescriptor.load(t.root).outputOf("fast", null));
			assertEquals("unknown profile 'fast'; toro.build defines: release, debug", e.getMessage());
			e = assertThrows(BuildException.class, () -> BuildDescriptor.load(t.root).outputOf(null, "helo"));
			assertEquals("unknown target 'helo'; toro.build defines: toro, hello", e.getMessage());
		}
	}

	@Test
	void aGlobMatchingNothingIsAWarning() throws Exception {
		try (Tree t = new Tree()) {
			t.write("toro.build", Tree.DESCRIPTOR.replace("sources = apps/hello/*.c", "sources = apps/helo/*.c apps/hello/*.c"));
			BuildResult r = t.build(new toro.studio.build.BuildRequest(t.root, null, "hello", 0, false, false), () -> false);
			assertTrue(r.success(), Tree.errors(r));
			Problem w = r.problems().get(0);
			assertEquals(Severity.WARNING, w.severity());
			assertEquals(t.root.resolve("toro.build"), w.file());
			assertEquals(26, w.line());
			assertEquals("sources glob 'apps/helo/*.c' of target hello matches no file", w.message());
		}
	}
}
