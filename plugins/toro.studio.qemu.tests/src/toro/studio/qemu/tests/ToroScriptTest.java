package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import toro.studio.qemu.Json;

/**
 * The CLI through the real {@code toro} script: {@code toro test} on 1, 2 and 4 cores (the CI
 * run of the in-kernel tests), {@code toro run} exit statuses, Ctrl-C, a killed JVM, a killed
 * QEMU, {@code toro top --json} and {@code toro bench idle}.
 */
@Timeout(value = 1200, unit = TimeUnit.SECONDS)
class ToroScriptTest {
	/** A started toro process whose stdout and stderr are collected on threads. */
	static final class Toro {
		final Process p;
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final List<Thread> pumps = new ArrayList<>();

		Toro(List<String> args) throws IOException {
			List<String> argv = new ArrayList<>();
			argv.add(Images.root().resolve("toro").toString());
			argv.addAll(args);
			p = new ProcessBuilder(argv).directory(Images.root().toFile()).start();
			p.getOutputStream().close();
			pumps.add(pump(p.getInputStream(), out));
			pumps.add(pump(p.getErrorStream(), err));
		}

		private static Thread pump(InputStream in, ByteArrayOutputStream to) {
			Thread t = new Thread(() -> {
				byte[] b = new byte[4096];
				try {
					for (int n; (n = in.read(b)) >= 0;)
						synchronized (to) {
							to.write(b, 0, n);
						}
				} catch (IOException e) {
					// the process ended
				}
			});
			t.setDaemon(true);
			t.start();
			return t;
		}

		String out() {
			synchronized (out) {
				return out.toString(StandardCharsets.UTF_8);
			}
		}

		String err() {
			synchronized (err) {
				return err.toString(StandardCharsets.UTF_8);
			}
		}

		/** Waits for the exit (killing it after {@code seconds}) and for the output to drain. */
		int waitFor(int seconds) throws InterruptedException {
			if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				p.waitFor();
				throw new AssertionError("toro did not end within " + seconds + " s\nstdout:\n" + out() + "\nstderr:\n" + err());
			}
			for (Thread t : pumps)
				t.join(5000);
			return p.exitValue();
		}

		/** @return the QEMU child of the toro JVM, waiting up to 60 s for it. */
		long qemuPid() throws InterruptedException {
			for (int i = 0; i < 600; i++) {
				for (ProcessHandle h : p.descendants().toList())
					if (Procs.cmdline(h.pid()).contains("qemu-system"))
						return h.pid();
				Thread.sleep(100);
			}
			throw new AssertionError("no QEMU under toro\n" + err());
		}

