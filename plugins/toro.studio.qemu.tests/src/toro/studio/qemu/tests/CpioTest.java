package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.guest.Cpio;

/**
 * The newc writer read back by a parser of the format written from its description (magic 070701,
 * thirteen 8-digit hex fields, name and data each padded to 4 bytes, a TRAILER!!! entry). The
 * kernel's own reading of it is {@link LinuxGuestTest}, and busybox cpio's listing is there too.
 */
class CpioTest {
	/** One entry as the parser reads it. */
	record Entry(String name, int ino, int mode, int uid, int gid, int nlink, int mtime, byte[] data) {
	}

	@Test
	void entriesReadBackWithTheirParentsFirstAndATrailer() throws IOException {
		byte[] five = { 1, 2, 3, 4, 5 };
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (Cpio c = new Cpio(out)) {
			c.file("www/bytes/5", 0644, five);
			c.symlink("bin/sh", "busybox");
			c.directory("www", 0755);
			c.file("init", 0755, new byte[0]);
		}
		List<Entry> e = parse(out.toByteArray());
		assertEquals(List.of("www", "www/bytes", "www/bytes/5", "bin", "bin/sh", "init", "TRAILER!!!"), e.stream().map(Entry::name).toList(),
				"the missing parents come first, a directory is written once");
		assertEquals(0040755, e.get(0).mode());
		assertEquals(2, e.get(0).nlink());
		assertEquals(0100644, e.get(2).mode());
		assertArrayEquals(five, e.get(2).data());
		assertEquals(0120777, e.get(4).mode());
		assertEquals("busybox", new String(e.get(4).data(), StandardCharsets.UTF_8));
		assertEquals(0100755, e.get(5).mode());
		assertEquals(0, e.get(5).data().length);
		assertEquals(List.of(1, 2, 3, 4, 5, 6), e.subList(0, 6).stream().map(Entry::ino).toList(), "each entry its own inode");
		for (Entry x : e) {
			assertEquals(0, x.uid() + x.gid() + x.mtime(), "root-owned, mtime 0: " + x.name());
		}
		assertEquals(0, out.size() % 4);
	}

	@Test
	void theSameEntriesGiveTheSameBytes() throws IOException {
		assertArrayEquals(sample(), sample());
	}

	@Test
	void absolutePathsAndTheTrailerNameAreRefused() {
		Cpio c = new Cpio(new ByteArrayOutputStream());
		assertThrows(IllegalArgumentException.class, () -> c.file("/init", 0755, new byte[0]));
		assertThrows(IllegalArgumentException.class, () -> c.directory("www/", 0755));
		assertThrows(IllegalArgumentException.class, () -> c.symlink("TRAILER!!!", "x"));
	}

	private static byte[] sample() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (Cpio c = new Cpio(out)) {
			c.file("a/b", 0600, "abc".getBytes(StandardCharsets.US_ASCII));
		}
		return out.toByteArray();
	}

	/** Reads a whole newc archive, checking the magic, the padding and that the trailer ends it. */
	static List<Entry> parse(byte[] a) {
		List<Entry> entries = new ArrayList<>();
		int at = 0;
		while (true) {
			assertEquals("070701", new String(a, at, 6, StandardCharsets.US_ASCII), "magic at " + at);
			int[] f = new int[13];
			for (int i = 0; i < 13; i++)
				f[i] = (int) Long.parseLong(new String(a, at + 6 + 8 * i, 8, StandardCharsets.US_ASCII), 16);
			int nameSize = f[11];
			String name = new String(a, at + 110, nameSize - 1, StandardCharsets.UTF_8);
			assertEquals(0, a[at + 110 + nameSize - 1], "the name ends in NUL");
			int data = align(at + 110 + nameSize);
			byte[] body = Arrays.copyOfRange(a, data, data + f[6]);
			entries.add(new Entry(name, f[0], f[1], f[2], f[3], f[4], f[5], body));
			at = align(data + f[6]);
			if (name.equals("TRAILER!!!")) {
				assertEquals(a.length, at, "nothing after the trailer");
				return entries;
			}
		}
	}

	private static int align(int n) {
		return (n + 3) & ~3;
	}
}
