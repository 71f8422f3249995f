package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.QemuDebugSession;
import toro.studio.qemu.Accel;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;

/** The shared QEMU + gdb session of toro debug and the IDE: real QEMU (TCG), real gdb. */
class QemuDebugSessionTest {

	private static QemuProcess qemu() throws Exception {
		return QemuProcess.start(QemuConfig.defaults(TestKernel.image("debug")).withAccel(Accel.TCG).withCpus(2).withGdbStub(true));
	}

	/**
	 * Closing a session stopped at a breakpoint ends QEMU before gdb: gdb is still running when QEMU is
	 * already gone, so its detach can never let the stopped kernel run on.
	 */
	@Test
	void closeEndsQemuFirstThenGdb() throws Exception {
		try (QemuProcess q = qemu()) {
			GdbSession gdb = GdbSession.start(Path.of("gdb"), TestKernel.image("debug"));
			ProcessHandle gdbProcess = ProcessHandle.of(gdb.pid()).orElseThrow();
			ProcessHandle qemuProcess = ProcessHandle.of(q.pid()).orElseThrow();
			QemuDebugSession s = QemuDebugSession.attach(q, gdb, Duration.ofSeconds(20), false);
			assertFalse(s.gdb().breakpointsInDebugRegisters(), "TCG keeps software breakpoints");
			s.gdb().insertBreakpoint(BreakpointSpec.at("kmain"));
			s.gdb().cont();
			s.gdb().waitForStop(Duration.ofSeconds(60));
			CompletableFuture<Boolean> gdbAliveWhenQemuEnded = qemuProcess.onExit().thenApply(h -> gdbProcess.isAlive());
			s.close();
			assertTrue(gdbAliveWhenQemuEnded.get(10, TimeUnit.SECONDS), "QEMU ended after gdb");
			assertTrue(gdbProcess.onExit().get(10, TimeUnit.SECONDS) != null && !gdbProcess.isAlive(), "gdb still runs");
			s.close(); // idempotent
		}
	}

	/** A stub that does not answer: attach fails with gdb's reason and ends both processes. */
	@Test
	void aFailedAttachEndsBoth() throws Exception {
		try (QemuProcess q = qemu()) {
			GdbSession gdb = GdbSession.start(Path.of("gdb"), TestKernel.image("debug"));
			ProcessHandle gdbProcess = ProcessHandle.of(gdb.pid()).orElseThrow();
			q.stop(); // nothing listens on the stub any more
			assertThrows(GdbException.class, () -> QemuDebugSession.attach(q, gdb, Duration.ofSeconds(5), false));
			assertTrue(gdbProcess.onExit().get(10, TimeUnit.SECONDS) != null && !gdbProcess.isAlive(), "gdb still runs");
			assertFalse(q.isAlive());
		}
	}
}
