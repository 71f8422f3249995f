package toro.studio.telemetry;

/** A TCP connection's state as the kernel reports it (RFC 793's names; wire values 0..10, in this order). */
public enum TcpState {
	CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT;

	private static final TcpState[] WIRE = values();

	/** @return the state for wire value {@code v}, or null when the value is unknown. */
	public static TcpState ofWire(int v) {
		return v >= 0 && v < WIRE.length ? WIRE[v] : null;
	}
}
