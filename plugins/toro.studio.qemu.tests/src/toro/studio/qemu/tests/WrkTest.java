package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import toro.studio.qemu.load.Wrk;
import toro.studio.qemu.load.WrkException;
import toro.studio.qemu.load.WrkResult;

/**
 * wrk's reports as wrk 4.1 (Debian 12) printed them on this machine kind (resources/wrk/: against
 * python3 -m http.server, a missing path, and a loopback server that stalls or drops one request in
 * ten), and real runs of wrk against a loopback server in the test.
 */
class WrkTest {

	private static String captured(String name) throws IOException {
		try (InputStream in = WrkTest.class.getClassLoader().getResourceAsStream("resources/wrk/" + name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void aCleanRunIsRead() throws Exception {
		WrkResult r = WrkResult.parse(4, captured("ok-ms.txt"));
		assertEquals(2188, r.requests());
		assertEquals(2.0, r.seconds(), 1e-9);
		assertEquals(1093.33, r.requestsPerSecond(), 1e-9);
		assertEquals(3.40, r.p50Millis(), 1e-9);
		assertEquals(7.42, r.p99Millis(), 1e-9);
		assertEquals(0, r.errors());
		assertEquals("4 conn: 1093.3 req/s, p50 3.40 ms, p99 7.42 ms, 0 errors", r.summary());
	}

	@Test
	void socketErrorsAndTimeoutsAreErrorsAndMicrosecondsAreRead() throws Exception {
		WrkResult r = WrkResult.parse(4, captured("socket-errors-us.txt"));
		assertEquals(0.044, r.p50Millis(), 1e-9);
		assertEquals(1.03, r.p99Millis(), 1e-9);
		assertEquals(5, r.socketErrors());
		assertEquals(8, r.timeouts());
		assertEquals(13, r.errors());
		assertEquals(3.01, r.seconds(), 1e-9);
	}

	@Test
	void non2xxResponsesAreErrors() throws Exception {
		WrkResult r = WrkResult.parse(4, captured("non2xx.txt"));
		assertEquals(2145, r.non2xx());
		assertEquals(r.requests(), r.errors());
	}

	@Test
	void somethingElseIsRefusedWithItsFirstLine() {
		WrkException e = assertThrows(WrkException.class, () -> WrkResult.parse(1, captured("refused.stderr")));
		assertTrue(e.getMessage().contains("unable to connect to 127.0.0.1:18189"), e.getMessage());
	}

	@Test
	void theArgvLoadsLoopbackOnlyWithPercentiles() {
		List<String> a = Wrk.argv(Path.of("/usr/bin/wrk"), 8080, "/bytes/10", 16, 5);
		assertEquals(List.of("/usr/bin/wrk", "-t", "2", "-c", "16", "-d", "5s", "--timeout", "2s", "--latency",
				"http://127.0.0.1:8080/bytes/10"), a);
		assertEquals("1", Wrk.argv(Path.of("wrk"), 80, "/", 1, 1).get(2), "never more threads than connections");
		assertThrows(IllegalArgumentException.class, () -> Wrk.argv(Path.of("wrk"), 80, "bytes", 1, 1));
		assertThrows(IllegalArgumentException.class, () -> Wrk.argv(Path.of("wrk"), 0, "/", 1, 1));
	}

	@Test
	void aMissingWrkSaysWhatToInstall(@TempDir Path dir) {
		WrkException none = assertThrows(WrkException.class, () -> Wrk.find(Map.of("PATH", dir.toString())));
		assertTrue(none.getMessage().contains("apt-get install wrk"), none.getMessage());
		WrkException bad = assertThrows(WrkException.class,
				() -> Wrk.find(Map.of(Wrk.ENV, dir.resolve("nope").toString())));
		assertTrue(bad.getMessage().startsWith(Wrk.ENV + "="), bad.getMessage());
	}

	@Test
	void aRealRunAgainstALoopbackServerCountsItsRequests() throws Exception {
		try (Server s = new Server()) {
			WrkResult r = Wrk.run(Wrk.find(System.getenv()), s.port(), "/x", 4, 1);
			assertTrue(r.requests() > 0, r.toString());
			assertEquals(0, r.errors(), r.toString());
			assertTrue(r.p50Millis() > 0 && r.p99Millis() >= r.p50Millis(), r.toString());
		}
	}

	@Test
	void aPortNobodyServesIsAClearFailure() throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		int closed = port;
		WrkException e = assertThrows(WrkException.class, () -> Wrk.run(Wrk.find(System.getenv()), closed, "/", 1, 1));
		assertTrue(e.getMessage().contains("unable to connect") && e.getMessage().contains("Is the guest serving"),
				e.getMessage());
	}

	@Test
	void closeKillsARunningWrk() throws Exception {
		try (Server s = new Server(); Wrk w = Wrk.start(Wrk.find(System.getenv()), s.port(), "/", 2, 60)) {
			assertTrue(w.isRunning());
			w.close();
			long deadline = System.nanoTime() + 5_000_000_000L;
			while (w.isRunning() && System.nanoTime() < deadline)
				Thread.sleep(20);
			assertFalse(w.isRunning(), "wrk still runs after close()");
		}
	}

	/** A keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request with "ok". */
	private static final class Server implements AutoCloseable {
		private final ServerSocket socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());

		Server() throws IOException {
			Thread t = new Thread(this::accept, "wrk test server");
			t.setDaemon(true);
			t.start();
		}

		int port() {
			return socket.getLocalPort();
		}

		private void accept() {
			try {
				while (true) {
					Socket c = socket.accept();
					Thread t = new Thread(() -> serve(c), "wrk test connection");
					t.setDaemon(true);
					t.start();
				}
			} catch (IOException e) {
				// closed
			}
		}

		private static void serve(Socket c) {
			try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1));
					OutputStream out = c.getOutputStream()) {
				for (String line; (line = in.readLine()) != null;)
					if (line.isEmpty())
						out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
			} catch (IOException e) {
				// the client went away
			}
		}

		@Override
		public void close() throws IOException {
			socket.close();
		}
	}
}
