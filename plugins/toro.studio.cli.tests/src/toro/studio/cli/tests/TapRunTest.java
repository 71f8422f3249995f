package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code toro run --net tap:NAME} with real QEMU: in a network namespace that this test creates
 * (and deletes), holding one tap device and nothing else, the kernel boots with its virtio-net
 * device on the tap; a tap that does not exist is refused before QEMU starts, so no interface is
 * created. Needs root and iproute2 for the namespace; skipped with the reason otherwise.
 */
class TapRunTest {
	private static final Path IP = Files.isExecutable(Path.of("/usr/sbin/ip")) ? Path.of("/usr/sbin/ip") : Path.of("/sbin/ip");

	@Test
	void theKernelBootsOnATapInANamespaceOfItsOwn() throws Exception {
		assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(IP),
				"a network namespace needs root and iproute2 (ip); this run is " + System.getProperty("user.name"));
		String ns = "toro-test-" + ProcessHandle.current().pid();
		String made = run("netns", "add", ns);
		assumeTrue(made == null, "cannot make a network namespace here: " + made);
		boolean entered = false;
		try {
			// entering a namespace remounts /: a chroot (the CI's fresh-machine root) cannot
			String usable = run("-n", ns, "link", "show", "lo");
			assumeTrue(usable == null, "cannot enter a network namespace here: " + usable);
			entered = true;
			ip("-n", ns, "tuntap", "add", "dev", "toro-tap0", "mode", "tap");
			ip("-n", ns, "link", "set", "toro-tap0", "up");
			List<String> argv = new ArrayList<>(List.of(IP.toString(), "netns", "exec", ns, ToroScript.root().resolve("toro").toString(), "run",
					"--net", "tap:toro-tap0", "--accel", "tcg", "--machine", "q35", "--timeout", "6"));
			Process p = new ProcessBuilder(argv).directory(ToroScript.root().toFile()).redirectErrorStream(true)
					.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(p.waitFor(240, TimeUnit.SECONDS), out);
			assertEquals(124, p.exitValue(), "the idle kernel runs until --timeout: " + out);
			assertTrue(out.contains("toro: ready"), out);
			assertFalse(Files.exists(Path.of("/sys/class/net/toro-tap0")), "the tap stayed in its namespace");
		} finally {
			String gone = run("netns", "del", ns);
			if (entered) // where it could not be entered, removing it may fail the same way: the skip stands
				assertTrue(gone == null, "the test's namespace must go: " + gone);
		}
	}

	@Test
	void aTapThatDoesNotExistIsRefusedAndNotCreated() throws Exception {
		String name = "toro-nosuch" + (ProcessHandle.current().pid() % 1000);
		ToroScript.Result r = ToroScript.run(Map.of(), 240, "run", "--net", "tap:" + name, "--accel", "tcg", "--timeout", "5");
		assertEquals(1, r.status(), r.all());
		assertTrue(r.err().contains("there is no tap device " + name + " in this network namespace; create it first"), r.all());
		assertFalse(Files.exists(Path.of("/sys/class/net", name)), "QEMU, run by root, would have created it");
	}

	private static void ip(String... args) throws IOException, InterruptedException {
		String failed = run(args);
		if (failed != null)
			throw new AssertionError(failed);
	}

	/** Runs ip with args; @return null when it succeeded, else the command and its output. */
	private static String run(String... args) throws IOException, InterruptedException {
		List<String> argv = new ArrayList<>(List.of(IP.toString()));
		argv.addAll(List.of(args));
		Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
			return String.join(" ", argv) + " failed: " + out.strip();
		return null;
	}
}
