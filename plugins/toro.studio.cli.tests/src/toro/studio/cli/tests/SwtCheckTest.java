package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import toro.studio.cli.SwtCheck;

/** The SWT check: real ldd on real libraries, one of them built here to need a library that is gone. */
class SwtCheckTest {

	/** gcc links a library against libtorogone.so, which is then deleted: ldd reports it, nothing else. */
	@Test
	void aDependencyThatIsGoneIsNamed(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("gone.c"), "int gone(void) { return 1; }\n");
		Files.writeString(dir.resolve("user.c"), "int gone(void);\nint use(void) { return gone(); }\n");
		gcc(dir, "-shared", "-fPIC", "-o", "libtorogone.so", "gone.c");
		gcc(dir, "-shared", "-fPIC", "-o", "libuser.so", "user.c", "-L.", "-ltorogone");
		assertEquals(List.of(), SwtCheck.missing(dir.resolve("libtorogone.so")));
		Files.delete(dir.resolve("libtorogone.so"));
		assertEquals(List.of("libtorogone.so"), SwtCheck.missing(dir.resolve("libuser.so")));
	}

	@Test
	void gtkSonamesMapToTheirDebianPackages() {
		assertEquals("libgtk-3-0", SwtCheck.packageFor("libgtk-3.so.0"));
		assertEquals("libgtk-3-0", SwtCheck.packageFor("libgdk-3.so.0"));
		assertEquals("libcairo2", SwtCheck.packageFor("libcairo.so.2"));
		assertTrue(SwtCheck.packageFor("libnosuch.so.7").contains("apt-file search -l libnosuch.so.7"));
	}

	/** On this machine the bootstrap installed GTK 3: doctor says SWT's native code resolves. */
	@Test
	void doctorChecksSwtHere() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, "doctor");
		assertTrue(r.out().contains("SWT native code: ok, 3 GTK 3 libraries resolve"), r.all());
	}

	private static void gcc(Path dir, String... args) throws Exception {
		List<String> argv = new ArrayList<>(List.of("gcc"));
		argv.addAll(List.of(args));
		Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
	}
}
