package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * END TO END (issue 13): the httpd kernel in real QEMU behind {@code toro run --forward 0:80}, clients
 * on the host through the forwarded 127.0.0.1 port, on virtio-mmio (microvm) and virtio-pci (q35), with
 * one and two cores, under TCG and (where /dev/kvm is usable) KVM. Every endpoint; a large response byte
 * for byte; 1000 keep-alive requests on one connection; a burst of 50 clients; 200 connections open at once; hostile clients (garbage,
 * a head over the limit, a request cut in the middle, a half-closed one, a reset in the middle of a
 * response); after them the server still answers and its free memory returns to its level.
 */
@Tag("end-to-end")
class HttpdEndToEndTest {
	private static final Pattern FORWARDED = Pattern.compile("toro: listening on 10\\.0\\.2\\.15:80 \\(forwarded from 127\\.0\\.0\\.1:(\\d+)\\)");
	private static final Pattern FREE = Pattern.compile("\"free_bytes\"\\s*:\\s*(\\d+)");

	@Test
	void microvmTcgTwoCores() throws Exception {
		try (Server s = Server.start("microvm", "tcg", 2)) {
			everything(s, 16 << 20, 50, 200);
		}
	}

	@Test
	void q35TcgOneCore() throws Exception {
		try (Server s = Server.start("q35", "tcg", 1)) {
			everything(s, 16 << 20, 50, 200);
		}
	}

