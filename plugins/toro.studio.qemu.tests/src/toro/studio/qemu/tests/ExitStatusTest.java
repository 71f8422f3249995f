package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.ExitStatus;

/** Exit statuses and stderr texts as QEMU 7.2 produced them on this machine. */
class ExitStatusTest {
	static final String WAITING = "qemu-system-x86_64: -chardev socket,id=qmp,path=/tmp/q.sock,server=on,wait=on: info: QEMU waiting for connection on: disconnected:unix:/tmp/q.sock,server=on\n";

	@Test
	void guestValuesComeFromOddStatuses() {
		ExitStatus ok = ExitStatus.of(1, false, WAITING);
		assertEquals(0, ok.guestValue());
		assertTrue(ok.success());
		assertFalse(ok.crashed());
		assertEquals(1, ExitStatus.of(3, false, "").guestValue());
		assertEquals(2, ExitStatus.of(5, false, "").guestValue());
		assertTrue(ExitStatus.of(5, false, "").detail().contains("panic"));
	}

	@Test
	void statusZeroUnaskedIsACrash() {
		ExitStatus s = ExitStatus.of(0, false, WAITING);
		assertTrue(s.crashed());
		assertNull(s.guestValue());
	}

	@Test
	void statusZeroAfterStopOrSignalIsNoCrash() {
		assertTrue(ExitStatus.of(0, true, "").killed());
		ExitStatus term = ExitStatus.of(0, false, "qemu-system-x86_64: terminating on signal 15 from pid 19819 (bash)\n");
		assertTrue(term.killed());
		assertFalse(term.crashed());
		assertTrue(term.detail().contains("signal 15"), term.detail());
	}

	@Test
	void statusOneWithAnErrorIsQemuRefusing() {
		ExitStatus s = ExitStatus.of(1, false, "qemu-system-x86_64: -bogus: invalid option\n");
		assertNull(s.guestValue());
		assertFalse(s.success());
		assertTrue(s.detail().contains("invalid option"), s.detail());
		ExitStatus m = ExitStatus.of(1, false, "qemu-system-x86_64: unsupported machine type\nUse -machine help to list supported machines\n");
		assertTrue(m.detail().contains("unsupported machine type"), m.detail());
	}

	@Test
	void warningsDoNotHideASuccess() {
		assertTrue(ExitStatus.of(1, false, "qemu-system-x86_64: warning: host doesn't support requested feature\n").success());
	}

	@Test
	void signalsAreKills() {
		ExitStatus s = ExitStatus.of(137, false, "");
		assertTrue(s.killed());
		assertNull(s.guestValue());
		assertTrue(s.detail().contains("signal 9"));
	}
}
