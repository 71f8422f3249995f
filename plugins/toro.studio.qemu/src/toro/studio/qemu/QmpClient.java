package toro.studio.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client of the QEMU Machine Protocol: one JSON object per line each way. Commands carry an
 * {@code id} that the reply echoes, so callers on any thread may share one client. One reader
 * thread parses everything QEMU sends: it completes the waiting command, or hands an event to
 * the listeners (on that thread, in arrival order). A line that is not JSON is counted and skipped.
 */
public final class QmpClient implements AutoCloseable {
	/** How long a command waits for its reply by default. */
	public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

	private final OutputStream out;
	private final Map<String, CompletableFuture<Map<String, Object>>> pending = new LinkedHashMap<>();
	private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
	private final CompletableFuture<Map<String, Object>> greeting = new CompletableFuture<>();
	private final Thread reader;
	private long nextId;
	private volatile boolean closed;
	private volatile long badLines;

	/**
	 * Starts reading {@code in}; call {@link #handshake(Duration)} next.
	 *
	 * @param in   what QEMU sends
	 * @param out  where commands go
	 * @param name names the reader thread
	 */
	public QmpClient(InputStream in, OutputStream out, String name) {
		this.out = out;
		BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
		reader = new Thread(() -> readLoop(r), "qmp-reader " + name);
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Waits for QEMU's greeting and leaves capabilities negotiation mode ({@code qmp_capabilities}).
	 *
	 * @return the greeting's {@code QMP} member (version and capabilities)
	 * @throws QmpException if no greeting came in time or the negotiation failed
	 */
	@SuppressWarnings("unchecked")
	public Map<String, Object> handshake(Duration timeout) {
		Map<String, Object> g = await(greeting, timeout, "the QMP greeting");
		execute("qmp_capabilities", Map.of());
		return (Map<String, Object>) g.get("QMP");
	}

	/**
	 * Sends one command and waits for its reply.
	 *
	 * @param args its arguments; empty or null for none
	 * @return the reply object; its {@code return} member holds the result
	 * @throws QmpException if QEMU answered with an error, did not answer within {@link #REPLY_TIMEOUT},
	 *                      or the connection is closed
	 */
	public Map<String, Object> execute(String cmd, Map<String, Object> args) {
		return execute(cmd, args, REPLY_TIMEOUT);
	}

	/** {@link #execute(String, Map)} with its own reply timeout. */
	public Map<String, Object> execute(String cmd, Map<String, Object> args, Duration timeout) {
		CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
		Map<String, Object> msg = new LinkedHashMap<>();
		msg.put("execute", cmd);
		if (args != null && !args.isEmpty())
			msg.put("arguments", args);
		synchronized (this) {
			if (closed)
				throw new QmpException("QMP " + cmd + ": the connection to QEMU is closed (QEMU has exited)");
			String id = "toro-" + nextId++;
			msg.put("id", id);
			pending.put(id, reply);
			try {
				out.write((Json.write(msg) + "\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
			} catch (IOException e) {
				pending.remove(id);
				throw new QmpException("QMP " + cmd + ": cannot write to QEMU (" + e.getMessage() + ")", e);
			}
		}
		Map<String, Object> r = await(reply, timeout, "the reply to " + cmd);
		if (r.get("error") instanceof Map<?, ?> err)
			throw new QmpException("QMP " + cmd + " failed: " + err.get("class") + ": " + err.get("desc"));
		return r;
	}

	/** @return the {@code return} member of {@code cmd}'s reply (a Map, a List or null). */
	public Object call(String cmd, Map<String, Object> args) {
		return execute(cmd, args).get("return");
	}

	/** @return the run state, e.g. "running", "paused", "prelaunch", "shutdown", "internal-error". */
	@SuppressWarnings("unchecked")
	public String queryStatus() {
		Map<String, Object> r = (Map<String, Object>) call("query-status", null);
		return String.valueOf(r.get("status"));
	}

	/** Pauses every vCPU (QEMU emits STOP). */
	public void stop() {
		execute("stop", null);
	}

	/** Resumes every vCPU (QEMU emits RESUME). */
	public void cont() {
		execute("cont", null);
	}

	/** Resets the machine (QEMU emits RESET). */
	public void systemReset() {
		execute("system_reset", null);
	}

	/**
	 * Asks QEMU to exit at once (status 0). A connection that closes before the reply arrives
	 * counts as done: that is QEMU exiting.
	 */
	public void quit() {
		quit(REPLY_TIMEOUT);
	}

	/** {@link #quit()} waiting at most {@code timeout} for the reply. */
	public void quit(Duration timeout) {
		try {
			execute("quit", null, timeout);
		} catch (QmpException e) {
			if (!closed)
				throw e;
		}
	}

	/** @return each vCPU with its host thread id, in index order. */
	public List<VcpuInfo> queryCpusFast() {
		List<VcpuInfo> cpus = new ArrayList<>();
		if (call("query-cpus-fast", null) instanceof List<?> list) {
			for (Object o : list) {
				if (o instanceof Map<?, ?> m)
					cpus.add(new VcpuInfo(number(m.get("cpu-index"), cpus.size()), number(m.get("thread-id"), -1),
							String.valueOf(m.get("qom-path"))));
			}
		}
		return cpus;
	}

	/** Adds a listener for asynchronous events; it runs on the reader thread and must not block. */
	public void addEventListener(Consumer<QmpEvent> l) {
		listeners.add(l);
	}

	/** Removes a listener added by {@link #addEventListener}. */
	public void removeEventListener(Consumer<QmpEvent> l) {
		listeners.remove(l);
	}

	/** @return whether the connection has closed (QEMU gone or {@link #close()} called). */
	public boolean isClosed() {
		return closed;
	}

	/** @return how many lines from QEMU were not JSON objects and were skipped. */
	public long badLines() {
		return badLines;
	}

	/** Closes the output; the reader ends when QEMU closes its side. Pending commands fail. */
	@Override
	public void close() {
		try {
			out.close();
		} catch (IOException e) {
			// closing a dead socket: nothing left to release
		}
		failAll("the QMP client was closed");
	}

	private void readLoop(BufferedReader r) {
		try {
			for (String line; (line = r.readLine()) != null;)
				dispatch(line);
		} catch (IOException e) {
			// the socket closed under us: same as end of stream
		} finally {
			failAll("the connection to QEMU closed (QEMU has exited)");
		}
	}

	/** Routes one line: greeting, reply (to the command with its id) or event. */
	@SuppressWarnings("unchecked")
	private void dispatch(String line) {
		if (line.isBlank())
			return;
		Map<String, Object> msg;
		try {
			if (!(Json.parse(line) instanceof Map<?, ?> m)) {
				badLines++;
				return;
			}
			msg = (Map<String, Object>) m;
		} catch (IllegalArgumentException e) {
			badLines++;
			return;
		}
		if (msg.containsKey("QMP")) {
			greeting.complete(msg);
		} else if (msg.get("event") instanceof String name) {
			Map<String, Object> data = msg.get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
			QmpEvent ev = new QmpEvent(name, data, timestamp(msg.get("timestamp")));
			for (Consumer<QmpEvent> l : listeners)
				l.accept(ev);
		} else if (msg.containsKey("return") || msg.containsKey("error")) {
			CompletableFuture<Map<String, Object>> f;
			// Strictly by id: every command we send carries one and QEMU echoes it. A reply with
			// no id or an unknown one is counted and skipped; it must not complete another
			// command with an answer that is not its own.
			synchronized (this) {
				f = msg.get("id") instanceof String id ? pending.remove(id) : null;
			}
			if (f != null)
				f.complete(msg);
			else
				badLines++;
		} else {
			badLines++;
		}
	}

	private void failAll(String why) {
		List<CompletableFuture<Map<String, Object>>> waiting;
		synchronized (this) {
			closed = true;
			waiting = new ArrayList<>(pending.values());
			pending.clear();
		}
		QmpException e = new QmpException(why);
		for (CompletableFuture<Map<String, Object>> f : waiting)
			f.completeExceptionally(e);
		greeting.completeExceptionally(e);
	}

	private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
		try {
			return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		} catch (TimeoutException e) {
			throw new QmpException("QEMU sent no " + what + " within " + timeout.toSeconds() + " s");
		} catch (ExecutionException e) {
			throw new QmpException("waiting for " + what + ": " + e.getCause().getMessage(), e.getCause());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new QmpException("interrupted while waiting for " + what);
		}
	}

	private static int number(Object o, int fallback) {
		return o instanceof Number n ? n.intValue() : fallback;
	}

	private static long number(Object o, long fallback) {
		return o instanceof Number n ? n.longValue() : fallback;
	}

	private static long timestamp(Object o) {
		if (o instanceof Map<?, ?> t)
			return number(t.get("seconds"), 0L) * 1_000_000L + number(t.get("microseconds"), 0L);
		return 0;
	}
}
