package toro.studio.gdbmi.tests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * QEMU paused at reset with its gdb stub on 127.0.0.1, started from an argv list.
 * TEMPORARY: stands in for toro.studio.qemu.QemuProcess (gdbStub=true) until the
 * QEMU runner lands on its branch. Always closed by the test (try-with-resources);
 * a watchdog kills it after two minutes in any case.
 */
final class TestQemu implements AutoCloseable {
	final Process process;
	final int port;
	final Path console;

	private TestQemu(Process process, int port, Path console) {
		this.process = process;
		this.port = port;
		this.console = console;
	}

	/** Starts {@code elf} on {@code cpus} vCPUs under TCG, stopped before the first instruction. */
	static TestQemu start(Path elf, int cpus) throws IOException {
		return start(elf, cpus, "");
	}

	/** {@link #start(Path, int)} with a kernel command line. */
	static TestQemu start(Path elf, int cpus, String append) throws IOException {
		int port;
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = s.getLocalPort();
		}
		Path console = Files.createTempFile("gdbmi-test-com1", ".txt");
		List<String> argv = List.of("qemu-system-x86_64", "-machine", "pc", "-accel", "tcg", "-S", "-gdb", "tcp:127.0.0.1:" + port,
				"-kernel", elf.toString(), "-smp", Integer.toString(cpus), "-m", "128", "-nodefaults", "-no-user-config",
				"-display", "none", "-serial", "file:" + console, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot", "-append", append);
		Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		Thread watchdog = new Thread(() -> {
			try {
				if (!p.waitFor(120, TimeUnit.SECONDS))
					p.destroyForcibly();
			} catch (InterruptedException e) {
				p.destroyForcibly();
			}
		}, "qemu-watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		waitForPort(port, p);
		return new TestQemu(p, port, console);
	}

	/**
	 * Waits until the stub listens, read from /proc/net/tcp: a probing connection
	 * would count as a debugger that came and went.
	 */
	private static void waitForPort(int port, Process p) throws IOException {
		String local = String.format("0100007F:%04X", port);
		long end = System.nanoTime() + 10_000_000_000L;
		while (System.nanoTime() < end) {
			if (!p.isAlive())
				throw new IOException("QEMU exited with status " + p.exitValue() + " before its gdb stub listened");
			for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
				String[] f = line.trim().split("\\s+");
				if (f.length > 3 && f[1].equals(local) && f[3].equals("0A"))
					return;
			}
			try {
				Thread.sleep(20);
			} catch (InterruptedException ie) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		throw new IOException("QEMU's gdb stub did not listen on 127.0.0.1:" + port + " within 10 s");
	}

	@Override
	public void close() throws Exception {
		process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
		Files.deleteIfExists(console);
	}
}
