package toro.studio.gdbmi;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import toro.studio.qemu.Accel;
import toro.studio.qemu.QemuProcess;

/**
 * One kernel under debug: a QEMU started with its GDB stub and a gdb session attached to it. The
 * command line ({@code toro debug}) and the IDE's debug launch both hold one, so both attach the same
 * way and end in the same order.
 * <ul>
 * <li>Attaching connects gdb to the stub and chooses where breakpoints go: under KVM into the debug
 * registers (see {@link GdbSession#breakpointsInDebugRegisters}) unless the caller asks for software
 * ones.</li>
 * <li>Ending stops QEMU first, then gdb. The other order lets the guest run on: gdb detaches on exit and
 * the stub resumes the vCPUs, so a kernel stopped at a breakpoint would run (and print, and change its
 * statistics) between the two.</li>
 * </ul>
 */
public final class QemuDebugSession implements AutoCloseable {
	private final QemuProcess qemu;
	private final GdbSession gdb;
	private final AtomicBoolean closed = new AtomicBoolean();

	private QemuDebugSession(QemuProcess qemu, GdbSession gdb) {
		this.qemu = qemu;
		this.gdb = gdb;
	}

	/**
	 * Connects gdb to QEMU's stub and sets the breakpoint policy for the accelerator QEMU runs with.
	 * Ownership of both passes to the returned session; when attaching fails, both are ended (in the
	 * order above) before the exception propagates.
	 *
	 * @param softBreakpoints keep software breakpoints under KVM (they are unreliable there)
	 * @throws GdbException when gdb cannot attach within {@code timeout}
	 */
	public static QemuDebugSession attach(QemuProcess qemu, GdbSession gdb, Duration timeout, boolean softBreakpoints) {
		QemuDebugSession s = new QemuDebugSession(qemu, gdb);
		try {
			gdb.connect(qemu.gdbStub().target(), timeout);
			gdb.breakpointsInDebugRegisters(s.usesKvm() && !softBreakpoints);
			return s;
		} catch (RuntimeException e) {
			s.close();
			throw e;
		}
	}

	/** @return the QEMU process */
	public QemuProcess qemu() {
		return qemu;
	}

	/** @return the gdb session */
	public GdbSession gdb() {
		return gdb;
	}

	/** @return whether QEMU runs with KVM (and so breakpoints go into debug registers unless asked otherwise) */
	public boolean usesKvm() {
		return qemu.config().accel().resolve() == Accel.KVM;
	}

	/** Ends QEMU (QMP quit, then signals), then gdb. Idempotent; safe from any thread, a gdb listener's too. */
	@Override
	public void close() {
		if (!closed.compareAndSet(false, true))
			return;
		try {
			qemu.stop();
		} finally {
			gdb.close();
		}
	}
}
