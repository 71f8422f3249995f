package toro.studio.qemu;

import java.util.Locale;

/**
 * One port forward of QEMU user networking: connections to 127.0.0.1:{@code hostPort} on the host
 * reach the guest's {@code guestPort}. The host side is always the loopback address; there is no way
 * to name another.
 *
 * @param protocol  tcp or udp
 * @param hostPort  1-65535, or 0 for a free loopback port chosen when QEMU starts
 * @param guestPort 1-65535
 */
public record Forward(Protocol protocol, int hostPort, int guestPort) {

	/** The transport of a forward. */
	public enum Protocol {
		TCP, UDP;

		/** @return the name QEMU's hostfwd rule uses: tcp or udp. */
		public String qemuName() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** Checks the ports; the message names the one that is wrong. */
	public Forward {
		if (protocol == null)
			throw new IllegalArgumentException("a port forward needs a protocol (tcp or udp)");
		if (hostPort < 0 || hostPort > 65535)
			throw new IllegalArgumentException("host port " + hostPort + " is out of range; use 1 to 65535, or 0 for a free port");
		if (guestPort < 1 || guestPort > 65535)
			throw new IllegalArgumentException("guest port " + guestPort + " is out of range; use 1 to 65535");
	}

	/** @return a TCP forward from 127.0.0.1:{@code hostPort} to the guest's {@code guestPort}. */
	public static Forward tcp(int hostPort, int guestPort) {
		return new Forward(Protocol.TCP, hostPort, guestPort);
	}

	/**
	 * Parses {@code HOSTPORT:GUESTPORT}, optionally prefixed {@code tcp:} (the default) or {@code udp:}.
	 *
	 * @throws IllegalArgumentException saying what the value should look like
	 */
	public static Forward parse(String text) {
		String s = text.trim();
		Protocol p = Protocol.TCP;
		String lower = s.toLowerCase(Locale.ROOT);
		if (lower.startsWith("tcp:") || lower.startsWith("udp:")) {
			p = Protocol.valueOf(lower.substring(0, 3).toUpperCase(Locale.ROOT));
			s = s.substring(4);
		}
		int colon = s.indexOf(':');
		if (colon < 0 || s.indexOf(':', colon + 1) >= 0)
			throw new IllegalArgumentException("port forward '" + text + "' is not HOSTPORT:GUESTPORT (e.g. 8080:80, 0:80, udp:5353:53)");
		return new Forward(p, port(s.substring(0, colon), text), port(s.substring(colon + 1), text));
	}

	private static int port(String digits, String text) {
		try {
			return Integer.parseInt(digits.trim());
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("port forward '" + text + "': '" + digits + "' is not a port number; write HOSTPORT:GUESTPORT, e.g. 8080:80");
		}
	}

	/** @return this forward with the host port {@code port} (used to fill in a port 0). */
	public Forward withHostPort(int port) {
		return new Forward(protocol, port, guestPort);
	}

	/** @return QEMU's hostfwd rule, bound to 127.0.0.1: {@code tcp:127.0.0.1:8080-:80}. */
	public String hostfwd() {
		return protocol.qemuName() + ":127.0.0.1:" + hostPort + "-:" + guestPort;
	}

	/** @return the forward as a user writes it: {@code 8080:80}, {@code udp:5353:53}. */
	@Override
	public String toString() {
		return (protocol == Protocol.TCP ? "" : "udp:") + hostPort + ":" + guestPort;
	}
}
