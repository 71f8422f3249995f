package toro.studio.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** The accelerator QEMU runs the guest with. AUTO means KVM when usable, else TCG. */
public enum Accel {
	AUTO, KVM, TCG;

	private static final Path DEV_KVM = Path.of("/dev/kvm");

	/** @return KVM when /dev/kvm exists and this process can open it read-write, else TCG. */
	public static Accel detect() {
		return detect(DEV_KVM);
	}

	/**
	 * @param device the KVM device node to try (tests pass another path)
	 * @return KVM when {@code device} exists and this process can open it read-write, else TCG
	 */
	public static Accel detect(Path device) {
		return kvmUsable(device) ? KVM : TCG;
	}

	/** @return this accelerator with AUTO resolved by {@link #detect()}. */
	public Accel resolve() {
		return this == AUTO ? detect() : this;
	}

	/** @return one line saying whether KVM is usable, and if not why and what to do. */
	public static String kvmStatus() {
		if (!Files.exists(DEV_KVM))
			return "KVM is not available (no /dev/kvm: no hardware virtualisation here); QEMU uses TCG";
		if (!kvmUsable(DEV_KVM))
			return "/dev/kvm exists but this user cannot open it (add the user to group kvm); QEMU uses TCG";
		return "KVM is usable";
	}

	/**
	 * @return the accelerator named {@code name} (auto, kvm or tcg, case-insensitive)
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Accel parse(String name) {
		for (Accel a : values())
			if (a.name().equalsIgnoreCase(name))
				return a;
		throw new IllegalArgumentException("unknown accelerator '" + name + "'; use auto, kvm or tcg");
	}

	/** Opening the device is the only reliable test: permissions, ACLs and namespaces all matter. */
	private static boolean kvmUsable(Path device) {
		if (!Files.exists(device))
			return false;
		try (RandomAccessFile f = new RandomAccessFile(device.toFile(), "rw")) {
			return true;
		} catch (IOException | SecurityException e) {
			return false;
		}
	}
}
