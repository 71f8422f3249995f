package toro.studio.telemetry;

import java.io.IOException;
import java.io.InputStream;

/** Feeds a telemetry stream to a decoder (or any byte sink) on a daemon thread until the stream ends. */
public final class TelemetryPump {
	/** Takes bytes as they arrive, e.g. {@link TelemetryDecoder#feed} or {@link TelemetryShare#feed}. */
	@FunctionalInterface
	public interface Sink {
		void feed(byte[] b, int off, int len);
	}

	private TelemetryPump() {
	}

	/** {@link #start(InputStream, Sink, Runnable)} into a decoder. */
	public static Thread start(InputStream in, TelemetryDecoder decoder, Runnable onEnd) {
		return start(in, (Sink) decoder::feed, onEnd);
	}

	/**
	 * Starts reading {@code in} into {@code sink}; the thread ends at end of stream or on a read
	 * error (QEMU gone), after calling {@code onEnd} (may be null).
	 *
	 * @return the started thread
	 */
	public static Thread start(InputStream in, Sink sink, Runnable onEnd) {
		Thread t = new Thread(() -> {
			byte[] b = new byte[8192];
			try {
				for (int n; (n = in.read(b, 0, b.length)) >= 0;)
					sink.feed(b, 0, n);
			} catch (IOException e) {
				// the stream closed under us: that is its end
			} finally {
				if (onEnd != null)
					onEnd.run();
			}
		}, "toro-telemetry");
		t.setDaemon(true);
		t.start();
		return t;
	}
}
