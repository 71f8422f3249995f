package toro.studio.cli.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over one plain socket to 127.0.0.1, for tests that must control the bytes on the wire
 * (keep-alive, pipelining, garbage, cut requests): the JDK's client hides all of that.
 */
final class HttpWire implements AutoCloseable {
	/** One response: status, headers (lower-case names), body. */
	record Response(int status, Map<String, String> headers, byte[] body) {
		String text() {
			return new String(body, StandardCharsets.UTF_8);
		}
	}

	private final Socket socket;
	private final InputStream in;
	private final OutputStream out;

	HttpWire(int port, int timeoutMillis) throws IOException {
		socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
		socket.setSoTimeout(timeoutMillis);
		in = socket.getInputStream();
		out = socket.getOutputStream();
	}

	/** Sends raw bytes. */
	void send(byte[] bytes) throws IOException {
		out.write(bytes);
		out.flush();
	}

	/** Sends a GET of path (keep-alive). */
	void get(String path) throws IOException {
		send(("GET " + path + " HTTP/1.1\r\nHost: toro\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
	}

	/** Makes close() send a RST instead of a FIN (SO_LINGER 0), as a client that dies does. */
	void resetOnClose() throws IOException {
		socket.setSoLinger(true, 0);
	}

	/** Ends the sending half (the server sees EOF after what was sent). */
	void shutdownOutput() throws IOException {
		socket.shutdownOutput();
	}

	/** @return the next response, its body read whole by Content-Length; null at EOF before a status line */
	Response read() throws IOException {
		Map<String, String> headers = head();
		if (headers == null)
			return null;
		int status = Integer.parseInt(headers.remove(":status"));
		int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
		return new Response(status, headers, in.readNBytes(length));
	}

	/**
	 * Reads n body bytes of a response whose head {@link #readHead} returned, checking byte i = i mod 251.
	 * @return n
	 */
	long readPatternBody(long n) throws IOException {
		byte[] buf = new byte[64 * 1024];
		long at = 0;
		while (at < n) {
			int k = in.read(buf, 0, (int) Math.min(buf.length, n - at));
			if (k < 0)
				throw new IOException("EOF at byte " + at + " of " + n);
			for (int i = 0; i < k; i++)
				if (buf[i] != (byte) ((at + i) % 251))
					throw new IOException("byte " + (at + i) + " is " + (buf[i] & 0xff) + ", not " + ((at + i) % 251));
			at += k;
		}
		return at;
	}

	/** @return the status (as ":status") and headers of the next response, leaving its body unread */
	Map<String, String> readHead() throws IOException {
		Map<String, String> headers = head();
		if (headers == null)
			throw new IOException("EOF before a status line");
		return headers;
	}

	/** @return the status line's code as ":status" and the headers (lower-case names); null at EOF first */
	private Map<String, String> head() throws IOException {
		String status = line();
		if (status == null)
			return null;
		String[] parts = status.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/1."))
			throw new IOException("not an HTTP status line: " + status);
		Map<String, String> headers = new TreeMap<>();
		headers.put(":status", parts[1]);
		for (String h; !(h = line()).isEmpty();) {
			int colon = h.indexOf(':');
			headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
		}
		return headers;
	}

	/** @return whether the server closed the connection (EOF) within the socket timeout */
	boolean closedByServer() throws IOException {
		try {
			return in.read() < 0;
		} catch (java.net.SocketTimeoutException e) {
			return false;
		}
	}

	private String line() throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		for (int c; (c = in.read()) >= 0;) {
			if (c == '\n') {
				String s = b.toString(StandardCharsets.ISO_8859_1);
				return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
			}
			b.write(c);
		}
		return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}
}
