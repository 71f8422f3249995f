package toro.studio.gdbmi;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import toro.studio.gdbmi.mi.MiParseException;
import toro.studio.gdbmi.mi.MiParser;
import toro.studio.gdbmi.mi.MiRecord;

/**
 * The gdb child process and its pipes. A reader thread parses stdout line by
 * line and hands each record to {@link Sink#record}; a line that does not
 * parse goes to {@link Sink#unparsed} and is skipped. A second thread keeps the
 * tail of stderr for error messages. When gdb exits or dies, or its stdout ends,
 * the sink hears {@link Sink#closed} exactly once. The exit is watched apart from
 * the pipe because a child of gdb (a {@code shell} command) can hold the pipe open
 * after gdb is gone.
 */
final class Transport {
	/** Receives what the reader thread reads; called on the reader thread. */
	interface Sink {
		void record(MiRecord r);

		void unparsed(String line, MiParseException e);

		void closed(String why);
	}

	private final Process process;
	private final Writer stdin;
	private final StringBuilder stderrTail = new StringBuilder();
	private final Thread shutdownHook;
	private Thread reader;
	private Sink sink;
	private final AtomicBoolean ended = new AtomicBoolean();
	private final CompletableFuture<Void> reported = new CompletableFuture<>();

	private Transport(Process process) {
		this.process = process;
		this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
		this.shutdownHook = new Thread(process::destroyForcibly, "gdb-kill-on-exit");
		Runtime.getRuntime().addShutdownHook(shutdownHook);
	}

	/**
	 * Starts {@code argv} and its reader threads.
	 *
	 * @throws GdbException if the process cannot be started
	 */
	static Transport start(List<String> argv, Sink sink) {
		Process p;
		try {
			p = new ProcessBuilder(argv).start();
		} catch (IOException e) {
			throw new GdbException("cannot start " + argv.get(0) + ": " + e.getMessage()
					+ " (install gdb, e.g. apt-get install gdb, or give its path)", e);
		}
		Transport t = new Transport(p);
		t.sink = sink;
		t.reader = new Thread(t::read, "gdb-mi-reader-" + p.pid());
		t.reader.setDaemon(true);
		t.reader.start();
		Thread err = new Thread(() -> t.drainStderr(p.getErrorStream()), "gdb-stderr-" + p.pid());
		err.setDaemon(true);
		err.start();
		p.onExit().thenRun(t::exited);
		return t;
	}

	/** The reader loop: one line, one parse, one hand-over; ends with closed(). */
	private void read() {
		String why = "gdb closed its output";
		try (InputStreamReader pipe = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
			MiLineReader in = new MiLineReader(pipe, MiLineReader.DEFAULT_CAP);
			for (String line; (line = in.readLine()) != null;) {
				if (in.truncated()) {
					sink.unparsed(line.substring(0, 200) + "...", new MiParseException("a line longer than "
							+ MiLineReader.DEFAULT_CAP + " characters was skipped", MiLineReader.DEFAULT_CAP));
					continue;
				}
				MiRecord r;
				try {
					r = MiParser.parse(line);
				} catch (MiParseException e) {
					sink.unparsed(line, e);
					continue;
				}
				sink.record(r);
			}
		} catch (IOException e) {
			why = "reading gdb's output failed: " + e.getMessage();
		}
		try {
			if (process.waitFor(2, TimeUnit.SECONDS))
				return; // exited() reports it, with the status
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		end(why);
	}

	/** gdb's process ended: let the reader deliver what gdb wrote last, then report it. */
	private void exited() {
		try {
			reader.join(500);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		int status = process.exitValue();
		end(status > 128 ? "gdb was killed by signal " + (status - 128) : "gdb exited with status " + status);
	}

	/** Tells the sink once that gdb is gone, with the tail of its stderr. */
	private void end(String why) {
		if (!ended.compareAndSet(false, true))
			return;
		String err = stderr();
		try {
			sink.closed(err.isBlank() ? why : why + "; its last error output: " + err.strip());
		} finally {
			reported.complete(null);
		}
	}

	/** Keeps the last 4 KiB of gdb's stderr. */
	private void drainStderr(InputStream err) {
		byte[] buf = new byte[1024];
		try (err) {
			for (int n; (n = err.read(buf)) > 0;) {
				synchronized (stderrTail) {
					stderrTail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
					if (stderrTail.length() > 4096)
						stderrTail.delete(0, stderrTail.length() - 4096);
				}
			}
		} catch (IOException e) {
			// the process is gone; what we have is what there is
		}
	}

	/** @return the tail of gdb's stderr. */
	String stderr() {
		synchronized (stderrTail) {
			return stderrTail.toString();
		}
	}

	/**
	 * Writes one command line.
	 *
	 * @throws GdbException if gdb's stdin is closed (gdb died)
	 */
	synchronized void send(String line) {
		try {
			stdin.write(line);
			stdin.write('\n');
			stdin.flush();
		} catch (IOException e) {
			throw new GdbException("gdb is not running (writing to it failed: " + e.getMessage() + ")", e);
		}
	}

	/** @return gdb's process id. */
	long pid() {
		return process.pid();
	}

	/**
	 * Ends gdb and any child of it: closes its stdin (gdb exits on EOF), kills it if it
	 * lingers, and waits until the sink has heard closed(). Idempotent.
	 */
	void close() {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		try {
			OutputStream out = process.getOutputStream();
			out.close();
		} catch (IOException e) {
			// already closed
		}
		try {
			if (!process.waitFor(1, TimeUnit.SECONDS)) {
				process.destroy();
				if (!process.waitFor(1, TimeUnit.SECONDS))
					process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
			}
			reported.get(3, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		} catch (ExecutionException | TimeoutException e) {
			// gone or not, nothing more can be done from here
		}
		try {
			Runtime.getRuntime().removeShutdownHook(shutdownHook);
		} catch (IllegalStateException e) {
			// the JVM is already shutting down; the hook runs anyway
		}
	}
}
