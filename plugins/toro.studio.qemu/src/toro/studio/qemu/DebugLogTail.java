package toro.studio.qemu;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The last bytes of QEMU's {@code -D} log, kept in memory. {@code -d int,cpu_reset} logs every
 * interrupt with a register dump, megabytes a second for a kernel taking device interrupts, so
 * QEMU writes into a FIFO in the run's private directory and a reader thread keeps only the last
 * {@link #CAP} bytes: what {@code --why} shows, with no file that grows until the disk is full.
 * QEMU blocks in a write while the reader is behind; that slows only runs asked to explain a crash.
 */
final class DebugLogTail {
	/** Bytes kept: the last few thousand interrupts. */
	static final int CAP = 1 << 20;

	private final Path fifo;
	private final byte[] ring = new byte[CAP];
	private long written; // total bytes read from QEMU, guarded by this
	private final Thread reader;

	private DebugLogTail(Path fifo) {
		this.fifo = fifo;
		this.reader = new Thread(this::pump, "toro-qemu-debug-log");
		reader.setDaemon(true);
	}

	/**
	 * Makes the FIFO {@code fifo} (mode 0600, with coreutils' mkfifo: Java cannot) and starts
	 * reading it; QEMU opens it as its {@code -D} file.
	 *
	 * @throws QemuException when the FIFO cannot be made
	 */
	static DebugLogTail start(Path fifo) throws QemuException {
		try {
			Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
				throw new QemuException("cannot make the debug log FIFO " + fifo + ": " + out);
		} catch (IOException e) {
			throw new QemuException("cannot run mkfifo (coreutils) for the debug log: " + e.getMessage(), e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new QemuException("interrupted while making the debug log FIFO");
		}
		DebugLogTail t = new DebugLogTail(fifo);
		t.reader.start();
		return t;
	}

	/** Reads until QEMU closes its end (it exits), keeping the newest bytes. */
	private void pump() {
		byte[] buf = new byte[64 * 1024];
		try (InputStream in = new FileInputStream(fifo.toFile())) {
			for (int n; (n = in.read(buf)) > 0;)
				keep(buf, n);
		} catch (IOException e) {
			// the FIFO went with the private directory: nothing more to keep
		}
	}

	private synchronized void keep(byte[] b, int n) {
		for (int i = 0; i < n; i++)
			ring[(int) ((written + i) % CAP)] = b[i];
		written += n;
	}

	/**
	 * Ends the reader: waits up to a second for the end of QEMU's output (QEMU has exited, or is
	 * about to), and unblocks a reader still waiting for QEMU to open the FIFO (QEMU died first).
	 */
	void finish() {
		try {
			reader.join(1000);
			if (reader.isAlive()) {
				new FileOutputStream(fifo.toFile()).close(); // the reader's open returns, then EOF
				reader.join(1000);
			}
		} catch (IOException e) {
			// no FIFO any more: the reader ends with an error of its own
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** @return the last {@code n} complete or partial lines kept (oldest first). */
	synchronized List<String> lastLines(int n) {
		int len = (int) Math.min(written, CAP);
		byte[] tail = new byte[len];
		for (int i = 0; i < len; i++)
			tail[i] = ring[(int) ((written - len + i) % CAP)];
		List<String> lines = Arrays.asList(new String(tail, StandardCharsets.UTF_8).split("\n"));
		if (written > CAP && lines.size() > 1)
			lines = lines.subList(1, lines.size()); // the first line is cut
		return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
	}
}
