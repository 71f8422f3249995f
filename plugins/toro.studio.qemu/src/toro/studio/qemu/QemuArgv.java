package toro.studio.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds QEMU's argv, as a list, from a configuration and the endpoints of one run. */
public final class QemuArgv {
	private QemuArgv() {
	}

	/**
	 * @param qemu the resolved emulator path (argv[0])
	 * @param c    the configuration; its accelerator AUTO is resolved here
	 * @param e    where COM1, COM2, QMP, the GDB stub and the debug log go
	 * @return the full argv: no defaults, no display, no reboot (a triple fault ends QEMU), the
	 *         guest's exit device at 0xf4, COM1 = console, COM2 (0x2f8) = telemetry, QMP on its socket
	 */
	public static List<String> build(Path qemu, QemuConfig c, Endpoints e) {
		List<String> a = new ArrayList<>();
		a.add(qemu.toString());
		a.add("-machine");
		a.add(c.machine().machineArgument());
		a.add("-accel");
		a.add(c.accel().resolve().name().toLowerCase());
		a.add("-smp");
		a.add(Integer.toString(c.cpus()));
		a.add("-m");
		a.add(Integer.toString(c.memoryMiB()));
		a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
		a.add("-kernel");
		a.add(c.kernel().toString());
		if (!c.append().isEmpty()) {
			a.add("-append");
			a.add(c.append());
		}
		serverSocket(a, "com1", e.console());
		a.add("-serial");
		a.add("chardev:com1");
		serverSocket(a, "com2", e.telemetry());
		// a device, not a second -serial: microvm creates only one UART from -serial
		a.add("-device");
		a.add("isa-serial,chardev=com2,index=1");
		serverSocket(a, "qmp", e.qmp());
		a.add("-mon");
		a.add("chardev=qmp,mode=control");
		a.add("-device");
		a.add("isa-debug-exit,iobase=0xf4,iosize=0x04");
		if (c.gdbStub()) {
			if (e.gdb() == null)
				throw new IllegalArgumentException("a GDB stub needs its endpoint");
			if (e.gdb().isTcp()) {
				a.add("-gdb");
				a.add("tcp:127.0.0.1:" + e.gdb().port());
			} else {
				// wait=off: gdb attaches whenever it likes; -S holds the guest until then
				a.add("-chardev");
				a.add("socket,id=gdb,path=" + optionValue(e.gdb().socket().toString()) + ",server=on,wait=off");
				a.add("-gdb");
				a.add("chardev:gdb");
			}
			a.add("-S");
		}
		if (c.whyDidItDie()) {
			a.add("-d");
			a.add("int,cpu_reset");
			a.add("-D");
			a.add(e.debugLog().toString());
		}
		a.addAll(c.extraArgs());
		return a;
	}

	/** Adds a listening Unix socket chardev that QEMU waits on until we connect. */
	private static void serverSocket(List<String> a, String id, Path path) {
		a.add("-chardev");
		a.add("socket,id=" + id + ",path=" + optionValue(path.toString()) + ",server=on,wait=on");
	}

	/** @return {@code v} escaped for QEMU's option syntax, where a comma is written twice. */
	static String optionValue(String v) {
		return v.replace(",", ",,");
	}
}
