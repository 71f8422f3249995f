package toro.studio.qemu;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tells the host side of a guest's listening socket. When the guest prints
 * {@code toro: listening on 10.0.2.15:80} and a TCP forward targets port 80, the note
 * {@code toro: listening on 10.0.2.15:80 (forwarded from 127.0.0.1:8080)} goes on the next line.
 * The guest's own line is never changed: the note is an extra line after it.
 *
 * One instance follows one console stream (it keeps the line being read); the CLI copies bytes
 * through {@link #copy}, the IDE feeds characters through {@link #annotate}. Not thread-safe: one
 * reader thread per instance.
 */
public final class ForwardNotes {
	/** The kernel's line for a listening socket (net branch: {@code toro: listening on IP:PORT}). */
	private static final Pattern LISTENING = Pattern.compile("toro: listening on (\\d{1,3}(?:\\.\\d{1,3}){3}):(\\d{1,5})");
	/** Longer lines cannot be a listening line: only their start is kept. */
	private static final int MAX_LINE = 128;

	private final Network network;
	private final StringBuilder line = new StringBuilder();

	/** @param network the run's network, its host ports as chosen ({@link QemuProcess#config()}) */
	public ForwardNotes(Network network) {
		this.network = network;
	}

	/**
	 * @param line    one console line, without its line end (a trailing CR is ignored)
	 * @param network the run's network
	 * @return the note for {@code line}, or null when it is not a listening line or no forward
	 *         targets its port
	 */
	public static String note(String line, Network network) {
		Matcher m = LISTENING.matcher(line.strip());
		if (!m.matches())
			return null;
		var forwards = network.tcpForwardsTo(Integer.parseInt(m.group(2)));
		if (forwards.isEmpty())
			return null;
		return m.group() + " (forwarded from "
				+ forwards.stream().map(f -> "127.0.0.1:" + f.hostPort()).collect(Collectors.joining(", ")) + ")";
	}

	/**
	 * Writes {@code b[off..off+len)} to {@code out} unchanged, with a note line after each line end
	 * that closes a listening line. Bytes are read as Latin-1: the pattern is ASCII.
	 */
	public void copy(byte[] b, int off, int len, OutputStream out) throws IOException {
		int from = off;
		for (int i = off; i < off + len; i++) {
			String n = push((char) (b[i] & 0xff));
			if (n != null) {
				out.write(b, from, i + 1 - from);
				out.write((n + "\n").getBytes(StandardCharsets.UTF_8));
				from = i + 1;
			}
		}
		out.write(b, from, off + len - from);
	}

	/** @return {@code chunk} with a note line after each line end that closes a listening line. */
	public String annotate(CharSequence chunk) {
		StringBuilder out = null;
		int from = 0;
		for (int i = 0; i < chunk.length(); i++) {
			String n = push(chunk.charAt(i));
			if (n != null) {
				if (out == null)
					out = new StringBuilder(chunk.length() + n.length() + 1);
				out.append(chunk, from, i + 1).append(n).append('\n');
				from = i + 1;
			}
		}
		return out == null ? chunk.toString() : out.append(chunk, from, chunk.length()).toString();
	}

	/** Adds one character of the stream; at a line end returns that line's note, or null. */
	private String push(char c) {
		if (c != '\n') {
			if (line.length() < MAX_LINE)
				line.append(c);
			return null;
		}
		String n = note(line.toString(), network);
		line.setLength(0);
		return n;
	}
}
