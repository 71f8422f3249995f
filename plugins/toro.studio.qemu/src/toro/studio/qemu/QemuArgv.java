package toro.studio.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds QEMU's argv, as a list, from a configuration and the endpoints of one run. */
public final class QemuArgv {
	/** The id that ties the virtio-net device to its backend. */
	static final String NETDEV = "n0";

	private QemuArgv() {
	}

	/**
	 * @param qemu the resolved emulator path (argv[0])
	 * @param c    the configuration; its accelerator AUTO is resolved here
	 * @param e    where COM1, COM2, QMP, the GDB stub and the debug log go
	 * @return the full argv: no defaults, no display, no reboot (a triple fault ends QEMU), the
	 *         guest's exit device at 0xf4, COM1 = console, COM2 (0x2f8) = telemetry, QMP on its socket,
	 *         and a virtio-net device when the configuration has a network (its host ports already chosen:
	 *         a forward's host port 0 here would be passed on as it is)
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
		network(a, c.network(), c.machine());
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

	/**
	 * Adds the network backend and the machine's virtio-net device; nothing for {@link NetBackend#NONE}.
	 * User networking binds every forward to 127.0.0.1 ({@link Forward#hostfwd()}); tap opens the named,
	 * existing device with QEMU's ifup and ifdown scripts off, so the host's interfaces are left as they are;
	 * udp sends and receives frames on two ports of 127.0.0.1 only.
	 */
	private static void network(List<String> a, Network n, Machine m) {
		if (!n.enabled())
			return;
		StringBuilder netdev = new StringBuilder();
		if (n.backend() == NetBackend.USER) {
			netdev.append("user,id=").append(NETDEV);
			for (Forward f : n.forwards())
				netdev.append(",hostfwd=").append(f.hostfwd());
		} else if (n.backend() == NetBackend.UDP) {
			netdev.append("socket,id=").append(NETDEV).append(",udp=127.0.0.1:").append(n.wire().remotePort())
					.append(",localaddr=127.0.0.1:").append(n.wire().localPort());
		} else {
			netdev.append("tap,id=").append(NETDEV).append(",ifname=").append(n.tap()).append(",script=no,downscript=no");
		}
		a.add("-netdev");
		a.add(netdev.toString());
		a.addAll(netDevice(m));
	}

	/**
	 * The virtio-net device of each machine, the one place these arguments are written (the kernel's
	 * driver is tested against exactly these):
	 * <ul>
	 * <li>microvm: a virtio-mmio device, version 2 (QEMU 7.2 defaults to the legacy version 1);
	 * <li>pc: virtio-net-pci as QEMU makes it there, transitional (legacy I/O BAR and modern capabilities);
	 * <li>q35: modern only (no legacy I/O BAR), as it would be behind a PCIe port.
	 * </ul>
	 */
	static List<String> netDevice(Machine m) {
		return switch (m) {
		case MICROVM -> List.of("-global", "virtio-mmio.force-legacy=false", "-device", "virtio-net-device,netdev=" + NETDEV);
		case PC -> List.of("-device", "virtio-net-pci,netdev=" + NETDEV);
		case Q35 -> List.of("-device", "virtio-net-pci,netdev=" + NETDEV + ",disable-legacy=on");
		};
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
