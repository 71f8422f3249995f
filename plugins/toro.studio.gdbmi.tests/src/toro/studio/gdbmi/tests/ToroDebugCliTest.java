package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.GdbSession;
import toro.studio.qemu.Accel;

/** {@code toro debug} through the real toro script: real build, QEMU, gdb. */
class ToroDebugCliTest {
	/** The result of one toro run. */
	private record Run(int status, List<String> out, String err) {
	}

	private static Run toro(String... args) throws Exception {
		List<String> argv = new ArrayList<>(List.of("sh", TestKernel.root().resolve("toro").toString()));
		argv.addAll(List.of(args));
		Path err = Files.createTempFile("toro-debug-err", ".txt");
		Process p = new ProcessBuilder(argv).directory(TestKernel.root().toFile())
				.redirectError(err.toFile()).start();
		try {
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(600, TimeUnit.SECONDS))
				throw new AssertionError("toro debug did not end within 600 s");
			return new Run(p.exitValue(), out.lines().toList(), Files.readString(err));
		} finally {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
			Files.deleteIfExists(err);
		}
	}

	@Test
	void breakKmainJsonPrintsOneStopObjectUnderTcg() throws Exception {
		breakKmainJsonPrintsOneStopObject("tcg");
	}

	/** Under KVM the breakpoint goes into a debug register; a software one dies on nested KVM. */
	@Test
	void breakKmainJsonPrintsOneStopObjectUnderKvm() throws Exception {
		assumeTrue(Accel.detect() == Accel.KVM, Accel.kvmStatus());
		breakKmainJsonPrintsOneStopObject("kvm");
	}

	private static void breakKmainJsonPrintsOneStopObject(String accel) throws Exception {
		Run r = toro("debug", "--break", "kmain", "--json", "--smp", "2", "--accel", accel);
		assertEquals(0, r.status(), r.err());
		String stop = r.out().stream().filter(l -> l.startsWith("{\"reason\"")).findFirst().orElseThrow(() -> new AssertionError(r.out() + r.err()));
		assertTrue(stop.startsWith("{\"reason\":\"breakpoint-hit\",\"thread\":1,\"core\":0,\"frames\":[{\"func\":\"kmain\",\"file\":\"kernel/main.c\",\"line\":"), accel + ": " + stop);
		assertTrue(stop.contains("\"addr\":\"0x"), stop);
	}

	/**
	 * A software breakpoint forced under KVM: where the host's KVM runs gdb's int3 it is a
	 * breakpoint hit at kmain; where it cannot (this project's nested KVM host) the stop is
	 * reported as kvm-internal-error at the breakpoint's address, with what to do; never as
	 * gdb's bare SIGABRT. Either way nothing is left running.
	 */
	@Test
	void aSoftBreakpointUnderKvmStopsAsAHitOrAsAKvmInternalError() throws Exception {
		assumeTrue(Accel.detect() == Accel.KVM, Accel.kvmStatus());
		Run r = toro("debug", "--break", "kmain", "--json", "--accel", "kvm", "--soft-breakpoints");
		String set = r.out().stream().filter(l -> l.startsWith("{\"command\":\"break kmain\"")).findFirst()
				.orElseThrow(() -> new AssertionError(r.out() + r.err()));
		assertTrue(set.contains("\"hardware\":false"), set);
		Matcher addr = Pattern.compile("\"addr\":\"(0x[0-9a-f]+)\"").matcher(set);
		assertTrue(addr.find(), set);
		String stop = r.out().stream().filter(l -> l.startsWith("{\"reason\"")).findFirst().orElseThrow(() -> new AssertionError(r.out() + r.err()));
		assertFalse(stop.contains("signal-received"), "a bare SIGABRT: " + stop);
		if (stop.startsWith("{\"reason\":\"kvm-internal-error\"")) {
			assertTrue(stop.contains("\"rip\":\"" + addr.group(1) + "\""), "the RIP is the breakpoint's: " + stop);
			assertTrue(stop.contains("--accel tcg") && stop.contains("hbreak"), "says what to do: " + stop);
			assertEquals(1, r.status(), r.err());
		} else {
			assertTrue(stop.startsWith("{\"reason\":\"breakpoint-hit\",\"thread\":1,\"core\":0,\"frames\":[{\"func\":\"kmain\""), stop);
			assertEquals(0, r.status(), r.err());
		}
	}

	/**
	 * Under KVM, {@code next} over calls (kmain's first lines call idt_init and others) plants gdb's
	 * own momentary breakpoints; they go into debug registers too (code is read-only to gdb), so each
	 * step ends on the next line instead of in a KVM internal error.
	 */
	@Test
	void nextOverCallsUnderKvmEndsOnTheNextLines() throws Exception {
		assumeTrue(Accel.detect() == Accel.KVM, Accel.kvmStatus());
		Path script = Files.createTempFile("toro-debug", ".gdb");
		Files.writeString(script, String.join("\n", "break kmain", "continue", "next", "next", "next", "next", "next", "next"));
		try {
			Run r = toro("debug", "--json", "--accel", "kvm", "--script", script.toString());
			assertEquals(0, r.status(), r.out() + r.err());
			List<String> steps = r.out().stream().filter(l -> l.startsWith("{\"command\":\"next\"")).toList();
			assertEquals(6, steps.size(), r.out().toString());
			int last = 0;
			for (String st : steps) {
				assertTrue(st.contains("\"reason\":\"end-stepping-range\"") && st.contains("\"func\":\"kmain\""), st);
				Matcher line = Pattern.compile("\"line\":(\\d+)").matcher(st);
				assertTrue(line.find(), st);
				assertTrue(Integer.parseInt(line.group(1)) > last, "each next ends on a later line: " + steps);
				last = Integer.parseInt(line.group(1));
			}
		} finally {
			Files.deleteIfExists(script);
		}
	}

	/** Under KVM every breakpoint takes a debug register: the fifth is refused with why, not at resume. */
	@Test
	void fifthBreakpointUnderKvmIsRefusedWithTheReason() throws Exception {
		assumeTrue(Accel.detect() == Accel.KVM, Accel.kvmStatus());
		Path script = Files.createTempFile("toro-debug", ".gdb");
		Files.writeString(script, String.join("\n", "break kmain", "break ap_main", "break timer_calibrate",
				"break lapic_init", "break sched_idle_loop", "quit"));
		try {
			Run r = toro("debug", "--json", "--accel", "kvm", "--script", script.toString());
			assertEquals(1, r.status(), r.err());
			List<String> out = r.out();
			assertEquals(5, out.size(), out.toString());
			for (int i = 0; i < 4; i++)
				assertTrue(out.get(i).contains("\"hardware\":true"), out.get(i));
			assertTrue(out.get(4).contains("\"error\":") && out.get(4).contains("debug registers (DR0-DR3) and all are in use"),
					out.get(4));
			assertTrue(r.err().contains("breakpoints go into the debug registers"), r.err());
		} finally {
			Files.deleteIfExists(script);
		}
	}

	@Test
	void scriptRunsEachCommandAndReportsErrors() throws Exception {
		Path script = Files.createTempFile("toro-debug", ".gdb");
		Files.writeString(script, String.join("\n", "# a comment", "hbreak ap_main", "continue", "print index", "bt",
				"info threads", "next", "print no_such_symbol", "break no_such_function", "quit", "continue"));
		try {
			Run r = toro("debug", "--json", "--smp", "2", "--script", script.toString());
			assertEquals(1, r.status(), "a failed command makes the status 1: " + r.err());
			List<String> out = r.out();
			assertEquals(8, out.size(), out.toString());
			assertTrue(out.get(0).contains("\"hardware\":true") && out.get(0).contains("\"func\":\"ap_main\""), out.get(0));
			assertTrue(out.get(1).contains("\"reason\":\"breakpoint-hit\",\"thread\":2,\"core\":1"), out.get(1));
			assertEquals("{\"command\":\"print index\",\"value\":\"1\"}", out.get(2));
			assertTrue(out.get(3).startsWith("{\"command\":\"bt\",\"frames\":[{\"func\":\"ap_main\""), out.get(3));
			assertTrue(out.get(4).contains("\"threads\":[{\"id\":1,\"core\":0"), out.get(4));
			assertTrue(out.get(5).contains("\"reason\":\"end-stepping-range\""), out.get(5));
			assertTrue(out.get(6).contains("\"error\":") && out.get(6).contains("No symbol \\\"no_such_symbol\\\""), out.get(6));
			assertTrue(out.get(7).contains("\"error\":") && out.get(7).contains("no_such_function"), out.get(7));
		} finally {
			Files.deleteIfExists(script);
		}
	}

	/**
	 * Without --break or --script, toro debug says where the stub is (a Unix socket in a 0700
	 * directory, no TCP port) and waits; an external gdb attaches there with the printed command;
	 * stopping toro leaves no QEMU behind.
	 */
	@Test
	void withoutBreakpointsItWaitsForAnExternalDebugger() throws Exception {
		Process p = new ProcessBuilder("sh", TestKernel.root().resolve("toro").toString(), "debug", "--smp", "2")
				.directory(TestKernel.root().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
			String first = out.readLine();
			assertTrue(first != null && first.contains("gdb stub on the Unix socket "), "first line: " + first);
			Matcher m = Pattern.compile("-ex 'target remote (/\\S+/gdb\\.sock)'$").matcher(out.readLine());
			assertTrue(m.find(), "the attach command names the socket");
			Path socket = Path.of(m.group(1));
			assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
			List<ProcessHandle> qemu = ProcessHandle.allProcesses()
					.filter(h -> h.info().commandLine().orElse("").contains("path=" + socket + ",server=on")).toList();
			assertEquals(1, qemu.size(), "one QEMU serves the stub");
			assertEquals(List.of(), listeners("-ltnpH", qemu.get(0).pid()), "no TCP listener by default");
			try (GdbSession g = GdbSession.start(Path.of("gdb"), TestKernel.image("debug"))) {
				g.connect(socket.toString(), Duration.ofSeconds(20));
				assertEquals(2, g.threads().size());
				g.insertBreakpoint(BreakpointSpec.at("kmain"));
				g.cont();
				assertEquals("kmain", g.waitForStop(Duration.ofSeconds(60)).frame().func());
			}
			p.destroy(); // SIGTERM, as Ctrl-C would
			assertTrue(p.waitFor(30, TimeUnit.SECONDS), "toro debug did not end on SIGTERM");
			assertTrue(qemu.get(0).onExit().get(30, TimeUnit.SECONDS) != null);
			assertFalse(qemu.get(0).isAlive(), "QEMU was left running");
		} finally {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
		}
	}

	/** --gdb-tcp puts the stub on 127.0.0.1 only, and the hint says that every local user can reach it. */
	@Test
	void gdbTcpIsExplicitAndOnLoopback() throws Exception {
		Process p = new ProcessBuilder("sh", TestKernel.root().resolve("toro").toString(), "debug", "--gdb-tcp", "0")
				.directory(TestKernel.root().toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
			Matcher m = Pattern.compile("gdb stub on 127\\.0\\.0\\.1:(\\d+) \\(TCP\\)").matcher(String.valueOf(out.readLine()));
			assertTrue(m.find(), "the first line names the port");
			int port = Integer.parseInt(m.group(1));
			assertTrue(out.readLine().endsWith("-ex 'target remote 127.0.0.1:" + port + "'"));
			assertTrue(out.readLine().contains("Every local user can reach that port"));
			List<ProcessHandle> qemu = ProcessHandle.allProcesses()
					.filter(h -> h.info().commandLine().orElse("").contains("tcp:127.0.0.1:" + port)).toList();
			assertEquals(1, qemu.size(), "one QEMU serves the stub");
			List<String> tcp = listeners("-ltnpH", qemu.get(0).pid());
			assertEquals(1, tcp.size(), tcp.toString());
			assertTrue(tcp.get(0).contains(" 127.0.0.1:" + port + " "), tcp.get(0));
			p.destroy();
			assertTrue(p.waitFor(30, TimeUnit.SECONDS), "toro debug did not end on SIGTERM");
		} finally {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
		}
	}

	/** @return the lines of {@code ss FLAGS} (iproute2) that belong to process {@code pid}. */
	private static List<String> listeners(String flags, long pid) throws Exception {
		Process ss = new ProcessBuilder("ss", flags).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String text = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(0, ss.waitFor(), "ss " + flags);
		return text.lines().filter(l -> l.contains("pid=" + pid + ",")).toList();
	}

	/** QEMU killed while a script waits for a stop: a clear message, status 3, nothing left running or on disk. */
	@Test
	void qemuKilledMidSessionEndsCleanly() throws Exception {
		String rest = killMidSession("path=", "debug session ended: the target closed the connection (QEMU exited or was killed)");
		assertTrue(rest.contains("debug session ended"), rest);
	}

	/** gdb killed while a script waits for a stop: the session ends, QEMU is stopped, its directory removed. */
	@Test
	void gdbKilledMidSessionEndsCleanly() throws Exception {
		killMidSession("--interpreter=mi", "debug session ended:");
	}

	/**
	 * Runs a script that continues the kernel, kills the child process whose command line contains
	 * {@code victim} (QEMU's stub socket, or gdb), and checks that toro debug ends with status 3 and the
	 * message, prints the failed command and no later one, leaves no process running and removes the run's
	 * private directory (sockets, logs). @return toro debug's standard error after the kill
	 */
	private static String killMidSession(String victim, String message) throws Exception {
		Path script = Files.createTempFile("toro-debug", ".gdb");
		Files.writeString(script, "continue\nprint toro_ncpus\n");
		Process p = new ProcessBuilder("sh", TestKernel.root().resolve("toro").toString(), "debug", "--json", "--smp", "2",
				"--wait", "120", "--script", script.toString()).directory(TestKernel.root().toFile()).start();
		try {
			BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
			Pattern connected = Pattern.compile("gdb connected to QEMU's stub on the Unix socket (\\S+) \\(");
			String socket = null;
			for (String l; socket == null && (l = err.readLine()) != null;) {
				Matcher m = connected.matcher(l);
				if (m.find())
					socket = m.group(1);
			}
			assertTrue(socket != null, "toro debug never connected");
			Path runDir = Path.of(socket).getParent();
			assertTrue(Files.isDirectory(runDir), "the run's private directory: " + runDir);
			Thread.sleep(500); // the script's continue is under way
			List<ProcessHandle> children = p.descendants().toList();
			String mark = victim.equals("path=") ? "path=" + socket + ",server=on" : victim;
			ProcessHandle target = children.stream().filter(h -> h.info().commandLine().orElse("").contains(mark))
					.findFirst().orElseThrow(() -> new AssertionError("no child process with " + mark));
			target.destroyForcibly();
			StringBuilder rest = new StringBuilder();
			for (String l; (l = err.readLine()) != null;)
				rest.append(l).append('\n');
			assertTrue(p.waitFor(60, TimeUnit.SECONDS), "toro debug did not end");
			assertEquals(3, p.exitValue(), rest.toString());
			assertTrue(rest.toString().contains(message), rest.toString());
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			assertTrue(out.startsWith("{\"command\":\"continue\",\"error\":"), out);
			assertFalse(out.contains("print toro_ncpus"), "the script stops when the session is lost: " + out);
			for (ProcessHandle h : children)
				assertTrue(h.onExit().get(10, TimeUnit.SECONDS) != null && !h.isAlive(), "left running: " + h.info().commandLine());
			assertFalse(Files.exists(runDir), "left on disk: " + runDir);
			return rest.toString();
		} finally {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
			Files.deleteIfExists(script);
		}
	}
}
