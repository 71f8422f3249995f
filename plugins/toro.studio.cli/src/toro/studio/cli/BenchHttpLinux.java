package toro.studio.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.guest.LinuxGuest;
import toro.studio.qemu.guest.LinuxGuestException;

/**
 * The linux-guest row of {@code toro bench http}: Debian's cloud kernel with busybox httpd
 * ({@link LinuxGuest}), booted on the bench's own QEMU configuration and serving the very bytes that
 * the Toro kernel served for the same paths. Its packages are downloaded with apt-get (never
 * installed) into a cache; when they cannot be had, the row is skipped with the command that fixes
 * it, and the other systems still count.
 */
final class BenchHttpLinux {
	/** What the row says serves before the guest is prepared and can name its versions. */
	private static final String SERVER = "busybox httpd";

	private BenchHttpLinux() {
	}

	/** Where the packages and initramfs are kept between runs: $XDG_CACHE_HOME/toro/linux-guest, else ~/.cache. */
	static Path cache() {
		String xdg = System.getenv("XDG_CACHE_HOME");
		Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
		return base.resolve("toro").resolve("linux-guest");
	}

	/**
	 * Measures the Linux guest on {@code base} (the Toro kernel's configuration: same QEMU, machine,
	 * vCPUs, memory and network), serving {@code served} (path to body, as the Toro kernel answered).
	 */
	static BenchHttpCommand.Row row(QemuConfig base, BenchHttpCommand.Setup setup, Map<String, byte[]> served, Terminal term)
			throws Exception {
		String name = BenchHttpCommand.LINUX;
		if (served.isEmpty())
			return BenchHttpCommand.Row.skipped(name, SERVER, "the Toro kernel served nothing to copy");
		LinuxGuest g;
		try {
			term.progress(name + ": preparing in " + cache() + " (packages " + String.join(", ", LinuxGuest.PACKAGES) + ")");
			g = LinuxGuest.prepare(cache(), served);
		} catch (LinuxGuestException e) {
			return e.packagesUnavailable() ? BenchHttpCommand.Row.skipped(name, SERVER, e.getMessage())
					: BenchHttpCommand.Row.failed(name, SERVER, e.getMessage());
		}
		Map<String, byte[]> answered = new LinkedHashMap<>();
		BenchHttpCommand.Row r = BenchHttpCommand.measure(new BenchHttpCommand.Guest(name, g.server(), g.config(base), false), setup,
				answered, term);
		if (!r.measured())
			return r;
		for (var e : served.entrySet())
			if (!Arrays.equals(e.getValue(), answered.get(e.getKey())))
				return BenchHttpCommand.Row.failed(name, g.server(), "it served other bytes than the Toro kernel for " + e.getKey());
		return r;
	}
}
