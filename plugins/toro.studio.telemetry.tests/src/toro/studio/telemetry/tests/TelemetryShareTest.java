package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import toro.studio.telemetry.TelemetryShare;

class TelemetryShareTest {
	/** Stands in for a QEMU pid: this JVM is alive, so the share counts as running. */
	static final long PID = ProcessHandle.current().pid();

	@Test
	void everyClientGetsTheBytesAndCloseRemovesTheSocket() throws Exception {
		byte[] data = new Frames().hello(2, 10, 1000, "v").sampleEnd(0, 0, 0).bytes();
		try (TelemetryShare share = TelemetryShare.open(PID); SocketChannel a = TelemetryShare.connect(PID);
				SocketChannel b = TelemetryShare.connect(PID)) {
			assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(TelemetryShare.directory())));
			assertTrue(TelemetryShare.running().contains(PID));
			for (int i = 0; i < 100 && share.clients() < 2; i++)
				Thread.sleep(10);
			assertEquals(2, share.clients());
			share.feed(data, 0, data.length);
			for (SocketChannel c : new SocketChannel[] { a, b }) {
				InputStream in = Channels.newInputStream(c);
				assertArrayEquals(data, in.readNBytes(data.length));
			}
		}
		assertFalse(Files.exists(TelemetryShare.socketOf(PID)));
		assertFalse(TelemetryShare.running().contains(PID));
	}

	@Test
	void aClientThatDoesNotReadIsDroppedNotWaitedFor() throws Exception {
		try (TelemetryShare share = TelemetryShare.open(PID); SocketChannel idle = TelemetryShare.connect(PID)) {
			for (int i = 0; i < 100 && share.clients() < 1; i++)
				Thread.sleep(10);
			byte[] chunk = new byte[64 * 1024];
			long t0 = System.nanoTime();
			for (int i = 0; i < 200 && share.clients() > 0; i++)
				share.feed(chunk, 0, chunk.length);
			assertEquals(0, share.clients(), "the reader that never reads is dropped once its buffer is full");
			assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
		}
	}

	@Test
	void aMissingDirectoryIsCreatedPrivateAndAnOpenOneIsRefused(@TempDir Path tmp) throws Exception {
		Path fresh = TelemetryShare.ensurePrivate(tmp.resolve("toro-me"));
		assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
		assertEquals(fresh, TelemetryShare.ensurePrivate(fresh), "our own 0700 directory is accepted");

		Path open = Files.createDirectory(tmp.resolve("toro-open"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
		IOException e = assertThrows(IOException.class, () -> TelemetryShare.ensurePrivate(open));
		assertTrue(e.getMessage().contains("rwxrwxrwx") && e.getMessage().contains("XDG_RUNTIME_DIR"), e.getMessage());

		Path link = Files.createSymbolicLink(tmp.resolve("toro-link"), fresh);
		e = assertThrows(IOException.class, () -> TelemetryShare.ensurePrivate(link));
		assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
	}

	@Test
	void aDirectoryOfAnotherUserIsRefused(@TempDir Path tmp) throws Exception {
		Path theirs = TelemetryShare.ensurePrivate(tmp.resolve("toro-theirs"));
		UserPrincipal nobody;
		try {
			nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
			Files.setOwner(theirs, nobody);
		} catch (IOException notRoot) {
			org.junit.jupiter.api.Assumptions.abort("giving a directory to another user needs root: " + notRoot);
			return;
		}
		IOException e = assertThrows(IOException.class, () -> TelemetryShare.ensurePrivate(theirs));
		assertTrue(e.getMessage().contains("belongs to nobody"), e.getMessage());
	}
}
