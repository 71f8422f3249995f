package toro.studio.qemu;

import java.util.Locale;

/** How the guest's virtio-net device reaches the host, if at all. */
public enum NetBackend {
	/** No network device: the argv of a run without a network. */
	NONE,
	/**
	 * QEMU user networking (slirp): the guest is 10.0.2.15 behind a NAT inside the QEMU process,
	 * reachable from the host only through port forwards bound to 127.0.0.1.
	 */
	USER,
	/**
	 * A tap device that the caller created and configured beforehand (for benchmarks, in a network
	 * namespace of its own). QEMU only opens it: it never runs an ifup script.
	 */
	TAP,
	/**
	 * The guest's Ethernet frames as UDP datagrams between two ports of 127.0.0.1 (QEMU's socket
	 * netdev): a wire that another program carries, e.g. a test's lossy one between the guest and a
	 * second QEMU that holds user networking.
	 */
	UDP;

	/**
	 * @return the backend named {@code name} (none, user, tap; any case)
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static NetBackend parse(String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("unknown network backend '" + name + "'; use none, user, tap or udp");
		}
	}
}
