package toro.studio.telemetry;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves a copy of one run's telemetry bytes on a Unix socket, so that a tool that did not start
 * the run ({@code toro top --attach}) can watch it. QEMU's COM2 socket takes one client, the
 * run's owner; this is the fan-out. Sockets live in a directory only this user can enter, named
 * after the QEMU pid so that a watcher can also sample the host CPU. A client that cannot keep
 * up is dropped; the source never waits.
 */
public final class TelemetryShare implements AutoCloseable {
	private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
	private final Path path;
	private final ServerSocketChannel server;
	private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();

	private TelemetryShare(Path path, ServerSocketChannel server) {
		this.path = path;
		this.server = server;
		Thread t = new Thread(this::acceptLoop, "toro-telemetry-share");
		t.setDaemon(true);
		t.start();
	}

	/** @return the per-user directory of shared telemetry sockets ($XDG_RUNTIME_DIR/toro, else /tmp/toro-USER). */
	public static Path directory() {
		String runtime = System.getenv("XDG_RUNTIME_DIR");
		if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime)))
			return Path.of(runtime, "toro");
		return Path.of(System.getProperty("java.io.tmpdir"), "toro-" + System.getProperty("user.name"));
	}

	/**
	 * Makes sure that {@code dir} is a directory only this user can enter: creates it with mode 0700
	 * when it is missing, and refuses one that is a symbolic link, belongs to another user or lets
	 * others in. In /tmp another user can create the directory first, and would then read or spoof
	 * every run's telemetry.
	 *
	 * @return dir
	 * @throws IOException saying what is wrong with the directory and what to do
	 */
	public static Path ensurePrivate(Path dir) throws IOException {
		try {
			Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
		} catch (FileAlreadyExistsException e) {
			// checked below, like one we made
		}
		String fix = "; remove it, or set XDG_RUNTIME_DIR to a private directory";
		if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
			throw new IOException(dir + " is not a directory (a symbolic link or a file)" + fix);
		String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
		if (!owner.equals(System.getProperty("user.name")))
			throw new IOException(dir + " belongs to " + owner + ", not to " + System.getProperty("user.name")
					+ ": that user could read or spoof the telemetry shared there" + fix);
		Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
		if (!mode.equals(PRIVATE))
			throw new IOException(dir + " has mode " + PosixFilePermissions.toString(mode)
					+ ", not rwx------: other users could reach the telemetry shared there" + fix);
		return dir;
	}

	/** @return the socket of the run whose QEMU has process id {@code qemuPid}. */
	public static Path socketOf(long qemuPid) {
		return directory().resolve("telemetry-" + qemuPid + ".sock");
	}

	/**
	 * Starts serving for the QEMU with process id {@code qemuPid}.
	 *
	 * @throws IOException when the directory or the socket cannot be created
	 */
	public static TelemetryShare open(long qemuPid) throws IOException {
		ensurePrivate(directory());
		Path p = socketOf(qemuPid);
		Files.deleteIfExists(p); // a pid is unique among live processes: this socket is stale
		ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		s.bind(UnixDomainSocketAddress.of(p));
		return new TelemetryShare(p, s);
	}

	/** @return the QEMU pids of the shared runs whose QEMU is still alive (stale sockets are removed). */
	public static List<Long> running() {
		List<Long> pids = new ArrayList<>();
		if (!Files.isDirectory(directory()))
			return pids;
		try (DirectoryStream<Path> ds = Files.newDirectoryStream(ensurePrivate(directory()), "telemetry-*.sock")) {
			for (Path p : ds) {
				String n = p.getFileName().toString();
				long pid = Long.parseLong(n.substring("telemetry-".length(), n.length() - ".sock".length()));
				if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
					pids.add(pid);
				else
					Files.deleteIfExists(p);
			}
		} catch (IOException | NumberFormatException e) {
			// a directory that is not ours, or a foreign file: nothing shared that can be trusted
		}
		pids.sort(null);
		return pids;
	}

	/** @return a blocking connection to the shared telemetry of {@code qemuPid}. */
	public static SocketChannel connect(long qemuPid) throws IOException {
		ensurePrivate(directory());
		SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
		ch.connect(UnixDomainSocketAddress.of(socketOf(qemuPid)));
		return ch;
	}

	/** Sends bytes to every client; one whose socket buffer is full is dropped. */
	public void feed(byte[] b, int off, int len) {
		for (SocketChannel c : clients) {
			try {
				ByteBuffer buf = ByteBuffer.wrap(b, off, len);
				c.write(buf);
				if (buf.hasRemaining())
					drop(c);
			} catch (IOException e) {
				drop(c);
			}
		}
	}

	/** @return how many clients are connected. */
	public int clients() {
		return clients.size();
	}

	private void acceptLoop() {
		try {
			while (server.isOpen()) {
				SocketChannel c = server.accept();
				c.configureBlocking(false);
				clients.add(c);
			}
		} catch (IOException e) {
			// closed: the run is over
		}
	}

	private void drop(SocketChannel c) {
		clients.remove(c);
		try {
			c.close();
		} catch (IOException e) {
			// already closed by the peer
		}
	}

	/** Stops serving, disconnects every client and removes the socket. */
	@Override
	public void close() {
		try {
			server.close();
			Files.deleteIfExists(path);
		} catch (IOException e) {
			// the socket file is gone already
		}
		clients.forEach(this::drop);
	}
}
