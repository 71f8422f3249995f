package toro.studio.launch;

import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.QemuProcess;

/** The message the console shows when QEMU ends: the guest's verdict, or what went wrong. */
final class ExitReport {
	private ExitReport() {
	}

	/** Describes how QEMU ended; on a crash, adds QEMU's own output (its log). */
	static String describe(ExitStatus s, Throwable failure, QemuProcess qemu, boolean whyDidItDie) {
		if (s == null)
			return "\n[toro] Lost track of QEMU: " + failure + "\n";
		StringBuilder b = new StringBuilder("\n[toro] ");
		if (s.guestValue() != null) {
			b.append("The kernel exited with value ").append(s.guestValue()).append(": ").append(meaning(s.guestValue()));
		} else if (s.killed()) {
			b.append("QEMU was stopped.");
		} else if (s.crashed()) {
			b.append("The kernel crashed (QEMU status ").append(s.qemuStatus())
					.append(": a triple fault or reset under -no-reboot, or QEMU itself failed).");
		} else {
			b.append("QEMU exited with status ").append(s.qemuStatus()).append('.');
		}
		if (s.detail() != null && !s.detail().isBlank())
			b.append("\n[toro] ").append(s.detail().strip());
		if (s.crashed()) {
			String log = qemu.stderr();
			b.append("\n[toro] QEMU's log:\n").append(log == null || log.isBlank() ? "(empty)" : log.strip());
			if (!whyDidItDie)
				b.append("\n[toro] Tick \"Why did it die\" on the QEMU tab to log interrupts and CPU resets next time.");
		}
		return b.append('\n').toString();
	}

	private static String meaning(int v) {
		return switch (v) {
		case 0 -> "success.";
		case 1 -> "tests failed.";
		case 2 -> "kernel panic (see the console above).";
		default -> "unknown value.";
		};
	}
}
