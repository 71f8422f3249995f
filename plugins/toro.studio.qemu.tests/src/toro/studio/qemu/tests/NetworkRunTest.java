package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Forward;
import toro.studio.qemu.Network;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.TelemetryDecoder;
import toro.studio.telemetry.TelemetryPump;

/**
 * User networking in real QEMU with the plain kernel: a forward with host port 0 gets a free port,
 * QEMU listens on 127.0.0.1 at that port and on nothing else (as {@code ss} sees it), and slirp accepts
 * a TCP connection there. Under TCG, and under KVM where /dev/kvm is usable.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NetworkRunTest {
	private static final Path SS = Path.of("/usr/bin/ss").toFile().exists() ? Path.of("/usr/bin/ss") : Path.of("/bin/ss");

	@Test
	void aForwardListensOnLoopbackOnlyUnderTcg() throws Exception {
		forwardListensOnLoopbackOnly(Accel.TCG);
	}

	@Test
	void aForwardListensOnLoopbackOnlyUnderKvm() throws Exception {
		assumeTrue(Accel.detect() == Accel.KVM, () -> "KVM case skipped: " + Accel.kvmStatus());
		forwardListensOnLoopbackOnly(Accel.KVM);
	}

	private static void forwardListensOnLoopbackOnly(Accel accel) throws Exception {
		assertTrue(Files.isExecutable(SS), "ss (iproute2) is needed: apt-get install iproute2");
		QemuConfig c = QemuConfig.defaults(Images.of("toro")).withAccel(accel).withNetwork(Network.user(List.of(Forward.tcp(0, 80))));
		try (QemuProcess q = QemuProcess.start(c)) {
			QemuBootTest.watchConsole(q, new CopyOnWriteArrayList<>(), "");
			TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
			}), null);
			assertTrue(q.argv().contains("virtio-net-device,netdev=n0"), q.argv().toString());
			int port = q.config().network().forwards().get(0).hostPort();
			assertNotEquals(0, port, "the free port is chosen before QEMU starts, and reported");
			assertTrue(q.argv().contains("user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:80"), q.argv().toString());
			// every TCP and UDP socket of this QEMU, listening or not
			List<String> mine = Procs.output(List.of(SS.toString(), "-tuanpH")).lines().filter(l -> l.contains("pid=" + q.pid() + ","))
					.toList();
			List<String> listening = mine.stream().filter(l -> l.contains("LISTEN") || l.startsWith("udp")).toList();
			assertEquals(1, listening.size(), "one listening socket, the forward: " + mine);
			assertEquals("127.0.0.1:" + port, listening.get(0).trim().split("\\s+")[4], listening.toString());
			for (String l : mine)
				assertTrue(!l.contains("0.0.0.0:") || l.contains("127.0.0.1:" + port + " "), "nothing on every interface: " + mine);
			assertTrue(mine.stream().noneMatch(l -> l.contains("[::]") || l.contains("*:")), "nothing on IPv6 or wildcard: " + mine);
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
				assertTrue(s.isConnected(), "slirp accepts on the forwarded port");
			}
		}
	}

	@Test
	void aHostPortInUseIsRefusedBeforeQemuStarts() throws Exception {
		try (ServerSocket held = new ServerSocket()) {
			held.bind(new InetSocketAddress("127.0.0.1", 0));
			int p = held.getLocalPort();
			QemuConfig c = QemuConfig.defaults(Images.of("toro")).withAccel(Accel.TCG)
					.withNetwork(Network.user(List.of(Forward.tcp(p, 80))));
			String m = assertThrows(QemuException.class, () -> QemuProcess.start(c).close()).getMessage();
			assertTrue(m.contains("port " + p + " on 127.0.0.1 is in use") && m.contains("or 0 for a free one"), m);
		}
	}
}
