package toro.studio.gdbmi.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import toro.studio.qemu.Accel;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;

/**
 * The real kernel in QEMU (TCG), paused at reset with its gdb stub on a Unix socket,
 * through the QEMU runner. Its console and telemetry are read and dropped so the
 * guest never blocks on a full serial port.
 */
final class TestQemu implements AutoCloseable {
	final QemuProcess qemu;
	/** gdb's {@code target remote} argument: the stub's socket path. */
	final String target;

	private TestQemu(QemuProcess qemu) {
		this.qemu = qemu;
		this.target = qemu.gdbStub().target();
	}

	/** Starts {@code elf} on {@code cpus} vCPUs, stopped before the first instruction. */
	static TestQemu start(Path elf, int cpus) throws QemuException {
		return start(elf, cpus, "");
	}

	/** {@link #start(Path, int)} with a kernel command line. */
	static TestQemu start(Path elf, int cpus, String append) throws QemuException {
		QemuConfig c = QemuConfig.defaults(elf).withCpus(cpus).withAccel(Accel.TCG).withAppend(append).withGdbStub(true);
		QemuProcess q = QemuProcess.start(c);
		drain(q.console(), "test-com1");
		drain(q.telemetry(), "test-com2");
		return new TestQemu(q);
	}

	private static void drain(InputStream in, String name) {
		Thread t = new Thread(() -> {
			try (in) {
				in.transferTo(java.io.OutputStream.nullOutputStream());
			} catch (IOException e) {
				// QEMU is gone
			}
		}, name);
		t.setDaemon(true);
		t.start();
	}

	/** Kills QEMU at once (SIGKILL), as a crash would. */
	void kill() {
		ProcessHandle.of(qemu.pid()).ifPresent(ProcessHandle::destroyForcibly);
		qemu.exit().join();
	}

	@Override
	public void close() {
		qemu.close();
	}
}
