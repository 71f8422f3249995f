package toro.studio.qemu.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import toro.studio.qemu.Machine;
import toro.studio.qemu.QemuConfig;

/**
 * A Linux guest that serves given bytes over HTTP on port 80, the other side of {@code toro bench http}:
 * Debian's cloud kernel booted by QEMU with a small initramfs made here, whose /init brings up the
 * virtio-net interface at 10.0.2.15 (QEMU user networking) and runs busybox httpd on a www root that
 * holds each response body as a file.
 * <p>
 * Machines: pc and q35 drive the virtio-net-pci device with the kernel's virtio_pci; microvm drives
 * virtio-net-device with virtio_mmio, found through microvm's ACPI tables; on microvm {@link #config}
 * turns the PIT that {@link Machine#MICROVM} leaves off back on, for Linux's TSC calibration. All three
 * work with the cloud kernel, which has both transports; {@link #config} refuses microvm for a kernel
 * without CONFIG_VIRTIO_MMIO.
 * <p>
 * Accelerators: TCG boots to {@link #READY} in 3-5 s. KVM takes seconds on bare metal; on a nested,
 * page-table based KVM (kvm-pvm, ../shared/reference/kvm-facts.md) Debian's kernel crawls and, after
 * about two minutes, stops with a KVM emulation failure on {@code lock cmpxchg16b}: use TCG there.
 */
