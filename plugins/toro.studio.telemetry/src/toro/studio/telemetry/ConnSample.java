package toro.studio.telemetry;

/**
 * One TCP slot that is not CLOSED in one sample: a CONN frame (a {@code toro_tcp_conns} entry).
 * Addresses are IPv4 in host order (10.0.2.15 is 0x0A00020F).
 *
 * @param slot          index in {@code toro_tcp_conns}
 * @param state         TCP state
 * @param cpu           core of the thread that owns the socket
 * @param localAddress  local IPv4 address
 * @param remoteAddress remote IPv4 address (0 while listening)
 * @param localPort     local port
 * @param remotePort    remote port (0 while listening)
 * @param rxBytes       payload bytes received
 * @param txBytes       payload bytes sent
 */
public record ConnSample(int slot, TcpState state, int cpu, int localAddress, int remoteAddress, int localPort, int remotePort,
		long rxBytes, long txBytes) {
	/** @return the local end, e.g. "10.0.2.15:80". */
	public String local() {
		return endpoint(localAddress, localPort);
	}

	/** @return the remote end, e.g. "10.0.2.2:40000", or "*" while listening. */
	public String remote() {
		return remoteAddress == 0 && remotePort == 0 ? "*" : endpoint(remoteAddress, remotePort);
	}

	private static String endpoint(int a, int port) {
		return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff) + ":" + port;
	}
}
