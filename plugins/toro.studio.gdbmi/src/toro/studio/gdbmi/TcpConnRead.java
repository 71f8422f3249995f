package toro.studio.gdbmi;

/**
 * One used slot of the kernel's {@code toro_tcp_conns[]} (state not CLOSED), read while the target is stopped.
 * {@code state} uses the telemetry wire values (TCPS_*: 1 LISTEN .. 10 TIME_WAIT); addresses are IPv4 in host order.
 */
public record TcpConnRead(int slot, int state, int cpu, int localAddress, int remoteAddress, int localPort, int remotePort,
		long rxBytes, long txBytes) {
}
