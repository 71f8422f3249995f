package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.KvmInternalError;

/**
 * QEMU's "KVM internal error" report, as QEMU 7.2 wrote it on this project's nested KVM host when
 * the guest ran gdb's int3 at kmain (resources/kvm-internal-error-int3.stderr, captured by hand:
 * qemu -accel kvm -S with a gdb stub, gdb 'break kmain', 'continue').
 */
class KvmInternalErrorTest {

	private static String captured() throws Exception {
		try (InputStream in = KvmInternalErrorTest.class.getClassLoader().getResourceAsStream("resources/kvm-internal-error-int3.stderr")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void theCapturedReportIsRead() throws Exception {
		KvmInternalError k = KvmInternalError.find(captured());
		assertEquals("1", k.suberror());
		assertEquals("emulation failure", k.kind());
		assertEquals("0x103c25", k.rip());
		assertEquals("KVM internal error (suberror 1, emulation failure) at RIP=0x103c25", k.summary());
		assertTrue(k.report().get(0).startsWith("KVM internal error."), k.report().toString());
		assertTrue(k.report().get(k.report().size() - 1).startsWith("Code="), "the dump ends at Code=");
		assertFalse(k.report().stream().anyMatch(l -> l.startsWith("qemu-system")), "QEMU's own later lines are not part of it");
	}

	/** However QEMU ended afterwards (here our SIGTERM), the run is a crash that names the error. */
	@Test
	void theExitStatusIsACrashThatSaysWhy() throws Exception {
		ExitStatus s = ExitStatus.of(0, true, captured());
		assertTrue(s.crashed() && !s.killed(), s.toString());
		assertTrue(s.detail().startsWith("KVM internal error (suberror 1, emulation failure) at RIP=0x103c25; ") && s.detail().contains("--accel tcg"),
				s.detail());
	}

	@Test
	void stderrWithoutAReportHasNone() {
		assertNull(KvmInternalError.find("qemu-system-x86_64: warning: host doesn't support requested feature\n"));
		assertNull(KvmInternalError.find(""));
	}
}
