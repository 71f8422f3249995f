package toro.studio.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Stream views of a connected socket channel that let one thread read while another writes.
 * (The JDK's Channels.newInputStream/newOutputStream take the channel's blocking lock for the
 * whole of a blocking read, so a writer would wait for the next byte QEMU sends.)
 */
final class ChannelStreams {
	private ChannelStreams() {
	}

	/** @return an input stream that reads {@code ch}; -1 at end of stream. */
	static InputStream in(SocketChannel ch) {
		return new InputStream() {
			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				int n = read(one, 0, 1);
				return n < 0 ? -1 : one[0] & 0xff;
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (len == 0)
					return 0;
				return ch.read(ByteBuffer.wrap(b, off, len));
			}

			@Override
			public void close() throws IOException {
				ch.shutdownInput();
			}
		};
	}

	/** @return an output stream that writes all of each buffer to {@code ch}. */
	static OutputStream out(SocketChannel ch) {
		return new OutputStream() {
			@Override
			public void write(int b) throws IOException {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				ByteBuffer buf = ByteBuffer.wrap(b, off, len);
				while (buf.hasRemaining())
					ch.write(buf);
			}

			@Override
			public void close() throws IOException {
				if (ch.isOpen())
					ch.shutdownOutput();
			}
		};
	}
}
