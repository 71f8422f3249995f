package toro.studio.telemetry;

/**
 * One network device of the kernel: an IFACE frame (sent after each HELLO).
 *
 * @param index index in the kernel's device table ({@code net0} is 0)
 * @param cpu   owner core (the device's interrupt goes there)
 * @param mtu   IP payload bytes per frame
 * @param mac   MAC address, e.g. "52:54:00:12:34:56"
 * @param name  the kernel's name for it, e.g. "net0"
 * @param kind  the driver's description, e.g. "virtio-net (mmio v2)"
 */
public record NetInterface(int index, int cpu, int mtu, String mac, String name, String kind) {
}
