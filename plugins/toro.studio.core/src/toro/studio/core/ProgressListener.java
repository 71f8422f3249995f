package toro.studio.core;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

import toro.studio.build.BuildListener;

/**
 * Forwards the build engine's progress to a progress monitor (the Progress
 * view) and keeps the engine's last output line for error messages. The
 * engine may call it from its worker threads, hence the locking.
 */
final class ProgressListener implements BuildListener {
	private static final int TICKS = 1000;

	private final SubMonitor monitor;
	private int reported;
	private String lastOutput = "";

	ProgressListener(IProgressMonitor monitor) {
		this.monitor = SubMonitor.convert(monitor, TICKS);
	}

	@Override
	public synchronized void progress(int done, int total, String description) {
		if (description != null)
			monitor.subTask(description);
		if (total <= 0)
			return;
		int now = (int) ((long) Math.min(done, total) * TICKS / total);
		if (now > reported) {
			monitor.worked(now - reported);
			reported = now;
		}
	}

	@Override
	public synchronized void output(String line) {
		lastOutput = line;
	}

	/** The engine's last output line ("" if none). */
	synchronized String lastOutput() {
		return lastOutput;
	}
}