	/**
	 * Nested KVM moves about 0.2 MiB/s and 40 requests/s through slirp here (every exit is costly): a
	 * smaller large response, and 50 connections open at once, not 200 (opening 200 takes 17 s there,
	 * and their requests then outlast the server's 30 s keep-alive timeout).
	 */
	@Test
	void microvmKvmTwoCores() throws Exception {
		Path kvm = Path.of("/dev/kvm");
		assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm), "no usable /dev/kvm on this host: the KVM case cannot run here");
		try (Server s = Server.start("microvm", "kvm", 2)) {
			everything(s, 1 << 20, 50, 50);
		}
	}

	private static void everything(Server s, int large, int clients, int open) throws Exception {
		endpoints(s);
		long free0 = freeBytes(s);
		try (HttpWire w = new HttpWire(s.port, 120_000)) {
			w.get("/bytes/" + large);
			var head = w.readHead();
			assertEquals("200", head.get(":status"));
			assertEquals(Integer.toString(large), head.get("content-length"));
			assertEquals(large, w.readPatternBody(large));
		}
		keepAlive(s, 1000);
		concurrent(s, clients);
		openAtOnce(s, open);
		hostile(s);
		assertEquals(200, get(s, "/").status(), "the server still answers after the hostile clients");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		long free = freeBytes(s);
		while (free < free0 && System.nanoTime() < deadline) { // connections in TIME_WAIT keep theirs briefly
			Thread.sleep(500);
			free = freeBytes(s);
		}
		assertTrue(free >= free0, "free_bytes back to its level: " + free + " after, " + free0 + " before");
	}

	private static void endpoints(Server s) throws IOException {
		HttpWire.Response index = get(s, "/");
		assertEquals(200, index.status());
		assertTrue(index.text().toLowerCase().contains("<html"), index.text());
		assertEquals("text/html", index.headers().get("content-type"));
		HttpWire.Response bytes = get(s, "/bytes/1000");
		assertEquals(200, bytes.status());
		assertEquals("application/octet-stream", bytes.headers().get("content-type"));
		assertEquals(1000, bytes.body().length);
		for (int i = 0; i < 1000; i++)
			assertEquals((byte) (i % 251), bytes.body()[i], "byte " + i);
		assertEquals(0, get(s, "/bytes/0").body().length);
		HttpWire.Response stats = get(s, "/stats");
		assertEquals(200, stats.status());
		assertTrue(stats.text().contains("\"cores\"") && FREE.matcher(stats.text()).find(), stats.text());
		assertEquals(404, get(s, "/no/such/path").status());
	}

	private static void keepAlive(Server s, int n) throws IOException {
		try (HttpWire w = new HttpWire(s.port, 30_000)) {
			for (int i = 0; i < n; i++) {
				w.get(i % 2 == 0 ? "/" : "/bytes/" + (i % 4096));
				HttpWire.Response r = w.read();
				assertNotNull(r, "connection closed after " + i + " requests");
				assertEquals(200, r.status(), "request " + i);
			}
		}
	}

	/**
	 * n clients at once, each one request on a connection of its own: a burst of connects. slirp
	 * listens on the forwarded port with a backlog of one and, in a burst of 200, drops a few
	 * handshakes on the host side (the client believes it connected and hears nothing for more than
	 * 20 s, in some runs, on every machine); so the burst is 50 clients, and a client that hears nothing
	 * within 10 s tries once more, as a browser would. {@link #openAtOnce} holds 200.
	 */
	private static void concurrent(Server s, int n) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(n);
		try {
			List<Future<Integer>> all = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				int k = i;
				all.add(pool.submit(() -> {
					for (int attempt = 0;; attempt++) {
						try (HttpWire w = new HttpWire(s.port, 10_000)) {
							w.get("/bytes/" + (k * 37 % 5000));
							HttpWire.Response r = w.read();
							return r == null ? -1 : r.status();
						} catch (IOException e) {
							if (attempt == 1)
								throw e;
						}
					}
				}));
			}
			int ok = 0;
			for (Future<Integer> f : all)
				if (f.get(120, TimeUnit.SECONDS) == 200)
					ok++;
			assertEquals(n, ok, "concurrent clients answered 200");
		} finally {
			pool.shutdownNow();
		}
	}

	/**
	 * n connections open at the same time, each a thread of the server: they are opened one after
	 * another (each answered once, so none is lost in slirp's backlog; see {@link #concurrent}), then
	 * every one of them sends a request at once, and every one is answered in full.
	 */
	private static void openAtOnce(Server s, int n) throws Exception {
		List<HttpWire> open = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(n);
		try {
			for (int i = 0; i < n; i++) {
				HttpWire w = new HttpWire(s.port, 30_000);
				open.add(w);
				w.get("/");
				HttpWire.Response r = w.read();
				assertEquals(200, r == null ? -1 : r.status(), "connection " + i + " of " + n + " answered");
			}
			List<Future<Integer>> all = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				HttpWire w = open.get(i);
				int size = 1000 + i;
				all.add(pool.submit(() -> {
					w.get("/bytes/" + size);
					HttpWire.Response r = w.read();
					return r != null && r.status() == 200 && r.body().length == size ? 200 : -1;
				}));
			}
			int ok = 0;
			for (Future<Integer> f : all)
				if (f.get(120, TimeUnit.SECONDS) == 200)
					ok++;
			assertEquals(n, ok, "requests on " + n + " connections open at once answered in full");
		} finally {
			pool.shutdownNow();
			for (HttpWire w : open)
				w.close();
		}
	}

	private static void hostile(Server s) throws IOException {
		try (HttpWire w = new HttpWire(s.port, 15_000)) { // garbage: 400, and the connection ends
			w.send("\u0001\u0002 not http at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			assertEquals(400, w.read().status());
		}
		try (HttpWire w = new HttpWire(s.port, 15_000)) { // a head over the limit: 431 (or 400) and closed
			w.send(("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			int status = w.read().status();
			assertTrue(status == 431 || status == 400, "status " + status);
			assertTrue(w.closedByServer(), "closed after the over-long head");
		}
		try (HttpWire w = new HttpWire(s.port, 15_000)) { // cut in the middle, then half-closed: no reply, closed
			w.send("GET /bytes/10 HTTP/1.1\r\nHos".getBytes(StandardCharsets.US_ASCII));
			w.shutdownOutput();
			assertTrue(w.closedByServer(), "a cut request is closed without a reply");
		}
		try (HttpWire w = new HttpWire(s.port, 15_000)) { // a reset in the middle of a large response
			w.get("/bytes/" + (8 << 20));
			w.readHead();
			w.readPatternBody(64 * 1024);
			w.resetOnClose();
		}
		try (HttpWire w = new HttpWire(s.port, 2_000)) { // a client that connects and says nothing: not answered
			assertTrue(!w.closedByServer(), "an idle client is kept (until the server's idle timeout)");
		}
	}

	private static HttpWire.Response get(Server s, String path) throws IOException {
		try (HttpWire w = new HttpWire(s.port, 30_000)) {
			w.get(path);
			return w.read();
		}
	}

	private static long freeBytes(Server s) throws IOException {
		Matcher m = FREE.matcher(get(s, "/stats").text());
		assertTrue(m.find());
		return Long.parseLong(m.group(1));
	}

	/** The httpd kernel under {@code toro run --forward 0:80}, up once its forwarded listening line is printed. */
	private record Server(Process process, int port, List<String> console) implements AutoCloseable {
		static Server start(String machine, String accel, int cpus) throws Exception {
			assumeTrue(Files.readString(ToroScript.root().resolve("kernel-src/toro.build")).contains("[target httpd]"),
					"this tree's kernel-src/toro.build has no httpd target");
			List<String> argv = List.of(ToroScript.root().resolve("toro").toString(), "run", "--target", "httpd", "--forward", "0:80",
					"--machine", machine, "--accel", accel, "--smp", Integer.toString(cpus), "--timeout", "600");
			Process p = new ProcessBuilder(argv).directory(ToroScript.root().toFile()).redirectErrorStream(true)
					.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
			List<String> console = new CopyOnWriteArrayList<>();
			CompletableFuture<Integer> port = new CompletableFuture<>();
			Thread reader = new Thread(() -> {
				try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
					for (String l; (l = r.readLine()) != null;) {
						console.add(l);
						Matcher m = FORWARDED.matcher(l);
						if (m.matches())
							port.complete(Integer.parseInt(m.group(1)));
					}
				} catch (IOException e) {
					port.completeExceptionally(e);
				}
				port.completeExceptionally(new AssertionError("no forwarded listening line; console: " + console));
			}, "httpd console");
			reader.setDaemon(true);
			reader.start();
			try {
				return new Server(p, port.get(240, TimeUnit.SECONDS), console);
			} catch (Exception e) {
				p.destroyForcibly();
				throw e;
			}
		}

		@Override
		public void close() throws InterruptedException {
			process.destroy(); // toro run stops QEMU on SIGTERM
			if (!process.waitFor(30, TimeUnit.SECONDS))
				process.destroyForcibly();
		}
	}
}
