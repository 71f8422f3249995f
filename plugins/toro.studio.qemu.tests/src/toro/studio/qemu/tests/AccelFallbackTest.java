package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import toro.studio.qemu.Accel;
import toro.studio.qemu.KvmUnusableException;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;

/**
 * KVM that cannot be used: AUTO falls back to TCG and says why, an explicit KVM is refused with the
 * cause and the way out. "QEMU refuses KVM" (a nested hypervisor lacking a feature) cannot be made
 * to happen on demand, so a stand-in in front of the real QEMU prints QEMU's own refusal line
 * ("failed to initialize kvm") and exits 1 whenever it is asked for {@code -accel kvm}; with
 * {@code -accel tcg} it runs the real QEMU, and the real kernel boots.
 */
class AccelFallbackTest {
	private static Path refusesKvm;

	@BeforeAll
	static void standIn() throws Exception {
		refusesKvm = Files.createTempFile("qemu-refuses-kvm", ".sh",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Files.writeString(refusesKvm, """
				#!/bin/sh
				prev=
				for a in "$@"; do
					if [ "$prev" = -accel ] && [ "$a" = kvm ]; then
						echo "qemu-system-x86_64: -accel kvm: failed to initialize kvm: Operation not permitted" >&2
						exit 1
					fi
					prev=$a
				done
				exec qemu-system-x86_64 "$@"
				""");
	}

	@AfterAll
	static void removeStandIn() throws Exception {
		Files.deleteIfExists(refusesKvm);
	}

	private static QemuConfig config(Accel a) throws Exception {
		return QemuConfig.defaults(Images.of("toro")).withQemu(refusesKvm).withAccel(a);
	}

	/** AUTO where KVM is refused (by QEMU here, or by a missing /dev/kvm elsewhere): TCG, with the reason, and it boots. */
	@Test
	void autoFallsBackToTcgAndSaysWhy() throws Exception {
		try (QemuProcess q = QemuProcess.start(config(Accel.AUTO))) {
			assertEquals(Accel.TCG, q.config().accel());
			String note = q.accelNote();
			assertTrue(note != null && (Accel.detect() == Accel.KVM ? note.contains("failed to initialize kvm") && note.endsWith("it uses TCG")
					: note.contains("QEMU uses TCG")), String.valueOf(note));
			List<String> lines = new CopyOnWriteArrayList<>();
			assertTrue(QemuBootTest.watchConsole(q, lines, "toro: ready").await(60, TimeUnit.SECONDS), "no 'toro: ready' under TCG: " + lines);
		}
	}

	/** An explicit KVM that cannot be had: one message with the cause and the way out, nothing left running. */
	@Test
	void explicitKvmIsRefusedWithTheCause() throws Exception {
		KvmUnusableException e = assertThrows(KvmUnusableException.class, () -> QemuProcess.start(config(Accel.KVM)));
		assertTrue(e.getMessage().startsWith("--accel kvm was asked for, but ") && e.getMessage().contains("--accel tcg"), e.getMessage());
		if (Accel.detect() == Accel.KVM)
			assertTrue(e.getMessage().contains("failed to initialize kvm: Operation not permitted"), e.getMessage());
		assertEquals(List.of(), ProcessHandle.allProcesses().filter(h -> Procs.cmdline(h.pid()).contains(refusesKvm.toString())).toList(),
				"nothing left running");
	}

	/** A usable KVM is what AUTO takes, with no note (only where /dev/kvm opens). */
	@Test
	void autoTakesAUsableKvmSilently() throws Exception {
		assumeTrue(Accel.detect() == Accel.KVM, Accel.kvmStatus());
		try (QemuProcess q = QemuProcess.start(QemuConfig.defaults(Images.of("toro")).withAccel(Accel.AUTO))) {
			assertEquals(Accel.KVM, q.config().accel());
			assertEquals(null, q.accelNote());
		}
	}
}
