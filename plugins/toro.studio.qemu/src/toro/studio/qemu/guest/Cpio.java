package toro.studio.qemu.guest;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A writer of the "newc" cpio format (magic 070701), the one the Linux kernel unpacks as an
 * initramfs: per entry a 110-byte ASCII header of thirteen 8-digit hex fields, the NUL-terminated
 * name padded to 4 bytes, then the data padded to 4 bytes; a "TRAILER!!!" entry ends the archive.
 * Entries are owned by root, with mtime 0, so the same input gives the same bytes.
 * <p>
 * The kernel creates no parent directories while unpacking, so every entry's missing parents are
 * written (mode 0755) before it.
 */
public final class Cpio implements Closeable {
	/** The file-type bits of a mode. */
	static final int DIRECTORY = 0040000, REGULAR = 0100000, SYMLINK = 0120000;

	private final OutputStream out;
	private final Set<String> directories = new HashSet<>();
	private int inode = 1;
	private boolean closed;

	/** @param out where the archive goes; closed by {@link #close()} */
	public Cpio(OutputStream out) {
		this.out = out;
	}

	/**
	 * Adds a directory (and its missing parents); a directory already written is not written again.
	 *
	 * @param path relative, '/'-separated, e.g. "www/bytes"
	 * @param perm permission bits, e.g. 0755
	 */
	public void directory(String path, int perm) throws IOException {
		checked(path);
		if (directories.contains(path))
			return;
		parents(path);
		entry(path, DIRECTORY | perm, 2, new byte[0]);
		directories.add(path);
	}

	/**
	 * Adds a regular file with exactly {@code data} (and its missing parents).
	 *
	 * @param path relative, e.g. "bin/busybox"
	 * @param perm permission bits, e.g. 0755
	 */
	public void file(String path, int perm, byte[] data) throws IOException {
		checked(path);
		parents(path);
		entry(path, REGULAR | perm, 1, data);
	}

	/**
	 * Adds a symbolic link (and its missing parents).
	 *
	 * @param path   relative, e.g. "bin/sh"
	 * @param target what the link points to, e.g. "busybox"
	 */
	public void symlink(String path, String target) throws IOException {
		checked(path);
		parents(path);
		entry(path, SYMLINK | 0777, 1, target.getBytes(StandardCharsets.UTF_8));
	}

	/** Writes the trailer and closes the stream. */
	@Override
	public void close() throws IOException {
		if (closed)
			return;
		try (out) {
			entry("TRAILER!!!", 0, 1, new byte[0]);
		} finally {
			closed = true;
		}
	}

	private void parents(String path) throws IOException {
		int slash = path.lastIndexOf('/');
		if (slash > 0)
			directory(path.substring(0, slash), 0755);
	}

	private void entry(String name, int mode, int links, byte[] data) throws IOException {
		if (closed)
			throw new IOException("the archive is closed");
		byte[] n = name.getBytes(StandardCharsets.UTF_8);
		StringBuilder h = new StringBuilder("070701");
		int[] fields = { name.equals("TRAILER!!!") ? 0 : inode++, mode, 0, 0, links, 0, data.length, 0, 0, 0, 0, n.length + 1, 0 };
		for (int f : fields)
			h.append(String.format("%08X", f));
		out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
		out.write(n);
		out.write(0);
		pad(110 + n.length + 1);
		out.write(data);
		pad(data.length);
	}

	/** Pads with NULs to the next multiple of 4 after {@code written} bytes. */
	private void pad(long written) throws IOException {
		for (long i = written; i % 4 != 0; i++)
			out.write(0);
	}

	private static void checked(String path) {
		if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.equals("TRAILER!!!"))
			throw new IllegalArgumentException("'" + path + "' is not a relative archive path such as bin/busybox");
	}
}
