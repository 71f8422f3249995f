package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import toro.studio.qemu.Accel;
import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;
import toro.studio.qemu.QmpEvent;
import toro.studio.qemu.VcpuInfo;
import toro.studio.telemetry.ConnSample;
import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.CoreSample;
import toro.studio.telemetry.HostCpuSampler;
import toro.studio.telemetry.NetView;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.TcpState;
import toro.studio.telemetry.TelemetryDecoder;
import toro.studio.telemetry.TelemetryPump;

/** The real kernel in real QEMU (TCG here): exit status, timeout, kill, telemetry, sockets, QMP. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class QemuBootTest {
	/** Generous bounds: a shared, loaded 2-core machine under TCG. */
	static final Duration BOOT = Duration.ofSeconds(120);

	static QemuConfig config(String target, int cpus) throws Exception {
		return QemuConfig.defaults(Images.of(target)).withAccel(Accel.TCG).withCpus(cpus);
	}

	/** Starts a thread that collects console lines and counts down when one starts with {@code prefix}. */
	static CountDownLatch watchConsole(QemuProcess q, List<String> lines, String prefix) {
		CountDownLatch seen = new CountDownLatch(1);
		Thread t = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(q.console(), StandardCharsets.UTF_8))) {
				for (String l; (l = r.readLine()) != null;) {
					lines.add(l);
					if (l.startsWith(prefix))
						seen.countDown();
				}
			} catch (IOException e) {
				// QEMU went away
			}
		});
		t.setDaemon(true);
		t.start();
		return seen;
	}

	/** Asserts that QEMU is gone and its private directory deleted. */
	static void assertReaped(QemuProcess q) throws InterruptedException {
		assertTrue(Procs.goneWithin(q.pid(), 5000), "QEMU " + q.pid() + " still runs");
		assertFalse(Files.exists(q.endpoints().dir()), "private dir left behind");
	}

	@Test
	void testImageRunsToTheGuestsExitStatus() throws Exception {
		QemuProcess q = QemuProcess.start(config("test", 2));
		try (q) {
			List<String> lines = new CopyOnWriteArrayList<>();
			watchConsole(q, lines, "toro: tests done");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			ExitStatus s = q.waitFor(BOOT);
			assertNotNull(s, "the test image did not exit within " + BOOT);
			Thread.sleep(200);
			// the kernel's verdict decides the value: 0 when every test passed, 1 otherwise
			String done = lines.stream().filter(l -> l.startsWith("toro: tests done passed=")).findFirst().orElseThrow(
					() -> new AssertionError("no 'tests done' line in " + lines));
			int expected = done.endsWith(" failed=0") ? 0 : 1;
			assertEquals(expected, s.guestValue(), s.detail() + "\n" + lines);
			assertEquals((expected << 1) | 1, s.qemuStatus());
			assertEquals(expected == 0, s.success());
		}
		assertReaped(q);
	}

	@Test
	void aPanicIsExitValueTwo() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("toro", 1).withAppend("fault=panic"))) {
			watchConsole(q, new CopyOnWriteArrayList<>(), "");
			ExitStatus s = q.waitFor(BOOT);
			assertNotNull(s);
			assertEquals(2, s.guestValue(), s.detail());
			assertFalse(s.crashed());
		}
	}

	/** A reset under -no-reboot ends QEMU with status 0, as a triple fault does: a crash. */
	@Test
	void aResetWithoutExitValueIsACrashAndWhyLogShowsIt() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("toro", 1).withWhyDidItDie(true))) {
			CountDownLatch ready = watchConsole(q, new CopyOnWriteArrayList<>(), "toro: ready");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			assertTrue(ready.await(BOOT.toSeconds(), TimeUnit.SECONDS));
			q.qmp().systemReset();
			ExitStatus s = q.waitFor(Duration.ofSeconds(30));
			assertNotNull(s);
			assertTrue(s.crashed(), s.toString());
			assertNull(s.guestValue());
			List<String> why = q.whyLog(50);
			assertFalse(why.isEmpty(), "the -d int,cpu_reset log has lines");
			assertTrue(why.stream().anyMatch(l -> l.contains("CPU Reset")), why.toString());
		}
	}

	/**
	 * The -D log is a FIFO whose reader keeps only the tail: a kernel taking a thousand interrupts a
	 * second (telemetry at 1000 Hz) fills no file, and the kept tail stays within its bound.
	 */
	@Test
	void whyLogIsABoundedTailNotAGrowingFile() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("toro", 1).withWhyDidItDie(true).withAppend("telemetry=1000 telemetry_idle=0"))) {
			CountDownLatch ready = watchConsole(q, new CopyOnWriteArrayList<>(), "toro: ready");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			assertTrue(ready.await(BOOT.toSeconds(), TimeUnit.SECONDS));
			Thread.sleep(3000);
			Path log = q.endpoints().debugLog();
			assertTrue(Files.exists(log) && !Files.isRegularFile(log), "the -D target is a FIFO, not a file: " + log);
			q.qmp().systemReset();
			assertNotNull(q.waitFor(Duration.ofSeconds(30)));
			List<String> why = q.whyLog(1_000_000);
			long bytes = why.stream().mapToLong(l -> l.length() + 1).sum();
			assertTrue(why.stream().anyMatch(l -> l.contains("v=40")), "timer interrupts are logged");
			assertTrue(bytes > 1 << 19, "3 s at 1000 interrupts/s log more than the tail keeps: " + bytes);
			assertTrue(bytes <= 1 << 20, "the kept tail is at most 1 MiB: " + bytes);
		}
	}

	@Test
	void timeoutLeavesItRunningAndStopEndsIt() throws Exception {
		QemuProcess q = QemuProcess.start(config("toro", 2));
		try (q) {
			watchConsole(q, new CopyOnWriteArrayList<>(), "");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			assertNull(q.waitFor(Duration.ofSeconds(2)), "the idle kernel never exits by itself");
			assertTrue(q.isAlive());
			long t0 = System.nanoTime();
			q.stop();
			assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "stop took too long");
			ExitStatus s = q.exit().get(5, TimeUnit.SECONDS);
			assertTrue(s.killed(), s.toString());
			assertFalse(s.crashed());
		}
		assertReaped(q);
	}

	@Test
	void qemuKilledMidRunEndsPromptlyAndClearly() throws Exception {
		QemuProcess q = QemuProcess.start(config("toro", 2));
		try (q) {
			CountDownLatch ready = watchConsole(q, new CopyOnWriteArrayList<>(), "toro: ready");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			assertTrue(ready.await(BOOT.toSeconds(), TimeUnit.SECONDS));
			new ProcessBuilder("kill", "-KILL", Long.toString(q.pid())).start().waitFor();
			ExitStatus s = q.exit().get(10, TimeUnit.SECONDS);
			assertTrue(s.killed());
			assertEquals(137, s.qemuStatus());
			assertTrue(s.detail().contains("killed by signal 9"), s.detail());
			assertTrue(q.qmp().isClosed() || waitClosed(q), "QMP notices the death");
		}
		assertReaped(q);
	}

	private static boolean waitClosed(QemuProcess q) throws InterruptedException {
		for (int i = 0; i < 100 && !q.qmp().isClosed(); i++)
			Thread.sleep(50);
		return q.qmp().isClosed();
	}

	@Test
	void telemetryArrivesFromEveryCore() throws Exception {
		int cpus = 4;
		try (QemuProcess q = QemuProcess.start(config("toro", cpus).withAppend("telemetry=20"))) {
			watchConsole(q, new CopyOnWriteArrayList<>(), "");
			Set<Integer> seen = ConcurrentHashMap.newKeySet();
			CountDownLatch all = new CountDownLatch(1);
			TelemetryDecoder d = new TelemetryDecoder(s -> {
				for (CoreSample c : s.cores())
					seen.add(c.cpu());
				if (seen.size() == cpus && s.cores().size() == cpus)
					all.countDown();
			});
			TelemetryPump.start(q.telemetry(), d, null);
			assertTrue(all.await(BOOT.toSeconds(), TimeUnit.SECONDS), "cores seen: " + seen);
			assertEquals(Set.of(0, 1, 2, 3), new TreeSet<>(seen));
			assertEquals(0, d.framesCorrupt());
			assertEquals(cpus, d.hello().ncpus());
			assertTrue(d.hello().tscKhz() > 0);
		}
	}

	/**
	 * Telemetry version 2 from the real kernel: a NET frame per core and the CONN frames of the test-only
	 * fakenetstats app's three made-up TCP slots, the IFACE frame of its fake device, its counters moving between samples.
	 */
	@Test
	void telemetryVersion2CarriesNetFramesAndConnections() throws Exception {
		int cpus = 2;
		try (QemuProcess q = QemuProcess.start(config("fakenetstats", cpus).withAppend("telemetry=20"))) {
			watchConsole(q, new CopyOnWriteArrayList<>(), "");
			List<Sample> samples = new CopyOnWriteArrayList<>();
			CountDownLatch moved = new CountDownLatch(1);
			AtomicReference<Sample> first = new AtomicReference<>(), movedAt = new AtomicReference<>();
			TelemetryDecoder d = new TelemetryDecoder(s -> {
				samples.add(s);
				if (s.nets().size() == cpus)
					first.compareAndSet(null, s);
				if (s.nets().size() == cpus && s.nets().stream().allMatch(n -> n.requests() > 20) && s.conns().size() == 3
						&& s.interfaces().size() == 1 && movedAt.compareAndSet(null, s))
					moved.countDown();
			});
			TelemetryPump.start(q.telemetry(), d, null);
			assertTrue(moved.await(BOOT.toSeconds(), TimeUnit.SECONDS), "no sample with moving counters: "
					+ (samples.isEmpty() ? "none" : samples.get(samples.size() - 1)));
			assertEquals(2, d.hello().streamVersion());
			assertEquals(1, d.hello().netdevs(), "the app's fake device");
			assertEquals("02:00:00:00:00:01", samples.get(samples.size() - 1).interfaces().get(0).mac());
			assertEquals(0, d.framesCorrupt());
			Sample last = samples.get(samples.size() - 1);
			assertTrue(last.hasNetwork());
			assertEquals(List.of(TcpState.LISTEN, TcpState.ESTABLISHED, TcpState.TIME_WAIT),
					last.conns().stream().map(ConnSample::state).toList());
			assertEquals("10.0.2.2:40000", last.conns().get(1).remote());
			// rates from the first sample with every core's counters to the one that saw them past 20: two
			// samples next to each other may fall between two steps of the fake counters and show 0/s
			List<NetView> rates = CoreModel.netViews(first.get(), movedAt.get());
			assertEquals(cpus, rates.size());
			for (NetView n : rates)
				assertTrue(n.rxPacketsPerSec() > 0 && n.requestsPerSec() > 0, n.toString());
		}
	}

	/** More TCP slots in use than the kernel's CONN cap (64): the first 64 are sent, SAMPLE_END counts the rest. */
	@Test
	void connFramesStopAtTheKernelsCapAndTheRestAreCounted() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("fakenetstats", 1).withAppend("telemetry=20 fakenet_conns=100"))) {
			watchConsole(q, new CopyOnWriteArrayList<>(), "");
			List<Sample> full = new CopyOnWriteArrayList<>();
			CountDownLatch seen = new CountDownLatch(1);
			TelemetryDecoder d = new TelemetryDecoder(s -> {
				if (s.conns().size() + s.connsOmitted() == 100) {
					full.add(s);
					seen.countDown();
				}
			});
			TelemetryPump.start(q.telemetry(), d, null);
			assertTrue(seen.await(BOOT.toSeconds(), TimeUnit.SECONDS), "no sample with the 100 slots");
			Sample s = full.get(0);
			assertEquals(64, s.conns().size());
			assertEquals(36, s.connsOmitted());
			List<Integer> slots = s.conns().stream().map(ConnSample::slot).toList();
			assertEquals(List.of(0, 3, 7, 8, 9), slots.subList(0, 5), "slot order");
			assertEquals(68, slots.get(63));
			assertEquals(0, d.samplesIncomplete());
			assertEquals(0, d.framesCorrupt());
		}
	}

	/**
	 * With the GDB stub on, by default: QEMU has no TCP or UDP listener at all; its Unix sockets,
	 * the stub's among them, are in the private 0700 directory.
	 */
	@Test
	void theGdbStubIsAPrivateUnixSocketByDefault() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("toro", 1).withGdbStub(true))) {
			assertFalse(q.gdbStub().isTcp());
			assertEquals(q.endpoints().dir(), q.gdbStub().socket().getParent());
			assertEquals(List.of(), listeners(q, "-ltnpH"), "no TCP listener");
			assertEquals(List.of(), listeners(q, "-lunpH"), "no UDP listener");
			List<String> unix = listeners(q, "-lxpH");
			assertTrue(unix.stream().anyMatch(l -> l.contains(q.gdbStub().socket().toString())), "the stub listens: " + unix);
			for (String l : unix)
				assertTrue(l.contains(q.endpoints().dir().toString()), "Unix listener outside the private dir: " + l);
			assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(q.endpoints().dir())));
			String status = q.qmp().queryStatus();
			assertTrue(status.equals("prelaunch") || status.equals("paused"), "-S holds the guest for the debugger: " + status);
		}
	}

	/** The TCP stub, asked for explicitly, listens on 127.0.0.1 and nowhere else. */
	@Test
	void anExplicitTcpStubListensOnLoopbackOnly() throws Exception {
		try (QemuProcess q = QemuProcess.startWithTcpStub(config("toro", 1).withGdbStub(true), 0)) {
			assertTrue(q.gdbStub().isTcp() && q.gdbStub().port() > 0);
			List<String> tcp = listeners(q, "-ltnpH");
			assertFalse(tcp.isEmpty(), "the GDB stub listens");
			for (String l : tcp)
				assertTrue(l.contains(" 127.0.0.1:" + q.gdbStub().port() + " "), "TCP listener not on 127.0.0.1: " + l);
			assertEquals(List.of(), listeners(q, "-lunpH"));
		}
	}

	/** @return the lines of {@code ss FLAGS} that belong to this QEMU. */
	private static List<String> listeners(QemuProcess q, String flags) throws Exception {
		String pid = "pid=" + q.pid() + ",";
		return Procs.output(List.of("ss", flags)).lines().filter(l -> l.contains(pid)).toList();
	}

	/** More vCPUs than the build's TORO_MAX_CPUS (16): the kernel says so and runs on the 16 it can. */
	@Test
	void coresPastTheBuildLimitAreNamedNotDroppedSilently() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("toro", 17))) {
			List<String> lines = new CopyOnWriteArrayList<>();
			assertTrue(watchConsole(q, lines, "toro: ready").await(BOOT.toSeconds(), TimeUnit.SECONDS), "no ready line: " + lines);
			assertTrue(lines.contains("toro: warning: 1 more cores than this build's TORO_MAX_CPUS (16) stay halted; "
					+ "raise it in toro.build's [flags] defines to use them"), lines.toString());
			assertTrue(lines.stream().anyMatch(l -> l.startsWith("toro: ready cpus=16")), lines.toString());
		}
		assertThrows(IllegalArgumentException.class, () -> config("toro", QemuConfig.MAX_CPUS + 1));
	}

	@Test
	void qmpDrivesTheRealMachine() throws Exception {
		try (QemuProcess q = QemuProcess.start(config("toro", 2))) {
			watchConsole(q, new CopyOnWriteArrayList<>(), "");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			List<String> events = new CopyOnWriteArrayList<>();
			q.qmp().addEventListener((QmpEvent e) -> events.add(e.name()));
			assertEquals("running", q.qmp().queryStatus());
			q.qmp().stop();
			assertEquals("paused", q.qmp().queryStatus());
			q.qmp().cont();
			assertEquals("running", q.qmp().queryStatus());
			List<VcpuInfo> cpus = q.qmp().queryCpusFast();
			assertEquals(2, cpus.size());
			for (VcpuInfo v : cpus)
				assertTrue(Files.exists(Path.of("/proc", Long.toString(q.pid()), "task", Long.toString(v.threadId()))), v.toString());
			Map<Long, Double> perThread = new HostCpuSampler(q.pid()).samplePerThread();
			assertTrue(perThread.keySet().containsAll(cpus.stream().map(VcpuInfo::threadId).toList()));
			for (int i = 0; i < 50 && events.size() < 2; i++)
				Thread.sleep(20);
			assertEquals(List.of("STOP", "RESUME"), events);
		}
	}

	@Test
	void badInputGetsOneClearMessage() throws Exception {
		QemuConfig ok = config("toro", 1);
		QemuException noQemu = assertThrows(QemuException.class, () -> QemuProcess.start(ok.withQemu(Path.of("qemu-system-nosuch"))));
		assertTrue(noQemu.getMessage().contains("apt-get install"), noQemu.getMessage());
		QemuException noKernel = assertThrows(QemuException.class, () -> QemuProcess.start(ok.withKernel(Path.of("/nonexistent/toro.elf"))));
		assertTrue(noKernel.getMessage().contains("not found"), noKernel.getMessage());
		QemuException refused = assertThrows(QemuException.class, () -> QemuProcess.start(ok.withExtraArgs(List.of("-bogus"))));
		assertTrue(refused.getMessage().contains("QEMU refused to start") && refused.getMessage().contains("-bogus: invalid option"),
				refused.getMessage());
		if (Accel.detect() != Accel.KVM) {
			QemuException kvm = assertThrows(QemuException.class, () -> QemuProcess.start(ok.withAccel(Accel.KVM)));
			assertTrue(kvm.getMessage().contains("--accel tcg"), kvm.getMessage());
		}
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress("127.0.0.1", 0));
			QemuException port = assertThrows(QemuException.class, () -> QemuProcess.startWithTcpStub(ok.withGdbStub(true), taken.getLocalPort()));
			assertTrue(port.getMessage().contains("in use"), port.getMessage());
		}
		assertEquals(List.of(), Procs.qemusWith(Images.root().toString() + "/kernel-src/build/release/toro.elf -chardev").stream()
				.filter(pid -> Procs.cmdline(pid).contains("-bogus")).toList(), "a refused QEMU is not left behind");
	}
}
