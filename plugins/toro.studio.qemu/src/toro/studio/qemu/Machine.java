package toro.studio.qemu;

/** The QEMU machine type a kernel boots on; {@link #qemuName()} is the value of {@code -machine}. */
public enum Machine {
	/** i440FX with SeaBIOS: the slowest boot, the most common board. */
	PC("pc", ""),
	/** Q35 with SeaBIOS. */
	Q35("q35", ""),
	/**
	 * microvm with qboot: the fastest boot (tens of milliseconds); ACPI on. Its PIT, PIC and RTC are
	 * turned off: the kernel uses none of them (it calibrates from CPUID or the LAPIC timer), and left
	 * on they keep QEMU's timers running while the guest idles (0.35-0.7% of a host core for a guest
	 * that only halts, ../shared/reference/kvm-facts.md).
	 */
	MICROVM("microvm", ",pit=off,pic=off,rtc=off");

	private final String qemuName;
	private final String quietOptions;

	Machine(String qemuName, String quietOptions) {
		this.qemuName = qemuName;
		this.quietOptions = quietOptions;
	}

	/** @return the value of {@code -machine}: the name, then the devices the kernel does not use turned off. */
	public String machineArgument() {
		return qemuName + quietOptions;
	}

	/** @return the name QEMU knows this machine by. */
	public String qemuName() {
		return qemuName;
	}

	/**
	 * @return the machine named {@code name} (case-insensitive: pc, q35, microvm)
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Machine parse(String name) {
		for (Machine m : values())
			if (m.qemuName.equalsIgnoreCase(name))
				return m;
		throw new IllegalArgumentException("unknown machine '" + name + "'; use pc, q35 or microvm");
	}
}
