package toro.studio.qemu;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP and UDP ports on the loopback interface only. */
public final class Ports {
	private Ports() {
	}

	/** @return the loopback address, 127.0.0.1. */
	public static InetAddress loopback() {
		return InetAddress.getLoopbackAddress();
	}

	/**
	 * @return a port on 127.0.0.1 that was free a moment ago (the kernel's choice for port 0).
	 *         Another process may take it before QEMU binds it; {@link QemuProcess} then retries.
	 * @throws QemuException if no port can be bound at all
	 */
	public static int freeLoopbackPort() throws QemuException {
		try (ServerSocket s = new ServerSocket()) {
			s.setReuseAddress(false);
			s.bind(new InetSocketAddress(loopback(), 0));
			return s.getLocalPort();
		} catch (IOException e) {
			throw new QemuException("cannot find a free TCP port on 127.0.0.1: " + e.getMessage(), e);
		}
	}

	/**
	 * @return a UDP port on 127.0.0.1 that was free a moment ago, for a udp port forward
	 * @throws QemuException if no port can be bound at all
	 */
	public static int freeLoopbackUdpPort() throws QemuException {
		try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback(), 0))) {
			return s.getLocalPort();
		} catch (IOException e) {
			throw new QemuException("cannot find a free UDP port on 127.0.0.1: " + e.getMessage(), e);
		}
	}

	/** @return whether a UDP socket is bound on 127.0.0.1:{@code port}. */
	public static boolean udpInUse(int port) {
		try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback(), port))) {
			return false;
		} catch (IOException e) {
			return true;
		}
	}

	/** @return whether something is listening, or bound, on 127.0.0.1:{@code port}. */
	public static boolean inUse(int port) {
		try (ServerSocket s = new ServerSocket()) {
			s.setReuseAddress(false);
			s.bind(new InetSocketAddress(loopback(), port));
			return false;
		} catch (IOException e) {
			return true;
		}
	}
}
