package toro.studio.qemu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The guest's network: a backend and, for user networking, the port forwards. {@link QemuArgv}
 * turns it into {@code -netdev} and the machine's virtio-net {@code -device}. The runner never
 * creates or configures a host interface: user networking lives inside QEMU, and a tap device must
 * exist before the run.
 *
 * @param backend  none, user, tap or udp
 * @param tap      the tap device's name for {@link NetBackend#TAP}, else null
 * @param forwards port forwards (user networking only), each bound to 127.0.0.1
 * @param wire     the two 127.0.0.1 ports of {@link NetBackend#UDP}, else null
 */
public record Network(NetBackend backend, String tap, List<Forward> forwards, UdpWire wire) {
	/**
	 * The UDP ports of a {@link NetBackend#UDP} network, both on 127.0.0.1: QEMU receives the guest's
	 * incoming frames on {@code localPort} and sends its outgoing ones to {@code remotePort}.
	 */
	public record UdpWire(int localPort, int remotePort) {
		public UdpWire {
			if (localPort < 1 || localPort > 65535 || remotePort < 1 || remotePort > 65535 || localPort == remotePort)
				throw new IllegalArgumentException("a UDP wire needs two different ports in 1..65535, not " + localPort + " and " + remotePort);
		}
	}

	/** No network device at all. */
	public static final Network NONE = new Network(NetBackend.NONE, null, List.of());
	/** A Linux interface name: at most 15 characters, none that QEMU's option syntax or a path would misread. */
	private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

	/** A network without a UDP wire: none, user or tap. */
	public Network(NetBackend backend, String tap, List<Forward> forwards) {
		this(backend, tap, forwards, null);
	}

	/** Checks the combination; each message says what to change. */
	public Network {
		if (backend == null)
			throw new IllegalArgumentException("a network needs a backend: none, user, tap or udp");
		forwards = forwards == null ? List.of() : List.copyOf(forwards);
		if (backend == NetBackend.TAP) {
			if (tap == null || !IFNAME.matcher(tap).matches())
				throw new IllegalArgumentException("tap device name '" + (tap == null ? "" : tap)
						+ "' is not an interface name (1 to 15 of A-Z a-z 0-9 _ . -); create the tap device first and give its name");
		} else if (tap != null) {
			throw new IllegalArgumentException("a tap device name belongs to the tap backend only, not " + backend.name().toLowerCase());
		}
		if ((backend == NetBackend.UDP) != (wire != null))
			throw new IllegalArgumentException(backend == NetBackend.UDP ? "the udp backend needs its two ports"
					: "UDP ports belong to the udp backend only, not " + backend.name().toLowerCase());
		if (!forwards.isEmpty() && backend != NetBackend.USER)
			throw new IllegalArgumentException("port forwards need user networking, not " + backend.name().toLowerCase()
					+ ": choose the user backend, or remove the forwards");
		Set<String> seen = new HashSet<>();
		for (Forward f : forwards)
			if (f.hostPort() != 0 && !seen.add(f.protocol() + ":" + f.hostPort()))
				throw new IllegalArgumentException("host port " + f.hostPort() + " is forwarded twice; give each forward its own host port (or 0 for a free one)");
	}

	/** @return user networking with {@code forwards} (possibly none). */
	public static Network user(List<Forward> forwards) {
		return new Network(NetBackend.USER, null, forwards);
	}

	/** @return the existing tap device {@code name}. */
	public static Network tap(String name) {
		return new Network(NetBackend.TAP, name, List.of());
	}

	/** @return the guest's frames over UDP: received on 127.0.0.1:{@code localPort}, sent to 127.0.0.1:{@code remotePort}. */
	public static Network udp(int localPort, int remotePort) {
		return new Network(NetBackend.UDP, null, List.of(), new UdpWire(localPort, remotePort));
	}

	/** @return whether the guest gets a network device. */
	public boolean enabled() {
		return backend != NetBackend.NONE;
	}

	/** @return whether some forward still has host port 0, to be chosen at start. */
	public boolean hasFreePortRequests() {
		return forwards.stream().anyMatch(f -> f.hostPort() == 0);
	}

	/**
	 * @return this network with every host port 0 replaced by a loopback port that was free a moment
	 *         ago, each distinct; the caller retries when QEMU finds one taken after all
	 * @throws QemuException if no port can be found
	 */
	public Network withFreePorts() throws QemuException {
		if (!hasFreePortRequests())
			return this;
		Set<String> used = new HashSet<>();
		for (Forward f : forwards)
			if (f.hostPort() != 0)
				used.add(f.protocol() + ":" + f.hostPort());
		List<Forward> out = new ArrayList<>();
		for (Forward f : forwards) {
			if (f.hostPort() != 0) {
				out.add(f);
				continue;
			}
			int port;
			do
				port = f.protocol() == Forward.Protocol.TCP ? Ports.freeLoopbackPort() : Ports.freeLoopbackUdpPort();
			while (!used.add(f.protocol() + ":" + port));
			out.add(f.withHostPort(port));
		}
		return new Network(backend, tap, out, wire);
	}

	/** @return the TCP forwards that reach guest port {@code guestPort}, in order. */
	public List<Forward> tcpForwardsTo(int guestPort) {
		return forwards.stream().filter(f -> f.protocol() == Forward.Protocol.TCP && f.guestPort() == guestPort).toList();
	}
}
