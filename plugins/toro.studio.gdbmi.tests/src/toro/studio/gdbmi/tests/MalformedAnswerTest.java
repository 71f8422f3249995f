package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbSession;

/**
 * Answers that parse as MI but do not hold what the command promises: the typed GdbException,
 * never a NullPointerException, NumberFormatException or IllegalArgumentException. Real gdb does
 * not give these on demand, so a stand-in speaks MI: it answers every command ^done, and
 * -thread-info and -data-read-memory-bytes with the malformed payloads below.
 */
class MalformedAnswerTest {
	private static final String STAND_IN = """
			#!/bin/sh
			echo "(gdb)"
			while IFS= read -r line; do
				tok=${line%%-*}
				case "$line" in
				*-thread-info*) echo "$tok^done,threads=[{id=\\"1\\",target-id=\\"Thread 1.1\\",details=\\"CPU#99999999999 [running]\\"}]" ;;
				*-data-read-memory-bytes*) echo "$tok^done,memory=[{begin=\\"0x1000\\",offset=\\"0x0\\",end=\\"0x1004\\",contents=\\"zzzz\\"}]" ;;
				*-gdb-exit*) echo "$tok^exit"; exit 0 ;;
				*) echo "$tok^done" ;;
				esac
				echo "(gdb)"
			done
			""";

	private static GdbSession standIn(Path dir) throws Exception {
		Path gdb = dir.resolve("gdb");
		Files.writeString(gdb, STAND_IN);
		Files.setPosixFilePermissions(gdb, PosixFilePermissions.fromString("rwx------"));
		return GdbSession.start(gdb, TestKernel.image("debug"));
	}

	@Test
	void aCpuNumberPastIntIsAMalformedThreadList(@TempDir Path dir) throws Exception {
		try (GdbSession g = standIn(dir)) {
			GdbException e = assertThrows(GdbException.class, g::threads);
			assertTrue(e.getMessage().startsWith("gdb's answer to -thread-info is malformed"), e.getMessage());
		}
	}

	@Test
	void memoryContentsThatAreNotHexAreMalformed(@TempDir Path dir) throws Exception {
		try (GdbSession g = standIn(dir)) {
			GdbException e = assertThrows(GdbException.class, () -> g.readMemory(0x1000, 4));
			assertTrue(e.getMessage().startsWith("gdb's answer to -data-read-memory-bytes 0x1000 4 is malformed"), e.getMessage());
		}
	}
}
