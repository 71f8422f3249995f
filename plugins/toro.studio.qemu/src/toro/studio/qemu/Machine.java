package toro.studio.qemu;

/** The QEMU machine type a kernel boots on; {@link #qemuName()} is the value of {@code -machine}. */
public enum Machine {
	/** i440FX with SeaBIOS: the slowest boot, the most common board. */
	PC("pc"),
	/** Q35 with SeaBIOS. */
	Q35("q35"),
	/** microvm with qboot: the fastest boot (tens of milliseconds); ACPI on, no legacy PIT. */
	MICROVM("microvm");

	private final String qemuName;

	Machine(String qemuName) {
		this.qemuName = qemuName;
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
