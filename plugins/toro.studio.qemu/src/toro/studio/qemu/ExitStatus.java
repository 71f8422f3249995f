package toro.studio.qemu;

/**
 * How a QEMU run ended.
 *
 * @param qemuStatus QEMU's own exit status (128+n when a signal n ended it)
 * @param guestValue the value v the guest wrote to isa-debug-exit (QEMU exits (v&lt;&lt;1)|1):
 *                   0 success, 1 tests failed, 2 panic; null when the guest did not exit that way
 * @param crashed    the guest ended QEMU without isa-debug-exit: a triple fault or a reset under
 *                   {@code -no-reboot} (QEMU status 0 that nobody asked for), or a vCPU that KVM
 *                   could not run on ({@link KvmInternalError})
 * @param killed     QEMU was ended from outside: by {@link QemuProcess#stop()} or by a signal
 * @param detail     one line for a person: what happened
 */
public record ExitStatus(int qemuStatus, Integer guestValue, boolean crashed, boolean killed, String detail) {

	/** @return whether the guest reported success (value 0). */
	public boolean success() {
		return guestValue != null && guestValue == 0;
	}

	/**
	 * Interprets QEMU's exit status. Status 1 is both "guest value 0" and "QEMU refused to run";
	 * QEMU's stderr tells them apart (an error line that is not a warning or info).
	 *
	 * @param status        the process exit status
	 * @param stopRequested whether toro asked QEMU to stop (quit or kill)
	 * @param stderr        everything QEMU wrote on stderr
	 */
	public static ExitStatus of(int status, boolean stopRequested, String stderr) {
		KvmInternalError kvm = KvmInternalError.find(stderr);
		if (kvm != null) // QEMU paused the machine; whoever ended QEMU afterwards, the guest crashed here
			return new ExitStatus(status, null, true, false, kvm.summary() + "; " + KvmInternalError.ADVICE);
		String error = QemuStderr.firstError(stderr);
		if (status > 128 && status < 128 + 32)
			return new ExitStatus(status, null, false, true,
					stopRequested ? "QEMU was stopped" : "QEMU was killed by signal " + (status - 128));
		if ((status & 1) == 1 && !(status == 1 && error != null)) {
			int v = status >> 1;
			return new ExitStatus(status, v, false, false, "the guest exited with value " + v + " (" + meaning(v) + ")");
		}
		if (status == 0) {
			String signal = QemuStderr.signalLine(stderr);
			if (stopRequested || signal != null)
				return new ExitStatus(status, null, false, true, signal != null ? "QEMU " + signal : "QEMU was stopped");
			return new ExitStatus(status, null, true, false,
					"the guest crashed: QEMU ended without an exit value (triple fault or reset)");
		}
		return new ExitStatus(status, null, false, stopRequested,
				"QEMU failed with status " + status + (error != null ? ": " + error : ""));
	}

	/** @return what the kernel means by exit value {@code v}. */
	static String meaning(int v) {
		return switch (v) {
		case 0 -> "success";
		case 1 -> "tests failed";
		case 2 -> "kernel panic";
		default -> "kernel-defined";
		};
	}
}
