package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Network;
import toro.studio.qemu.Ports;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.TelemetryDecoder;
import toro.studio.telemetry.TelemetryPump;

/**
 * The httpd kernel's TCP over a wire that loses 5 % of the frames in each direction and reorders
 * 5 %: the guest's virtio-net is a UDP socket netdev ({@link Network#udp}), a {@link LossyWire}
 * carries its frames to a second QEMU that holds nothing but a hub joining a socket netdev to user
 * networking, and the test's client connects to that QEMU's forward on 127.0.0.1. All on loopback and
 * without root, so it runs wherever QEMU does (this host's kernel has no netem for tc).
 */
class LossyNetworkTest {
	private static final int SIZE = 1 << 20;
	private static final Pattern RETRANSMITS = Pattern.compile("\"retransmits\":(\\d+)");

	@Test
	void a16MiBResponseArrivesIntactThroughLossAndReordering() throws Exception {
		int guestPort = Ports.freeLoopbackUdpPort(), hubPort = Ports.freeLoopbackUdpPort(), httpPort = Ports.freeLoopbackPort();
		try (LossyWire wire = new LossyWire(0.05, 0.05, 20261204L)) {
			QemuConfig c = QemuConfig.defaults(Images.of("httpd")).withAccel(Accel.TCG).withCpus(2)
					.withNetwork(Network.udp(guestPort, wire.guestSide()));
			List<String> console = new CopyOnWriteArrayList<>();
			Process hub = new ProcessBuilder(hubArgv(httpPort, wire.hubSide(), hubPort)).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
			try (QemuProcess q = QemuProcess.start(c)) {
				var listening = QemuBootTest.watchConsole(q, console, "toro: listening on 10.0.2.15:80");
				TelemetryPump.start(q.telemetry(), new TelemetryDecoder(s -> {
				}), null);
				wire.start(guestPort, hubPort);
				assertTrue(listening.await(120, TimeUnit.SECONDS), "httpd listens: " + console);
				assertTrue(q.argv().contains("socket,id=n0,udp=127.0.0.1:" + wire.guestSide() + ",localaddr=127.0.0.1:" + guestPort),
						q.argv().toString());

				byte[] body = get(httpPort, "/bytes/" + SIZE, 20);
				assertEquals(SIZE, body.length, "the whole response: " + wire);
				for (int i = 0; i < SIZE; i++)
					if (body[i] != (byte) (i % 251))
						throw new AssertionError("byte " + i + " is " + body[i] + ", not " + (i % 251) + " (" + wire + ")");
				assertTrue(wire.dropped.get() > 10 && wire.swapped.get() > 10, "the wire did lose and reorder: " + wire);

				Matcher m = RETRANSMITS.matcher(new String(get(httpPort, "/stats", 6), StandardCharsets.UTF_8));
				long retransmits = 0;
				while (m.find())
					retransmits += Long.parseLong(m.group(1));
				assertTrue(retransmits > 0, "the kernel retransmitted what the wire lost");
			} finally {
				hub.destroy();
				if (!hub.waitFor(5, TimeUnit.SECONDS))
					hub.destroyForcibly();
			}
		}
	}

	/**
	 * A QEMU with no guest at all: a hub that joins user networking (forwarding 127.0.0.1:{@code http}
	 * to the guest's port 80) to a socket netdev that sends to {@code wire} and listens on {@code port}.
	 */
	private static List<String> hubArgv(int http, int wire, int port) throws Exception {
		return List.of(QemuProcess.resolveQemu(java.nio.file.Path.of(QemuConfig.QEMU)).toString(), "-M", "none", "-nodefaults",
				"-display", "none", "-netdev", "user,id=u,hostfwd=tcp:127.0.0.1:" + http + "-10.0.2.15:80",
				"-netdev", "socket,id=s,udp=127.0.0.1:" + wire + ",localaddr=127.0.0.1:" + port,
				"-netdev", "hubport,id=hu,hubid=0,netdev=u", "-netdev", "hubport,id=hs,hubid=0,netdev=s");
	}

	/**
	 * GETs {@code path} on a fresh connection ("Connection: close") and returns the body, trying again
	 * (up to {@code attempts} times, a second apart) while the hub or the guest is not reachable yet.
	 */
	private static byte[] get(int port, String path, int attempts) throws Exception {
		for (int i = 1;; i++) {
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress(Ports.loopback(), port), 5000);
				s.setSoTimeout(60_000);
				s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
				byte[] all = readAll(s.getInputStream());
				String text = new String(all, StandardCharsets.ISO_8859_1);
				int end = text.indexOf("\r\n\r\n");
				if (end < 0)
					throw new IOException("no HTTP head in " + all.length + " bytes");
				assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, end));
				return java.util.Arrays.copyOfRange(all, end + 4, all.length);
			} catch (IOException e) {
				if (i == attempts)
					throw e;
				Thread.sleep(1000);
			}
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		in.transferTo(b);
		return b.toByteArray();
	}
}
