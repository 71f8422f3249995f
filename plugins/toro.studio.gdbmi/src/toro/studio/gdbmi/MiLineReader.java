package toro.studio.gdbmi;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads gdb's output one line at a time, with a cap on a line's length. A line is ended by
 * "\n" (a "\r" before it is dropped). A line longer than the cap is not kept whole: its first
 * {@code cap} characters are returned with {@link #truncated()} true and the rest is skipped up
 * to its end, so that a runaway or hostile line cannot exhaust memory. The MI records we read are
 * far below the cap: the largest is a memory read of {@code GdbMemoryBlock.MAX_LENGTH} bytes.
 */
public final class MiLineReader {
	/** The default cap: 4 Mi characters, 30 times the hex of the largest memory read. */
	public static final int DEFAULT_CAP = 4 << 20;

	private final Reader in;
	private final int cap;
	private final char[] buf = new char[8192];
	private int pos, end;
	private boolean truncated;

	/** Reads from {@code in} with lines capped at {@code cap} characters. */
	public MiLineReader(Reader in, int cap) {
		if (cap < 1)
			throw new IllegalArgumentException("cap must be positive: " + cap);
		this.in = in;
		this.cap = cap;
	}

	/**
	 * @return the next line without its terminator (at most the cap's length), or null at the end
	 *         of the input; a last line without "\n" is returned too
	 */
	public String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		truncated = false;
		boolean any = false;
		while (true) {
			if (pos == end) {
				end = in.read(buf, 0, buf.length);
				pos = 0;
				if (end <= 0) {
					end = 0;
					return any ? finish(line) : null;
				}
			}
			any = true;
			char c = buf[pos++];
			if (c == '\n')
				return finish(line);
			if (line.length() < cap)
				line.append(c);
			else
				truncated = true;
		}
	}

	/** @return whether the line {@link #readLine()} returned last was longer than the cap. */
	public boolean truncated() {
		return truncated;
	}

	private static String finish(StringBuilder line) {
		int n = line.length();
		if (n > 0 && line.charAt(n - 1) == '\r')
			line.setLength(n - 1);
		return line.toString();
	}
}
