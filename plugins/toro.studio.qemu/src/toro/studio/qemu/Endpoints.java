package toro.studio.qemu;

import java.nio.file.Path;

/**
 * Where one QEMU's streams meet the host: three Unix sockets in a private directory (mode 0700),
 * an optional GDB stub (a fourth socket there, or on request a port on 127.0.0.1), and the file
 * that {@code -D} writes.
 *
 * Unix sockets rather than TCP: nothing is reachable from the network or by other users, no port
 * can be taken between allocation and use, and {@code server=on,wait=on} makes QEMU wait for our
 * connection before the guest runs, so not one console or telemetry byte is lost.
 *
 * @param dir       the private directory holding everything below
 * @param console   COM1
 * @param telemetry COM2
 * @param qmp       the QMP monitor
 * @param gdb       the GDB stub, or null for none
 * @param debugLog  the {@code -D} log file (used only when asked why the guest died)
 */
public record Endpoints(Path dir, Path console, Path telemetry, Path qmp, GdbStub gdb, Path debugLog) {

	/**
	 * @param gdbTcpPort -1 for no stub, 0 for a stub on the Unix socket {@code dir/gdb.sock}, a
	 *                   positive port for a stub on 127.0.0.1:PORT
	 * @return the endpoints inside {@code dir}
	 */
	public static Endpoints in(Path dir, int gdbTcpPort) {
		GdbStub gdb = gdbTcpPort < 0 ? null : gdbTcpPort == 0 ? GdbStub.unix(dir.resolve("gdb.sock")) : GdbStub.tcp(gdbTcpPort);
		return new Endpoints(dir, dir.resolve("com1.sock"), dir.resolve("com2.sock"), dir.resolve("qmp.sock"), gdb,
				dir.resolve("qemu-debug.log"));
	}
}
