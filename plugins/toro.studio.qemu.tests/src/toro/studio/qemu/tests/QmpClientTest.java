package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import toro.studio.qemu.Json;
import toro.studio.qemu.QmpClient;
import toro.studio.qemu.QmpEvent;
import toro.studio.qemu.QmpException;
import toro.studio.qemu.VcpuInfo;

/**
 * QMP framing against a transcript captured from QEMU 7.2 on this machine (resources/): a fake
 * peer replays QEMU's lines, CR LF included, and checks each command the client sends.
 */
class QmpClientTest {
	private final List<String> problems = new CopyOnWriteArrayList<>();
	private PipedOutputStream toClient;
	private PipedInputStream fromClient;
	private QmpClient qmp;
	private Thread peer;

	/** Starts a peer that plays {@code script}: "<< line" is sent, ">> cmd" must arrive next. */
	private void play(List<String> script) throws IOException {
		toClient = new PipedOutputStream();
		PipedInputStream clientIn = new PipedInputStream(toClient, 1 << 16);
		fromClient = new PipedInputStream(1 << 16);
		PipedOutputStream clientOut = new PipedOutputStream(fromClient);
		peer = new Thread(() -> {
			try (BufferedReader r = new BufferedReader(new InputStreamReader(fromClient, StandardCharsets.UTF_8))) {
				for (String line : script) {
					if (line.startsWith("<< ")) {
						toClient.write((line.substring(3) + "\r\n").getBytes(StandardCharsets.UTF_8));
						toClient.flush();
					} else if (line.startsWith(">> ")) {
						Map<?, ?> want = (Map<?, ?>) Json.parse(line.substring(3));
						String got = r.readLine();
						Map<?, ?> sent = (Map<?, ?>) Json.parse(got);
						if (!want.get("execute").equals(sent.get("execute")) || !want.get("id").equals(sent.get("id")))
							problems.add("expected " + line + " got " + got);
					}
				}
				toClient.close();
			} catch (IOException | RuntimeException e) {
				problems.add(e.toString());
			}
		}, "fake-qemu");
		peer.start();
		qmp = new QmpClient(clientIn, clientOut, "test");
	}

	@AfterEach
	void end() throws Exception {
		if (qmp != null)
			qmp.close();
		if (peer != null)
			peer.join(5000);
	}

	static List<String> transcript() throws IOException {
		try (InputStream in = QmpClientTest.class.getClassLoader().getResourceAsStream("resources/qmp-transcript-qemu-7.2.txt")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
		}
	}

	@Test
	void fullSessionAgainstRealQemuOutput() throws Exception {
		play(transcript());
		List<QmpEvent> events = new ArrayList<>();
		qmp.addEventListener(events::add);
		Map<String, Object> greeting = qmp.handshake(Duration.ofSeconds(5));
		assertEquals(7L, ((Map<?, ?>) ((Map<?, ?>) greeting.get("version")).get("qemu")).get("major"));
		assertEquals("prelaunch", qmp.queryStatus());
		List<VcpuInfo> cpus = qmp.queryCpusFast();
		assertEquals(2, cpus.size());
		assertEquals(1, cpus.get(1).index());
		assertEquals(19715, cpus.get(1).threadId());
		qmp.cont();
		qmp.stop();
		QmpException e = assertThrows(QmpException.class, () -> qmp.execute("no-such-command", Map.of()));
		assertTrue(e.getMessage().contains("CommandNotFound"), e.getMessage());
		qmp.systemReset();
		qmp.quit();
		peer.join(5000);
		assertEquals(List.of(), problems);
		assertEquals(List.of("RESUME", "STOP", "RESET", "SHUTDOWN"), events.stream().map(QmpEvent::name).toList());
		assertEquals("host-qmp-quit", events.get(3).data().get("reason"));
		assertEquals(1795985888_663651L, events.get(1).timestampMicros());
	}

	@Test
	void garbageLinesAreCountedAndSkipped() throws Exception {
		List<String> script = new ArrayList<>(transcript().subList(0, 3));
		script.add(1, "<< this is not json");
		script.add(2, "<< [1,2]");
		play(script);
		qmp.handshake(Duration.ofSeconds(5));
		assertEquals(2, qmp.badLines());
	}

	@Test
	void aReplyWithoutItsIdCompletesNothingAndDeepNestingIsSkipped() throws Exception {
		List<String> script = new ArrayList<>(transcript().subList(0, 3));
		script.add(">> {\"execute\":\"query-status\",\"id\":\"toro-1\"}");
		script.add("<< {\"return\": {\"status\": \"running\"}, \"id\": \"toro-99\"}");
		script.add("<< {\"return\": {\"status\": \"running\"}}");
		script.add("<< " + "[".repeat(100_000) + "]".repeat(100_000));
		play(script);
		qmp.handshake(Duration.ofSeconds(5));
		QmpException e = assertThrows(QmpException.class, qmp::queryStatus);
		assertTrue(e.getMessage().contains("closed"), "not answered by another command's reply: " + e.getMessage());
		assertEquals(3, qmp.badLines(), "unknown id, no id, too deep");
	}

	@Test
	void pendingCommandFailsWhenQemuGoes() throws Exception {
		// greeting and capabilities, then a command that QEMU never answers before closing
		List<String> script = new ArrayList<>(transcript().subList(0, 3));
		script.add(">> {\"execute\":\"query-status\",\"id\":\"toro-1\"}");
		play(script);
		qmp.handshake(Duration.ofSeconds(5));
		QmpException e = assertThrows(QmpException.class, qmp::queryStatus);
		assertTrue(e.getMessage().contains("closed"), e.getMessage());
		assertTrue(qmp.isClosed());
	}

	@Test
	void noGreetingTimesOut() throws Exception {
		play(List.of());
		// the peer closes at once: the handshake fails promptly, not after the timeout
		long t0 = System.nanoTime();
		assertThrows(QmpException.class, () -> qmp.handshake(Duration.ofSeconds(30)));
		assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
	}
}
