package toro.studio.qemu;

import java.nio.file.Path;

/**
 * Where QEMU's GDB stub listens, and what gdb's {@code target remote} is given to reach it.
 *
 * A Unix socket in the run's private directory (mode 0700) by default: only its owner can
 * connect. Whoever reaches the stub also reaches QEMU's human monitor through gdb's
 * {@code monitor} command, and that monitor can write host files and run host commands as the
 * developer. A TCP port on 127.0.0.1 is open to every local user, so it exists only on explicit
 * request, for tools that cannot use a Unix socket (CDT's hardware-debugging launch).
 *
 * @param socket the Unix socket's path, or null for TCP
 * @param port   the TCP port on 127.0.0.1, or -1 for a Unix socket
 */
public record GdbStub(Path socket, int port) {

	public GdbStub {
		if ((socket == null) == (port <= 0))
			throw new IllegalArgumentException("a GDB stub is a Unix socket or a TCP port, exactly one: " + socket + ", " + port);
	}

	/** @return a stub on the Unix socket {@code socket}. */
	public static GdbStub unix(Path socket) {
		return new GdbStub(socket, -1);
	}

	/** @return a stub on 127.0.0.1:{@code port}. */
	public static GdbStub tcp(int port) {
		return new GdbStub(null, port);
	}

	/** @return true when the stub is a TCP port, reachable by every local user. */
	public boolean isTcp() {
		return socket == null;
	}

	/** @return the argument of gdb's {@code target remote}: the socket's path or 127.0.0.1:PORT. */
	public String target() {
		return isTcp() ? "127.0.0.1:" + port : socket.toString();
	}

	/** @return how a person reads it: "the Unix socket PATH" or "127.0.0.1:PORT (TCP)". */
	@Override
	public String toString() {
		return isTcp() ? target() + " (TCP)" : "the Unix socket " + socket;
	}
}
