package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import toro.studio.qemu.Json;

/**
 * {@code toro bench http} on the real httpd kernel in real QEMU with real wrk, --seconds 2 and no
 * Linux baseline (its packages are the benchmark's, not the tests'): every field is reported, the
 * JSON parses, the PNG is an image, and no QEMU or wrk is left, under TCG and (where usable) KVM. Then
 * its failures: no wrk, a guest that never answers, a port in use, bad usage, and an interrupt.
 * Behaviour, not figures: the only comparison is the one the experiment exists for, that the
 * spinning baseline costs more host CPU at idle than the kernel as shipped.
 */
class BenchHttpTest {
	private static final List<String> FIELDS = List.of("name", "server", "requests_per_s", "p50_ms", "p99_ms", "errors",
			"host_cpu_stress_percent", "host_cpu_idle_percent", "host_cpu_idle_before_percent", "seconds_to_idle",
			"first_request_ms", "first_request_vs_p50", "vcpu_stress_percent", "vcpu_idle_percent", "runs");

	@Test
	void tcgReportsEveryFieldOfBothToroSystems(@TempDir Path dir) throws Exception {
		everyField("tcg", dir);
	}

	@Test
	void kvmReportsEveryFieldOfBothToroSystems(@TempDir Path dir) throws Exception {
		Path kvm = Path.of("/dev/kvm");
		assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "no usable /dev/kvm on this host: the KVM case cannot run here");
		everyField("kvm", dir);
	}

	@SuppressWarnings("unchecked")
	private static void everyField(String accel, Path dir) throws Exception {
		Set<Long> before = qemus();
		Path png = dir.resolve("bench-http.png");
		ToroScript.Result r = ToroScript.run(Map.of(), 600, "bench", "http", "--seconds", "2", "--baseline", "none", "--accel",
				accel, "--machine", "microvm", "--json", "--png", png.toString());
		assertEquals(0, r.status(), r.all());
		Map<String, Object> top = (Map<String, Object>) Json.parse(r.out().strip());
		List<Map<String, Object>> systems = (List<Map<String, Object>>) top.get("systems");
		assertEquals(List.of("toro", "toro idle=poll"), systems.stream().map(s -> s.get("name")).toList(), r.out());
		for (Map<String, Object> s : systems) {
			for (String f : FIELDS)
				assertTrue(s.containsKey(f) && (s.get(f) != null || f.equals("seconds_to_idle")), f + " of " + s.get("name") + ": " + r.out());
			assertTrue(((Number) s.get("requests_per_s")).doubleValue() > 0, r.out());
			assertEquals(2, ((List<Object>) s.get("vcpu_stress_percent")).size(), "one figure per vCPU: " + r.out());
		}
		assertEquals(0L, systems.get(0).get("errors"), "wrk saw errors from the kernel as shipped: " + r.out());
		double halt = ((Number) systems.get(0).get("host_cpu_idle_percent")).doubleValue();
		double poll = ((Number) systems.get(1).get("host_cpu_idle_percent")).doubleValue();
		assertTrue(poll > 50 && halt < poll, "idle=poll spins, the kernel as shipped does not: " + r.out());
		Map<String, Object> setup = (Map<String, Object>) top.get("setup");
		assertEquals(accel, setup.get("accel"));
		assertEquals(2L, setup.get("seconds"));
		BufferedImage img = ImageIO.read(png.toFile());
		assertNotNull(img, "the PNG is an image");
		assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
		Files.copy(png, Files.createDirectories(ToroScript.root().resolve("plugins/toro.studio.cli.tests/target/screenshots"))
				.resolve("bench-http-" + accel + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		assertNoneLeft(before);
	}

	@Test
	void aMissingWrkIsAClearErrorAndExit1() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of("TORO_WRK", "/nonexistent/wrk"), 300, "bench", "http", "--seconds", "1");
		assertEquals(1, r.status(), r.all());
		assertTrue(r.err().contains("TORO_WRK=/nonexistent/wrk is not an executable file"), r.all());
		assertFalse(r.err().contains("booting"), "nothing boots without wrk: " + r.all());
	}

	@Test
	void aGuestThatNeverAnswersIsReportedAsFailedNotHung() throws Exception {
		Set<Long> before = qemus();
		ToroScript.Result r = ToroScript.run(Map.of(), 300, "bench", "http", "--target", "floor", "--boot-timeout", "5",
				"--seconds", "1", "--baseline", "none", "--accel", "tcg", "--machine", "microvm");
		assertEquals(1, r.status(), r.all());
		assertTrue(r.out().contains("toro             FAILED: the guest did not answer on 127.0.0.1:"), r.all());
		assertTrue(r.out().contains("toro idle=poll   FAILED: the guest did not answer"), r.all());
		assertNoneLeft(before);
	}

	@Test
	void aPortInUseIsReportedWithAFreeOneSuggested() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			ToroScript.Result r = ToroScript.run(Map.of(), 300, "bench", "http", "--port", Integer.toString(taken.getLocalPort()),
					"--baseline", "none");
			assertEquals(1, r.status(), r.all());
			assertTrue(r.err().matches("(?s).*port " + taken.getLocalPort() + " on 127\\.0\\.0\\.1 is in use; try --port \\d+ \\(free now\\).*"),
					r.all());
		}
	}

	@Test
	void anUnknownBaselineOrOptionIsUsage() throws Exception {
		ToroScript.Result bsd = ToroScript.run(Map.of(), 120, "bench", "http", "--baseline", "freebsd");
		assertEquals(2, bsd.status(), bsd.all());
		assertTrue(bsd.err().contains("--baseline takes linux or none, not 'freebsd'") && bsd.err().contains("toro bench --help"),
				bsd.all());
		ToroScript.Result opt = ToroScript.run(Map.of(), 120, "bench", "http", "--turbo");
		assertEquals(2, opt.status(), opt.all());
		assertTrue(opt.err().contains("--turbo"), opt.all());
	}

	/** SIGTERM in the middle of the stress (what Ctrl-C's shutdown path runs): QEMU and wrk are stopped. */
	@Test
	void anInterruptStopsEveryGuestAndWrk() throws Exception {
		Set<Long> before = qemus();
		Set<Long> wrkBefore = processes("wrk");
		Process p = new ProcessBuilder(ToroScript.root().resolve("toro").toString(), "bench", "http", "--seconds", "60",
				"--baseline", "none", "--accel", "tcg", "--machine", "microvm").directory(ToroScript.root().toFile())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		List<String> err = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = in.readLine()) != null;) {
				err.add(line);
				if (line.contains("wrk -c 16 for 60 s"))
					break;
			}
			Thread.sleep(1000);
			assertFalse(processes("wrk").stream().filter(w -> !wrkBefore.contains(w)).toList().isEmpty(), "wrk runs: " + err);
			p.destroy();
			assertTrue(p.waitFor(60, TimeUnit.SECONDS), "toro ended after SIGTERM: " + err);
		} finally {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
		}
		assertNoneLeft(before);
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (!processes("wrk").stream().allMatch(wrkBefore::contains) && System.nanoTime() < deadline)
			Thread.sleep(100);
		assertTrue(processes("wrk").stream().allMatch(wrkBefore::contains), "no wrk left");
	}

	/** Waits up to 10 s for every QEMU started since {@code before} to be gone. */
	private static void assertNoneLeft(Set<Long> before) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		Set<Long> left;
		while (!(left = newer(before)).isEmpty() && System.nanoTime() < deadline)
			Thread.sleep(100);
		assertTrue(left.isEmpty(), "QEMU left behind: " + left);
	}

	private static Set<Long> newer(Set<Long> before) {
		return qemus().stream().filter(p -> !before.contains(p)).collect(Collectors.toSet());
	}

	/** The QEMUs that run an image of this checkout (other checkouts on the machine are not ours). */
	private static Set<Long> qemus() {
		String tree = ToroScript.root().toString();
		return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/qemu-system-x86_64")).orElse(false)
				&& p.info().arguments().map(a -> String.join(" ", a).contains(tree)).orElse(false))
				.map(ProcessHandle::pid).collect(Collectors.toSet());
	}

	private static Set<Long> processes(String command) {
		return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/" + command)).orElse(false))
				.map(ProcessHandle::pid).collect(Collectors.toSet());
	}
}
