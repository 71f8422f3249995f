package toro.studio.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import toro.studio.qemu.Ports;

/**
 * One HTTP/1.1 GET to 127.0.0.1 on a fresh connection, with "Connection: close": enough to tell
 * whether a guest answers, to fetch the bytes it serves, and to time a single request. Load is
 * wrk's job, not this class's.
 */
final class HttpProbe {
	/** An answer: the status code and the body (everything after the head; the server closes). */
	record Response(int status, byte[] body) {
	}

	/** The largest answer read; the bench fetches pages of a few KiB. */
	static final int MAX_BYTES = 32 << 20;

	private HttpProbe() {
	}

	/**
	 * GETs {@code path} from 127.0.0.1:{@code port}, giving up after {@code timeoutMillis} for the
	 * connection and for each read.
	 *
	 * @throws IOException when nothing or no HTTP answer comes back in time
	 */
	static Response get(int port, String path, int timeoutMillis) throws IOException {
		try (Socket s = new Socket()) {
			s.connect(new InetSocketAddress(Ports.loopback(), port), timeoutMillis);
			s.setSoTimeout(timeoutMillis);
			s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			byte[] all = readAll(s.getInputStream());
			int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			String head = new String(all, 0, end < 0 ? all.length : end, StandardCharsets.ISO_8859_1);
			String[] status = head.split("\r\n", 2)[0].split(" ");
			if (end < 0 || status.length < 2 || !status[0].startsWith("HTTP/1."))
				throw new IOException("no HTTP answer from 127.0.0.1:" + port + path + " (got " + all.length + " bytes)");
			try {
				return new Response(Integer.parseInt(status[1]), Arrays.copyOfRange(all, end + 4, all.length));
			} catch (NumberFormatException e) {
				throw new IOException("a bad status line from 127.0.0.1:" + port + ": " + head.split("\r\n", 2)[0]);
			}
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream b = new ByteArrayOutputStream();
		byte[] buf = new byte[8192];
		for (int n; (n = in.read(buf)) > 0;) {
			b.write(buf, 0, n);
			if (b.size() > MAX_BYTES)
				throw new IOException("the answer is larger than " + MAX_BYTES + " bytes");
		}
		return b.toByteArray();
	}

	private static int indexOf(byte[] a, byte[] pattern) {
		outer: for (int i = 0; i + pattern.length <= a.length; i++) {
			for (int j = 0; j < pattern.length; j++)
				if (a[i + j] != pattern[j])
					continue outer;
			return i;
		}
		return -1;
	}
}
