package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.RunState;

/** Starting real gdb, and the clear errors when it cannot start or load, or nothing listens. */
class SessionStartTest {
	@Test
	void missingGdbSaysHowToGetOne() {
		GdbException e = assertThrows(GdbException.class, () -> GdbSession.start(Path.of("/nonexistent/gdb"), Path.of("/etc/hostname")));
		assertTrue(e.getMessage().startsWith("cannot start /nonexistent/gdb") && e.getMessage().contains("install gdb"), e.getMessage());
	}

	@Test
	void missingImageSaysToBuildIt() {
		GdbException e = assertThrows(GdbException.class, () -> GdbSession.start(Path.of("gdb"), Path.of("/nonexistent/toro.elf")));
		assertTrue(e.getMessage().contains("does not exist; build it first"), e.getMessage());
	}

	@Test
	void aFileThatIsNotAnImageIsRefusedByGdb() {
		GdbException e = assertThrows(GdbException.class, () -> GdbSession.start(Path.of("gdb"), Path.of("/etc/hostname")));
		assertTrue(e.getMessage().startsWith("gdb cannot load /etc/hostname: ") && e.getMessage().contains("format"), e.getMessage());
	}

	@Test
	void connectingWhereNothingListensIsAClearError() throws Exception {
		try (GdbSession g = GdbSession.start(Path.of("gdb"), TestKernel.image("debug"))) {
			assertEquals(RunState.DISCONNECTED, g.state());
			GdbException e = assertThrows(GdbException.class, () -> g.connect("127.0.0.1:1", Duration.ofSeconds(2)));
			assertTrue(e.getMessage().contains("cannot connect to the gdb stub at 127.0.0.1:1") && e.getMessage().contains("is QEMU running"),
					e.getMessage());
			GdbException none = assertThrows(GdbException.class, () -> g.connect("/nonexistent/gdb.sock", Duration.ofSeconds(2)));
			assertTrue(none.getMessage().startsWith("cannot connect to the gdb stub at /nonexistent/gdb.sock: "), none.getMessage());
			GdbException blank = assertThrows(GdbException.class, () -> g.connect("/tmp/a b/gdb.sock", Duration.ofSeconds(2)));
			assertTrue(blank.getMessage().contains("no blank"), blank.getMessage());
			assertThrows(GdbException.class, g::cont, "no target: no resume");
		}
	}
}
