package toro.studio.launch;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.PlatformObject;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStreamsProxy;

import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.QemuProcess;

/**
 * A QEMU process in the Debug platform: the element the Debug view shows and
 * the Console view attaches to. Terminating it stops QEMU cleanly (QMP quit,
 * then kill). Its exit value is the guest's isa-debug-exit value when the
 * guest wrote one, else QEMU's own status.
 */
final class QemuRuntimeProcess extends PlatformObject implements IProcess {
	private final QemuLaunch session;
	private final ILaunch launch;
	private final QemuProcess qemu;
	private final QemuStreams streams;
	private final String label;
	private final Map<String, String> attributes = new HashMap<>();
	private volatile ExitStatus exit;

	QemuRuntimeProcess(QemuLaunch session, ILaunch launch, QemuProcess qemu, QemuStreams streams, String label) {
		this.session = session;
		this.launch = launch;
		this.qemu = qemu;
		this.streams = streams;
		this.label = label;
		attributes.put(ATTR_PROCESS_TYPE, "qemu");
		attributes.put(ATTR_CMDLINE, String.join(" ", qemu.argv()));
		attributes.put(ATTR_PROCESS_ID, Long.toString(qemu.pid()));
	}

	/** Records QEMU's end and tells the Debug platform; called once by the session. */
	void exited(ExitStatus status) {
		exit = status;
		fire(DebugEvent.TERMINATE);
	}

	/** Tells the Debug platform the process exists; called once by the session. */
	void created() {
		fire(DebugEvent.CREATE);
	}

	private void fire(int kind) {
		DebugPlugin debug = DebugPlugin.getDefault();
		if (debug != null)
			debug.fireDebugEventSet(new DebugEvent[] { new DebugEvent(this, kind) });
	}

	@Override
	public String getLabel() {
		return label;
	}

	@Override
	public ILaunch getLaunch() {
		return launch;
	}

	@Override
	public IStreamsProxy getStreamsProxy() {
		return streams;
	}

	@Override
	public synchronized void setAttribute(String key, String value) {
		attributes.put(key, value);
	}

	@Override
	public synchronized String getAttribute(String key) {
		return attributes.get(key);
	}

	@Override
	public int getExitValue() throws DebugException {
		ExitStatus e = exit;
		if (e == null)
			throw new DebugException(Status.error("QEMU has not exited yet"));
		return e.guestValue() != null ? e.guestValue() : e.qemuStatus();
	}

	@Override
	public boolean canTerminate() {
		return exit == null;
	}

	@Override
	public boolean isTerminated() {
		return exit != null;
	}

	/** Stops QEMU (QMP quit, then kill); the exit is reported when QEMU is gone. */
	@Override
	public void terminate() throws DebugException {
		qemu.stop();
	}

	/** The run of the kernel this process is the console of. */
	QemuLaunch session() {
		return session;
	}
}
