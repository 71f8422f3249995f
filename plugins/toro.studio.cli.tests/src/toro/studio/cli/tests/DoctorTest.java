package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toro doctor} run as a real process, with the real tools or without one. */
class DoctorTest {
	/** What the toro script itself runs, besides the tools doctor checks. */
	private static final List<String> SCRIPT_NEEDS = List.of("dirname", "find", "head", "java");
	/** The tools doctor checks. */
	private static final List<String> TOOLS = List.of("nasm", "gcc", "ld", "objcopy", "qemu-system-x86_64", "gdb", "xvfb-run");

	@Test
	void reportsEveryToolWithItsVersion() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, "doctor");
		for (String tool : TOOLS)
			assertTrue(r.out().contains(tool), tool + " not listed\n" + r.all());
		assertTrue(r.out().matches("(?s).*(KVM is usable|KVM is not available|/dev/kvm exists but).*"), "no KVM line\n" + r.all());
		assertTrue(r.out().contains("NASM version"), "nasm's version not shown\n" + r.all());
		assertEquals(0, r.status(), "every tool is installed on this machine, doctor must exit 0\n" + r.all());
	}

	@Test
	void missingToolIsReportedWithItsInstallCommand(@TempDir Path bin) throws Exception {
		for (String cmd : SCRIPT_NEEDS)
			link(bin, cmd);
		for (String tool : TOOLS)
			if (!tool.equals("nasm"))
				link(bin, tool);
		ToroScript.Result r = ToroScript.run(Map.of("PATH", bin.toString()), 120, "doctor");
		assertEquals(1, r.status(), "a missing tool must make doctor fail\n" + r.all());
		assertTrue(r.out().matches("(?s).*nasm\\s+MISSING.*"), "nasm not reported missing\n" + r.all());
		assertTrue(r.out().contains("apt-get install -y nasm"), "no install command for nasm\n" + r.all());
		assertFalse(r.out().matches("(?s).*gcc\\s+MISSING.*"), "gcc is on PATH, yet reported missing\n" + r.all());
	}

	@Test
	void unknownOptionIsAUsageError() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, "doctor", "--frobnicate");
		assertEquals(2, r.status(), r.all());
		assertTrue(r.err().contains("unknown option --frobnicate"), r.all());
	}

	@Test
	void unknownCommandIsAUsageError() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, "frobnicate");
		assertEquals(2, r.status(), r.all());
		assertTrue(r.err().contains("unknown command 'frobnicate'"), r.all());
	}

	@Test
	void helpListsTheCommands() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, "--help");
		assertEquals(0, r.status(), r.all());
		assertTrue(r.out().contains("doctor"), r.all());
		assertTrue(r.out().contains("studio"), r.all());
	}

	@Test
	void studioWithoutDisplaySuggestsXvfb() throws Exception {
		java.util.HashMap<String, String> env = new java.util.HashMap<>();
		env.put("DISPLAY", null);
		ToroScript.Result r = ToroScript.run(env, 120, "studio");
		assertEquals(1, r.status(), r.all());
		assertTrue(r.err().contains("no DISPLAY") && r.err().contains("xvfb-run"), r.all());
	}

	/** Puts a link to the real {@code cmd} (as this machine's PATH finds it) into {@code bin}. */
	private static void link(Path bin, String cmd) throws IOException {
		for (String dir : System.getenv("PATH").split(":")) {
			Path p = Path.of(dir, cmd);
			if (Files.isExecutable(p)) {
				Files.createSymbolicLink(bin.resolve(cmd), p.toRealPath());
				return;
			}
		}
		throw new IllegalStateException(cmd + " is not installed; run releng/bootstrap.sh");
	}
}
