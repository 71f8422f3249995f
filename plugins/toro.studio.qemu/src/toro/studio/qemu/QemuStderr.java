package toro.studio.qemu;

/** Reads QEMU's stderr: which lines are errors, which are noise. */
final class QemuStderr {
	private QemuStderr() {
	}

	/** @return whether a line is QEMU's note that it waits for a socket client (expected, not news). */
	static boolean isWaitingNote(String line) {
		return line.contains("QEMU waiting for connection on:");
	}

	/** @return {@code stderr} without the waiting notes. */
	static String clean(String stderr) {
		StringBuilder sb = new StringBuilder();
		stderr.lines().filter(l -> !isWaitingNote(l)).forEach(l -> sb.append(l).append('\n'));
		return sb.toString();
	}

	/** @return the first line that reports an error (not a warning, info or signal note), or null. */
	static String firstError(String stderr) {
		for (String l : clean(stderr).split("\n")) {
			String s = l.strip();
			if (s.isEmpty() || s.contains("warning:") || s.contains("info:") || s.contains("terminating on signal"))
				continue;
			return s;
		}
		return null;
	}

	/** @return QEMU's "terminating on signal N from pid P" text, or null. */
	static String signalLine(String stderr) {
		for (String l : stderr.split("\n")) {
			int i = l.indexOf("terminating on signal");
			if (i >= 0)
				return l.substring(i).strip();
		}
		return null;
	}
}
