package toro.studio.qemu.tests;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import toro.studio.qemu.Ports;

/**
 * A bad Ethernet cable between two QEMU socket netdevs on 127.0.0.1 (each frame one UDP datagram):
 * in each direction it drops a share of the frames and swaps a share of them with the frame that
 * follows. Seeded, so a failing run can be replayed; counters say what it did.
 *
 * <pre>
 *   guest QEMU  --udp-->  [a]  --loss, reorder-->  hub QEMU (port hubPort)
 *   guest QEMU  <--udp--  [b]  <--loss, reorder--  hub QEMU
 * </pre>
 * The guest sends to {@link #guestSide()} and listens on the port given to {@link #start}; the hub
 * sends to {@link #hubSide()} and listens on its own.
 */
final class LossyWire implements AutoCloseable {
	final AtomicLong frames = new AtomicLong(), dropped = new AtomicLong(), swapped = new AtomicLong();
	private final DatagramSocket a, b;
	private final double loss, reorder;
	private final long seed;
	private volatile boolean closed;

	/** A wire that loses {@code loss} and swaps {@code reorder} of the frames in each direction. */
	LossyWire(double loss, double reorder, long seed) throws SocketException {
		this.loss = loss;
		this.reorder = reorder;
		this.seed = seed;
		a = new DatagramSocket(new InetSocketAddress(Ports.loopback(), 0));
		b = new DatagramSocket(new InetSocketAddress(Ports.loopback(), 0));
	}

	/** The port the guest's QEMU sends its frames to. */
	int guestSide() {
		return a.getLocalPort();
	}

	/** The port the hub's QEMU sends its frames to. */
	int hubSide() {
		return b.getLocalPort();
	}

	/** Starts carrying frames: the guest's to 127.0.0.1:{@code hubPort}, the hub's to 127.0.0.1:{@code guestPort}. */
	void start(int guestPort, int hubPort) {
		carry(a, b, hubPort, new Random(seed), "guest to hub");
		carry(b, a, guestPort, new Random(seed + 1), "hub to guest");
	}

	private void carry(DatagramSocket from, DatagramSocket via, int toPort, Random random, String name) {
		Thread t = new Thread(() -> {
			InetSocketAddress to = new InetSocketAddress(Ports.loopback(), toPort);
			byte[] buf = new byte[65536];
			DatagramPacket held = null;
			try {
				while (!closed) {
					DatagramPacket p = new DatagramPacket(buf, buf.length);
					from.receive(p);
					frames.incrementAndGet();
					if (random.nextDouble() < loss) {
						dropped.incrementAndGet();
						continue;
					}
					DatagramPacket out = new DatagramPacket(p.getData().clone(), p.getLength(), to);
					if (held == null && random.nextDouble() < reorder) {
						held = out; // goes out after the next frame
						swapped.incrementAndGet();
						continue;
					}
					via.send(out);
					if (held != null) {
						via.send(held);
						held = null;
					}
				}
			} catch (IOException e) {
				// closed
			}
		}, "lossy wire, " + name);
		t.setDaemon(true);
		t.start();
	}

	@Override
	public void close() {
		closed = true;
		a.close();
		b.close();
	}

	@Override
	public String toString() {
		return frames + " frames, " + dropped + " dropped, " + swapped + " swapped";
	}
}
