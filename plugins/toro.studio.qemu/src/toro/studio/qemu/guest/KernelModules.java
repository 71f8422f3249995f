package toro.studio.qemu.guest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The loadable modules of an extracted kernel package and the order to load them in. Debian's
 * package carries no modules.dep (depmod makes it when the package is installed, which we do not
 * do), so each module's dependencies are read from its own ".modinfo" ELF section, the "depends="
 * entry that modpost writes there.
 */
final class KernelModules {
	private final Path dir;
	/** Module name (with '_' for '-', as the kernel names modules) to its .ko file. */
	private final Map<String, Path> files = new HashMap<>();

	/**
	 * @param dir the kernel's module directory, lib/modules/RELEASE, of an extracted package
	 * @throws IOException if it cannot be listed
	 */
	KernelModules(Path dir) throws IOException {
		this.dir = dir;
		try (Stream<Path> all = Files.walk(dir)) {
			all.filter(p -> p.getFileName().toString().endsWith(".ko")).forEach(p -> files.put(moduleName(p), p));
		}
	}

	/**
	 * @param names modules that must be loaded, e.g. virtio_net
	 * @return their .ko files, each after the modules it depends on, each once: insmod in this order
	 * @throws LinuxGuestException if a module or a dependency has no uncompressed .ko in the package
	 */
	List<Path> loadOrder(List<String> names) throws LinuxGuestException {
		Set<Path> order = new LinkedHashSet<>();
		for (String n : names)
			visit(n.replace('-', '_'), order, new LinkedHashSet<>());
		return new ArrayList<>(order);
	}

	private void visit(String name, Set<Path> order, Set<String> path) throws LinuxGuestException {
		Path ko = files.get(name);
		if (ko == null)
			throw new LinuxGuestException("the kernel package has no module " + name + ".ko under " + dir
					+ " (compressed .ko.xz or .ko.zst modules are not read); use a Debian 12 kernel, whose modules are uncompressed", false);
		if (order.contains(ko))
			return;
		if (!path.add(name))
			throw new LinuxGuestException("the modules under " + dir + " depend on each other in a circle: " + path, false);
		for (String d : depends(ko))
			visit(d, order, path);
		path.remove(name);
		order.add(ko);
	}

	/** @return the modules {@code ko} depends on, from its .modinfo "depends=" entry (empty when none) */
	static List<String> depends(Path ko) throws LinuxGuestException {
		try {
			for (String entry : modinfo(Files.readAllBytes(ko)))
				if (entry.startsWith("depends="))
					return entry.length() == 8 ? List.of() : List.of(entry.substring(8).replace('-', '_').split(","));
			return List.of();
		} catch (IOException | RuntimeException e) {
			throw new LinuxGuestException("cannot read the dependencies of " + ko + " (" + e + "); delete the cached package and run again", e);
		}
	}

	/**
	 * @return the NUL-separated "key=value" strings of the ".modinfo" section of an ELF64
	 *         little-endian relocatable object, the only kind of module x86-64 builds
	 */
	static List<String> modinfo(byte[] elf) {
		ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
		if (elf.length < 64 || b.getInt(0) != 0x464c457f || elf[4] != 2 || elf[5] != 1)
			throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
		long shoff = b.getLong(0x28);
		int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
		int shnum = Short.toUnsignedInt(b.getShort(0x3c));
		int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
		long names = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
		for (int i = 0; i < shnum; i++) {
			int h = (int) (shoff + (long) i * shentsize);
			if (!cString(elf, (int) (names + b.getInt(h))).equals(".modinfo"))
				continue;
			int offset = (int) b.getLong(h + 0x18);
			int size = (int) b.getLong(h + 0x20);
			List<String> entries = new ArrayList<>();
			for (String s : new String(elf, offset, size, StandardCharsets.UTF_8).split("\0"))
				if (!s.isEmpty())
					entries.add(s);
			return entries;
		}
		throw new IllegalArgumentException("no .modinfo section: not a kernel module");
	}

	private static String cString(byte[] b, int at) {
		int end = at;
		while (b[end] != 0)
			end++;
		return new String(b, at, end - at, StandardCharsets.US_ASCII);
	}

	/** @return the kernel's name of the module in {@code ko}: its file name without .ko, '-' as '_' */
	private static String moduleName(Path ko) {
		String f = ko.getFileName().toString();
		return f.substring(0, f.length() - 3).replace('-', '_');
	}
}