		/** Waits until stdout contains {@code text}. */
		void awaitOut(String text, int seconds) throws InterruptedException {
			for (int i = 0; i < seconds * 10 && !out().contains(text); i++)
				Thread.sleep(100);
			assertTrue(out().contains(text), "no '" + text + "' in\n" + out() + "\nstderr:\n" + err());
		}
	}

	static Toro toro(String... args) throws IOException {
		return new Toro(List.of(args));
	}

	/** The script builds the CLI jars on first use: do it once, outside any timed step. */
	@BeforeAll
	static void buildTheCli() throws Exception {
		Toro t = toro("--help");
		assertEquals(0, t.waitFor(1100), t.err());
		Images.of("toro");
		Images.of("test");
	}

	/** @return the private directory of a QEMU, from its -chardev argument. */
	static Path privateDirOf(long qemu) {
		Matcher m = Pattern.compile("path=(\\S+)/com1\\.sock").matcher(Procs.cmdline(qemu));
		assertTrue(m.find(), Procs.cmdline(qemu));
		assertTrue(Files.isDirectory(Path.of(m.group(1))));
		return Path.of(m.group(1));
	}

	static void kill(String signal, long pid) throws Exception {
		new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
	}

	private static final Pattern TOTALS = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");

	void testOn(int cpus) throws Exception {
		Path junit = Files.createTempFile("toro-junit", ".xml");
		Toro t = toro("test", "--smp", Integer.toString(cpus), "--junit", junit.toString());
		int status = t.waitFor(600);
		String out = t.out();
		Matcher m = TOTALS.matcher(out);
		assertTrue(m.find(), "no totals line in\n" + out + "\n" + t.err());
		assertTrue(Integer.parseInt(m.group(1)) > 0, out);
		assertEquals("0", m.group(2), out);
		assertEquals(0, status, out + t.err());
		String lines[] = out.strip().split("\n");
		assertEquals(m.group(), lines[lines.length - 1], "the totals line ends the output");
		assertTrue(out.contains("PASS scheduler"), out);
		String xml = Files.readString(junit);
		assertTrue(xml.contains("<testsuite name=\"toro.kernel.smp" + cpus + "\"") && xml.contains("failures=\"0\""), xml);
		Files.delete(junit);
	}

	@Test
	void testOnOneCore() throws Exception {
		testOn(1);
	}

	@Test
	void testOnTwoCores() throws Exception {
		testOn(2);
	}

	@Test
	void testOnFourCores() throws Exception {
		testOn(4);
	}

	@Test
	void runExitsWithTheGuestsStatus() throws Exception {
		Toro ok = toro("run", "--target", "test", "--smp", "2", "--timeout", "300");
		assertEquals(0, ok.waitFor(600), ok.err());
		assertTrue(ok.out().contains("toro: tests done passed="), ok.out());
		Toro panic = toro("run", "--append", "fault=panic", "--timeout", "300");
		assertEquals(2, panic.waitFor(600), panic.out() + panic.err());
		assertTrue(panic.err().contains("kernel panic"), panic.err());
	}

	@Test
	void runTimesOutWith124AndLeavesNothing() throws Exception {
		Toro t = toro("run", "--smp", "2", "--timeout", "3");
		long qemu = t.qemuPid();
		assertEquals(124, t.waitFor(300), t.err());
		assertTrue(t.out().contains("toro: ready cpus=2"), t.out());
		assertTrue(t.err().contains("timeout after 3 s"), t.err());
		assertTrue(Procs.goneWithin(qemu, 5000));
	}

	@Test
	void ctrlCStopsQemuCleanly() throws Exception {
		Toro t = toro("run");
		long qemu = t.qemuPid();
		t.awaitOut("toro: ready", 120);
		Path dir = privateDirOf(qemu);
		kill("INT", t.p.pid());
		assertEquals(130, t.waitFor(60), t.err());
		assertTrue(t.err().contains("interrupted: stopping QEMU"), t.err());
		assertTrue(Procs.goneWithin(qemu, 5000), "QEMU outlived toro");
		assertFalse(Files.exists(dir), dir + " left behind");
	}

	@Test
	void aKilledJvmTakesQemuAlong() throws Exception {
		Toro t = toro("run");
		long qemu = t.qemuPid();
		t.awaitOut("toro: ready", 120);
		Path dir = privateDirOf(qemu);
		kill("KILL", t.p.pid());
		t.p.waitFor(30, TimeUnit.SECONDS);
		assertTrue(Procs.goneWithin(qemu, 5000), "QEMU " + qemu + " outlived the killed JVM");
		// nothing could clean up after SIGKILL: the next start sweeps the orphan directory
		Toro next = toro("run", "--timeout", "1");
		assertEquals(124, next.waitFor(300), next.err());
		assertFalse(Files.exists(dir), dir + " not swept");
	}

	@Test
	void aKilledQemuEndsTheRunPromptlyAndClearly() throws Exception {
		Toro t = toro("run", "--smp", "2");
		long qemu = t.qemuPid();
		t.awaitOut("toro: ready", 120);
		long t0 = System.nanoTime();
		kill("KILL", qemu);
		assertEquals(1, t.waitFor(60), t.err());
		assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "the run did not end promptly");
		assertTrue(t.err().contains("QEMU was killed by signal 9"), t.err());
	}

	@Test
	void badInputIsOneClearMessage() throws Exception {
		Toro opt = toro("run", "--frobnicate");
		assertEquals(2, opt.waitFor(120));
		assertTrue(opt.err().contains("unknown option --frobnicate"), opt.err());
		Toro smp = toro("run", "--smp", "zero");
		assertEquals(2, smp.waitFor(120));
		assertTrue(smp.err().contains("--smp takes a whole number"), smp.err());
		Toro target = toro("run", "--target", "nosuch");
		assertEquals(1, target.waitFor(120));
		assertTrue(target.err().contains("nosuch"), target.err());
	}

	@Test
	void topJsonGivesEveryCoreAndHostCpu() throws Exception {
		Toro t = toro("top", "--smp", "2", "--json", "--duration", "3");
		assertEquals(0, t.waitFor(300), t.err());
		List<String> lines = t.out().lines().toList();
		assertEquals(3, lines.size(), t.out());
		Map<?, ?> last = (Map<?, ?>) Json.parse(lines.get(2));
		assertTrue(last.get("host_cpu_percent") instanceof Number, lines.get(2));
		List<?> cores = (List<?>) last.get("cores");
		assertEquals(2, cores.size(), lines.get(2));
		for (Object c : cores) {
			Map<?, ?> core = (Map<?, ?>) c;
			for (String k : List.of("cpu", "state", "thread", "ready", "context_switches_per_s", "halts_per_s", "idle_percent"))
				assertTrue(core.containsKey(k), k + " in " + core);
			assertFalse(core.containsKey("connections"), "no network, no network fields: " + core);
		}
		assertEquals(0L, last.get("frames_corrupt"));
	}

	/** A kernel whose network counters move (the test-only fakenetstats app) gets the network columns. */
	@Test
	void topShowsNetworkColumnsWhenCountersMove() throws Exception {
		Toro json = toro("top", "--target", "fakenetstats", "--smp", "2", "--accel", "tcg", "--json", "--duration", "3");
		assertEquals(0, json.waitFor(300), json.err());
		List<String> lines = json.out().lines().toList();
		Map<?, ?> last = (Map<?, ?>) Json.parse(lines.get(lines.size() - 1));
		List<?> cores = (List<?>) last.get("cores");
		assertEquals(2, cores.size(), lines.toString());
		for (Object c : cores) {
			Map<?, ?> core = (Map<?, ?>) c;
			assertTrue(((Number) core.get("rx_packets_per_s")).doubleValue() > 0, core.toString());
			assertTrue(((Number) core.get("requests_per_s")).doubleValue() > 0, core.toString());
		}
		assertEquals(1L, ((Map<?, ?>) cores.get(0)).get("connections"));
		Toro table = toro("top", "--target", "fakenetstats", "--smp", "2", "--accel", "tcg", "--duration", "3");
		assertEquals(0, table.waitFor(300), table.err());
		String out = table.out();
		assertTrue(out.contains(" RX/s ") && out.contains(" TX/s ") && out.contains(" CONN"), out);
		String[] blocks = out.strip().split("\n\n");
		Matcher row = Pattern.compile("(?m)^\\s+0 .* (\\d+\\.\\d) +(\\d+\\.\\d) +1$").matcher(blocks[blocks.length - 1]);
		assertTrue(row.find(), out);
		assertTrue(Double.parseDouble(row.group(1)) > 0, out);
	}

	@Test
	void benchIdleMeasuresAndDraws() throws Exception {
		Path png = Files.createTempFile("bench-idle", ".png");
		Toro t = toro("bench", "idle", "--seconds", "1", "--smp", "1", "--accel", "tcg", "--png", png.toString());
		assertEquals(0, t.waitFor(600), t.err());
		Matcher row = Pattern.compile("tcg\\s+1\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)").matcher(t.out());
		assertTrue(row.find(), t.out());
		double floor = Double.parseDouble(row.group(1)), halt = Double.parseDouble(row.group(2)), poll = Double.parseDouble(row.group(4));
		assertTrue(floor < poll && halt < poll, "the halting guest and the halting kernel cost less than the spinning one: " + t.out());
		byte[] head = Files.readAllBytes(png);
		assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G');
		Files.delete(png);
		assertFalse(Procs.qemusWith("idle=").stream().anyMatch(Procs::alive));
	}

	@Test
	void topAttachesToARunningInstance() throws Exception {
		Toro run = toro("run", "--smp", "2", "--timeout", "300");
		long qemu = run.qemuPid();
		run.awaitOut("toro: ready", 120);
		Toro top = toro("top", "--attach", "--pid", Long.toString(qemu), "--json", "--duration", "2");
		assertEquals(0, top.waitFor(120), top.err());
		List<String> lines = top.out().lines().toList();
		assertEquals(2, lines.size(), top.out());
		Map<?, ?> last = (Map<?, ?>) Json.parse(lines.get(1));
		assertEquals(2, ((List<?>) last.get("cores")).size(), lines.get(1));
		assertTrue(((Number) last.get("frames_ok")).longValue() > 0);
		kill("INT", run.p.pid());
		assertEquals(130, run.waitFor(60));
		Toro none = toro("top", "--attach", "--pid", Long.toString(qemu));
		assertEquals(1, none.waitFor(120));
		assertTrue(none.err().contains("no toro run with QEMU pid"), none.err());
	}
}
