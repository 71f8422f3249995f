package toro.studio.qemu;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything that decides one QEMU run, as typed values. {@link QemuArgv} turns it into argv.
 *
 * @param qemu        the emulator: an absolute path, or a bare name looked up on PATH
 * @param kernel      the kernel ELF booted with {@code -kernel} (PVH entry)
 * @param machine     the board
 * @param cpus        vCPUs (-smp), at least 1
 * @param memoryMiB   guest memory (-m), at least 16
 * @param accel       the accelerator; AUTO picks KVM when usable
 * @param append      the kernel command line ("" for none), e.g. "telemetry=10 idle=halt"
 * @param extraArgs   appended verbatim after everything else
 * @param gdbStub     start paused (-S) with a GDB stub (on a Unix socket: see {@link GdbStub})
 * @param whyDidItDie log interrupts and CPU resets ({@code -d int,cpu_reset -D FILE}) to explain a crash
 * @param network     the guest's network ({@link Network#NONE}: no device, and the argv of a run without one)
 */
public record QemuConfig(Path qemu, Path kernel, Machine machine, int cpus, int memoryMiB, Accel accel, String append,
		List<String> extraArgs, boolean gdbStub, boolean whyDidItDie, Network network) {

	/** The emulator's name on PATH. */
	public static final String QEMU = "qemu-system-x86_64";
	/**
	 * The most vCPUs a run may have, the CLI's and the IDE's one limit. A kernel built with a smaller
	 * TORO_MAX_CPUS (toro.build: 16) says so on its console and leaves the rest halted.
	 */
	public static final int MAX_CPUS = 64;

	/** Checks the values; the messages say which one is wrong. */
	public QemuConfig {
		Objects.requireNonNull(qemu, "qemu");
		Objects.requireNonNull(kernel, "kernel");
		Objects.requireNonNull(machine, "machine");
		Objects.requireNonNull(accel, "accel");
		if (cpus < 1 || cpus > MAX_CPUS)
			throw new IllegalArgumentException("cpus must be from 1 to " + MAX_CPUS + ", not " + cpus);
		if (memoryMiB < 16)
			throw new IllegalArgumentException("memory must be at least 16 MiB, not " + memoryMiB);
		append = append == null ? "" : append;
		extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
		network = network == null ? Network.NONE : network;
	}

	/** @return microvm, 1 vCPU, 128 MiB, accelerator auto, no command line, no stub, no network. */
	public static QemuConfig defaults(Path kernel) {
		return new QemuConfig(Path.of(QEMU), kernel, Machine.MICROVM, 1, 128, Accel.AUTO, "", List.of(), false, false, Network.NONE);
	}

	public QemuConfig withQemu(Path q) {
		return new QemuConfig(q, kernel, machine, cpus, memoryMiB, accel, append, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withKernel(Path k) {
		return new QemuConfig(qemu, k, machine, cpus, memoryMiB, accel, append, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withMachine(Machine m) {
		return new QemuConfig(qemu, kernel, m, cpus, memoryMiB, accel, append, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withCpus(int n) {
		return new QemuConfig(qemu, kernel, machine, n, memoryMiB, accel, append, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withMemoryMiB(int mib) {
		return new QemuConfig(qemu, kernel, machine, cpus, mib, accel, append, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withAccel(Accel a) {
		return new QemuConfig(qemu, kernel, machine, cpus, memoryMiB, a, append, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withAppend(String cmdline) {
		return new QemuConfig(qemu, kernel, machine, cpus, memoryMiB, accel, cmdline, extraArgs, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withExtraArgs(List<String> args) {
		return new QemuConfig(qemu, kernel, machine, cpus, memoryMiB, accel, append, args, gdbStub, whyDidItDie, network);
	}

	public QemuConfig withGdbStub(boolean on) {
		return new QemuConfig(qemu, kernel, machine, cpus, memoryMiB, accel, append, extraArgs, on, whyDidItDie, network);
	}

	public QemuConfig withWhyDidItDie(boolean on) {
		return new QemuConfig(qemu, kernel, machine, cpus, memoryMiB, accel, append, extraArgs, gdbStub, on, network);
	}

	public QemuConfig withNetwork(Network n) {
		return new QemuConfig(qemu, kernel, machine, cpus, memoryMiB, accel, append, extraArgs, gdbStub, whyDidItDie, n);
	}
}