public final class LinuxGuest {
	/** The Debian packages it is built from. */
	public static final List<String> PACKAGES = List.of("linux-image-cloud-amd64", "busybox-static");
	/** A line the guest prints on its console (COM1) once httpd listens on port 80. */
	public static final String READY = "linux-guest: ready";
	/**
	 * The kernel command line: the console on COM1, warnings only, and a panic (an init that failed)
	 * rebooting at once, which ends QEMU since it runs with -no-reboot.
	 */
	static final String CMDLINE = "console=ttyS0 quiet panic=-1";
	/** The busybox applets /init calls, as links to /bin/busybox. */
	private static final List<String> APPLETS = List.of("sh", "mount", "insmod", "ip", "httpd", "grep", "kill", "usleep", "poweroff");
	/** The kernel options of the virtio network, each with the module that provides it when it is "m". */
	private static final Map<String, String> VIRTIO = Map.of("CONFIG_VIRTIO_PCI", "virtio_pci", "CONFIG_VIRTIO_MMIO", "virtio_mmio",
			"CONFIG_VIRTIO_NET", "virtio_net");
	/** One URL path segment that busybox httpd maps to the same file name: no dot files, no escapes. */
	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]*");

	private final Path vmlinuz;
	private final Path initramfs;
	private final String server;
	private final boolean mmio;

	private LinuxGuest(Path vmlinuz, Path initramfs, String server, boolean mmio) {
		this.vmlinuz = vmlinuz;
		this.initramfs = initramfs;
		this.server = server;
		this.mmio = mmio;
	}

	/**
	 * Prepares a guest in {@code workDir} that serves {@code files} over HTTP on port 80. The directory
	 * is a cache: the packages are downloaded and extracted once (a newer kernel is picked up after
	 * deleting it), and an initramfs is kept per content, so a second call with the same files only
	 * reads what is there.
	 *
	 * @param workDir where the packages, their trees and the initramfs go; created if missing
	 * @param files   URL path ("/", "/bytes/1024") to the exact bytes of its response body; a path
	 *                ending in "/" is served from its index.html
	 * @return the guest, ready for {@link #config}
	 * @throws LinuxGuestException saying exactly what is missing and the command that fixes it;
	 *                             {@link LinuxGuestException#packagesUnavailable()} when it is the packages
	 * @throws IllegalArgumentException if a path is not one busybox httpd serves as it is written
	 *                                  (segments of A-Z a-z 0-9 . _ ~ -, none starting with a dot), or two
	 *                                  paths need the same name as a file and as a directory
	 */
	public static LinuxGuest prepare(Path workDir, Map<String, byte[]> files) throws LinuxGuestException {
		Map<String, byte[]> www = wwwFiles(files);
		DebPackage kernel = DebPackage.fetch(PACKAGES.get(0), true, workDir);
		DebPackage busybox = DebPackage.fetch(PACKAGES.get(1), false, workDir);
		try {
			String release = release(kernel.root().resolve("boot"));
			Map<String, String> config = kernelConfig(kernel.root().resolve("boot/config-" + release));
			List<String> modules = new ArrayList<>();
			for (String option : List.of("CONFIG_VIRTIO_PCI", "CONFIG_VIRTIO_MMIO", "CONFIG_VIRTIO_NET")) {
				String v = config.get(option);
				if ("m".equals(v))
					modules.add(VIRTIO.get(option));
				else if (v == null && !option.equals("CONFIG_VIRTIO_MMIO"))
					throw new LinuxGuestException("the kernel " + release + " has no " + option + ", so no virtio network; use "
							+ PACKAGES.get(0) + " (delete " + kernel.root() + " to download it again)", false);
			}
			List<Path> kos = new KernelModules(kernel.root().resolve("lib/modules/" + release)).loadOrder(modules);
			byte[] image = initramfs(Files.readAllBytes(busybox.root().resolve("bin/busybox")), kos, www);
			Path initrd = cached(workDir, image);
			String server = "busybox " + upstream(busybox.version()) + " httpd (" + busybox.name() + "), Linux " + release;
			return new LinuxGuest(kernel.root().resolve("boot/vmlinuz-" + release), initrd, server, config.containsKey("CONFIG_VIRTIO_MMIO"));
		} catch (IOException e) {
			throw new LinuxGuestException("cannot build the Linux guest in " + workDir + ": " + e.getMessage()
					+ "; delete the directory to start again", e);
		}
	}

	/**
	 * @param base the run as the bench wants it: machine, cpus, memory, accelerator, and the network
	 *             with its hostfwd forwards to guest port 80
	 * @return {@code base} booting this guest: kernel = its vmlinuz, "-initrd" added to the extra
	 *         arguments (and, on microvm, "-machine pit=on"), append = its kernel command line
	 * @throws IllegalArgumentException for microvm when the kernel has no virtio-mmio transport
	 */
	public QemuConfig config(QemuConfig base) {
		if (base.machine() == Machine.MICROVM && !mmio)
			throw new IllegalArgumentException("this guest's kernel has no CONFIG_VIRTIO_MMIO, so no network on microvm; use pc or q35");
		List<String> extra = new ArrayList<>(base.extraArgs());
		if (base.machine() == Machine.MICROVM) {
			// Linux calibrates its TSC against the PIT when there is no kvmclock (TCG), and without a PIT,
			// HPET or ACPI PM timer it never gets past calibration; a second -machine merges into the first
			extra.add("-machine");
			extra.add("pit=on");
		}
		extra.add("-initrd");
		extra.add(initramfs.toString());
		return base.withKernel(vmlinuz).withAppend(CMDLINE).withExtraArgs(extra);
	}

	/** @return what serves, for the bench's output: "busybox 1.35.0 httpd (busybox-static), Linux 6.1.0-57-cloud-amd64" */
	public String server() {
		return server;
	}

	/** @return the URL paths turned into file names under www, each checked */
	private static Map<String, byte[]> wwwFiles(Map<String, byte[]> files) {
		Map<String, byte[]> www = new TreeMap<>();
		for (Map.Entry<String, byte[]> e : files.entrySet()) {
			String url = e.getKey();
			String file = "www" + (url.endsWith("/") ? url + "index.html" : url);
			if (!url.startsWith("/"))
				throw new IllegalArgumentException("URL path '" + url + "' does not start with /");
			for (String segment : file.substring(4).split("/"))
				if (!SEGMENT.matcher(segment).matches())
					throw new IllegalArgumentException("URL path '" + url + "' has the segment '" + segment
							+ "'; use A-Z a-z 0-9 . _ ~ - and no leading dot, which busybox httpd serves as written");
			if (www.put(file, e.getValue().clone()) != null)
				throw new IllegalArgumentException("URL path '" + url + "' names the file " + file + " a second time");
		}
		for (String file : www.keySet())
			for (int slash = file.indexOf('/', 4); slash > 0; slash = file.indexOf('/', slash + 1))
				if (www.containsKey(file.substring(0, slash)))
					throw new IllegalArgumentException(file.substring(3, slash) + " is served as a file and is also a directory of " + file.substring(3));
		return www;
	}

	/** @return the release of the one vmlinuz-RELEASE in {@code boot} */
	private static String release(Path boot) throws IOException, LinuxGuestException {
		try (DirectoryStream<Path> kernels = Files.newDirectoryStream(boot, "vmlinuz-*")) {
			for (Path k : kernels)
				return k.getFileName().toString().substring("vmlinuz-".length());
		}
		throw new LinuxGuestException("the kernel package in " + boot.getParent() + " has no boot/vmlinuz-*; delete " + boot.getParent()
				+ " and run again", false);
	}

	/** @return the "CONFIG_X=value" lines of a kernel config; an option that is "not set" is absent */
	private static Map<String, String> kernelConfig(Path file) throws IOException {
		Map<String, String> config = new TreeMap<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			int eq = line.indexOf('=');
			if (line.startsWith("CONFIG_") && eq > 0)
				config.put(line.substring(0, eq), line.substring(eq + 1));
		}
		return config;
	}

	/** @return the newc archive: busybox and its links, the modules, /init, and the www root */
	static byte[] initramfs(byte[] busybox, List<Path> modules, Map<String, byte[]> www) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (Cpio cpio = new Cpio(bytes)) {
			cpio.file("bin/busybox", 0755, busybox);
			for (String applet : APPLETS)
				cpio.symlink("bin/" + applet, "busybox");
			for (String mountPoint : List.of("dev", "proc", "sys"))
				cpio.directory(mountPoint, 0755);
			StringBuilder insmod = new StringBuilder();
			for (Path ko : modules) {
				String name = "lib/modules/" + ko.getFileName();
				cpio.file(name, 0644, Files.readAllBytes(ko));
				insmod.append("insmod /").append(name).append(" || fail \"cannot load ").append(ko.getFileName()).append("\"\n");
			}
			cpio.file("init", 0755, initScript(insmod.toString()).getBytes(StandardCharsets.UTF_8));
			cpio.directory("www", 0755);
			for (Map.Entry<String, byte[]> f : www.entrySet())
				cpio.file(f.getKey(), 0644, f.getValue());
		}
		return bytes.toByteArray();
	}

	/**
	 * @return /init, run by busybox sh as PID 1. It never returns: the kernel panics when init exits;
	 *         on a failure it says why on the console and powers off, so QEMU ends and the bench sees it.
	 *         READY is printed only once /proc/net/tcp or tcp6 shows port 80 (0050) listening (state 0A).
	 */
	private static String initScript(String insmod) {
		return """
				#!/bin/sh
				fail() { echo "linux-guest: $*"; poweroff -f; }
				mount -t proc proc /proc
				mount -t sysfs sysfs /sys
				mount -t devtmpfs devtmpfs /dev
				%s\
				tries=0
				until [ -e /sys/class/net/eth0 ]; do
					tries=$((tries + 1))
					[ $tries -gt 250 ] && fail "no eth0 after 5 s: the machine has no virtio-net device this kernel drives"
					usleep 20000
				done
				ip link set lo up
				ip addr add 10.0.2.15/24 dev eth0
				ip link set eth0 up
				ip route add default via 10.0.2.2
				httpd -f -p 80 -h /www &
				until grep -qE ':0050 [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
					kill -0 $! 2>/dev/null || fail "httpd exited before it listened"
					usleep 10000
				done
				echo "%s"
				wait
				fail "httpd exited"
				""".formatted(insmod, READY);
	}

	/** @return the archive, stored once per content as initramfs-HASH.cpio in {@code workDir} */
	private static Path cached(Path workDir, byte[] image) throws IOException {
		String hash;
		try {
			hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)).substring(0, 16);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java has SHA-256", e);
		}
		Path file = workDir.resolve("initramfs-" + hash + ".cpio");
		if (Files.isRegularFile(file) && Files.size(file) == image.length)
			return file;
		Path tmp = Files.createTempFile(workDir, "initramfs-", ".tmp");
		try {
			Files.write(tmp, image);
			Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} finally {
			Files.deleteIfExists(tmp);
		}
		return file;
	}

	/** @return the upstream part of a Debian version: "1:1.35.0-4+deb12u1+b1" is "1.35.0" */
	static String upstream(String debianVersion) {
		String v = debianVersion.substring(debianVersion.indexOf(':') + 1);
		int dash = v.lastIndexOf('-');
		return dash > 0 ? v.substring(0, dash) : v;
	}
}
