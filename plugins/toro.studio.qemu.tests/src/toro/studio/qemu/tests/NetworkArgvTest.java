package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Endpoints;
import toro.studio.qemu.Forward;
import toro.studio.qemu.ForwardNotes;
import toro.studio.qemu.Machine;
import toro.studio.qemu.NetBackend;
import toro.studio.qemu.Network;
import toro.studio.qemu.QemuArgv;
import toro.studio.qemu.QemuConfig;

/** The network part of QEMU's argv: every backend on every machine, the forwards, each refusal, the console note. */
class NetworkArgvTest {
	static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
	static final Endpoints E = Endpoints.in(Path.of("/tmp/toro-qemu-x"), -1);

	static List<String> argv(Machine m, Network n) {
		return QemuArgv.build(QEMU, QemuConfig.defaults(Path.of("/k/toro.elf")).withAccel(Accel.TCG).withMachine(m).withNetwork(n), E);
	}

	/** @return the arguments from the first {@code -netdev} to the end of the network part. */
	static List<String> netPart(List<String> a) {
		int i = a.indexOf("-netdev");
		assertTrue(i > 0, "no -netdev in " + a);
		return a.subList(i, a.size());
	}

	@Test
	void noNetworkLeavesTheArgvAsItWas() {
		for (Machine m : Machine.values()) {
			QemuConfig c = QemuConfig.defaults(Path.of("/k/toro.elf")).withAccel(Accel.TCG).withMachine(m);
			List<String> before = QemuArgv.build(QEMU, c, E);
			assertEquals(before, QemuArgv.build(QEMU, c.withNetwork(Network.NONE), E), "none is the argv without a network");
			assertEquals(before, QemuArgv.build(QEMU, c.withNetwork(null), E), "null is none");
			assertTrue(before.stream().noneMatch(x -> x.contains("netdev") || x.contains("virtio")), before.toString());
			// the argv that ran before networks existed, word for word (microvm shown; the others differ only in -machine)
			if (m == Machine.MICROVM)
				assertEquals(List.of(QEMU.toString(), "-machine", "microvm,pit=off,pic=off,rtc=off", "-accel", "tcg", "-smp", "1", "-m", "128",
						"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-kernel", "/k/toro.elf",
						"-chardev", "socket,id=com1,path=/tmp/toro-qemu-x/com1.sock,server=on,wait=on", "-serial", "chardev:com1",
						"-chardev", "socket,id=com2,path=/tmp/toro-qemu-x/com2.sock,server=on,wait=on", "-device", "isa-serial,chardev=com2,index=1",
						"-chardev", "socket,id=qmp,path=/tmp/toro-qemu-x/qmp.sock,server=on,wait=on", "-mon", "chardev=qmp,mode=control",
						"-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"), before);
		}
	}

	@Test
	void userNetworkingOnEachMachine() {
		Network n = Network.user(List.of(Forward.tcp(8080, 80)));
		assertEquals(List.of("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80", "-global", "virtio-mmio.force-legacy=false", "-device",
				"virtio-net-device,netdev=n0"), netPart(argv(Machine.MICROVM, n)));
		assertEquals(List.of("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80", "-device", "virtio-net-pci,netdev=n0"),
				netPart(argv(Machine.PC, n)));
		assertEquals(List.of("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80", "-device", "virtio-net-pci,netdev=n0,disable-legacy=on"),
				netPart(argv(Machine.Q35, n)));
	}

	@Test
	void userNetworkingWithoutForwardsAndWithSeveral() {
		assertEquals("user,id=n0", netPart(argv(Machine.PC, Network.user(List.of()))).get(1));
		Network n = Network.user(List.of(Forward.tcp(8080, 80), Forward.parse("8443:443"), Forward.parse("udp:5353:53"), Forward.tcp(8081, 80)));
		assertEquals("user,id=n0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:8443-:443,hostfwd=udp:127.0.0.1:5353-:53"
				+ ",hostfwd=tcp:127.0.0.1:8081-:80", netPart(argv(Machine.MICROVM, n)).get(1));
	}

	/** Every host side is 127.0.0.1: no rule may leave the address empty (QEMU's empty means every interface). */
	@Test
	void everyForwardBindsLoopbackOnly() {
		Network n = Network.user(List.of(Forward.tcp(1, 1), Forward.parse("tcp:65535:65535"), Forward.parse("UDP:9:9")));
		for (String opt : netPart(argv(Machine.Q35, n)).get(1).split(","))
			if (opt.startsWith("hostfwd="))
				assertTrue(opt.matches("hostfwd=(tcp|udp):127\\.0\\.0\\.1:\\d+-:\\d+"), opt);
	}

	@Test
	void tapOpensTheNamedDeviceWithoutScripts() {
		Network n = Network.tap("toro-tap0");
		assertEquals(List.of("-netdev", "tap,id=n0,ifname=toro-tap0,script=no,downscript=no", "-global", "virtio-mmio.force-legacy=false",
				"-device", "virtio-net-device,netdev=n0"), netPart(argv(Machine.MICROVM, n)));
		assertEquals(List.of("-netdev", "tap,id=n0,ifname=toro-tap0,script=no,downscript=no", "-device", "virtio-net-pci,netdev=n0"),
				netPart(argv(Machine.PC, n)));
		assertEquals(List.of("-netdev", "tap,id=n0,ifname=toro-tap0,script=no,downscript=no", "-device",
				"virtio-net-pci,netdev=n0,disable-legacy=on"), netPart(argv(Machine.Q35, n)));
	}

	/** The udp wire: QEMU's socket netdev, both ends on 127.0.0.1, with the machine's device as for the others. */
	@Test
	void aUdpWireIsASocketNetdevOnLoopback() {
		assertEquals(List.of("-netdev", "socket,id=n0,udp=127.0.0.1:5001,localaddr=127.0.0.1:5000", "-device",
				"virtio-net-pci,netdev=n0,disable-legacy=on"), netPart(argv(Machine.Q35, Network.udp(5000, 5001))));
	}

	/** Extra arguments stay last, after the network, so a user can still override a -global. */
	@Test
	void extraArgumentsComeAfterTheNetwork() {
		List<String> a = QemuArgv.build(QEMU, QemuConfig.defaults(Path.of("/k")).withNetwork(Network.user(List.of()))
				.withExtraArgs(List.of("-global", "virtio-mmio.force-legacy=true")), E);
		assertEquals(List.of("-global", "virtio-mmio.force-legacy=true"), a.subList(a.size() - 2, a.size()));
		assertTrue(a.indexOf("-netdev") < a.size() - 2);
	}

	@Test
	void forwardsParse() {
		assertEquals(Forward.tcp(8080, 80), Forward.parse("8080:80"));
		assertEquals(Forward.tcp(0, 80), Forward.parse(" tcp:0:80 "));
		assertEquals(new Forward(Forward.Protocol.UDP, 5353, 53), Forward.parse("udp:5353:53"));
		assertEquals("udp:5353:53", Forward.parse("udp:5353:53").toString());
		assertEquals("8080:80", Forward.parse("tcp:8080:80").toString());
		assertEquals(NetBackend.TAP, NetBackend.parse("Tap"));
	}

	@Test
	void badForwardsAreRefusedSayingWhatToWrite() {
		assertTrue(refused(() -> Forward.parse("8080")).contains("HOSTPORT:GUESTPORT"));
		assertTrue(refused(() -> Forward.parse("1:2:3")).contains("HOSTPORT:GUESTPORT"));
		assertTrue(refused(() -> Forward.parse("sctp:1:2")).contains("'sctp:1:2' is not HOSTPORT:GUESTPORT"));
		assertTrue(refused(() -> Forward.parse("http:80")).contains("'http' is not a port number"));
		assertTrue(refused(() -> Forward.parse("70000:80")).contains("host port 70000 is out of range"));
		assertTrue(refused(() -> Forward.parse("-1:80")).contains("out of range"));
		assertTrue(refused(() -> Forward.parse("8080:0")).contains("guest port 0 is out of range"));
		assertTrue(refused(() -> Forward.parse("8080:65536")).contains("guest port 65536"));
		assertTrue(refused(() -> NetBackend.parse("bridge")).contains("none, user, tap or udp"));
	}

	@Test
	void badNetworksAreRefusedSayingWhatToDo() {
		String twice = refused(() -> Network.user(List.of(Forward.tcp(8080, 80), Forward.tcp(8080, 81))));
		assertTrue(twice.contains("host port 8080 is forwarded twice"), twice);
		// two free-port requests are not duplicates, nor are tcp and udp on one number
		Network.user(List.of(Forward.tcp(0, 80), Forward.tcp(0, 81), Forward.tcp(53, 53), Forward.parse("udp:53:53")));
		assertTrue(refused(() -> new Network(NetBackend.NONE, null, List.of(Forward.tcp(8080, 80)))).contains("choose the user backend"));
		assertTrue(refused(() -> new Network(NetBackend.TAP, "tap0", List.of(Forward.tcp(8080, 80)))).contains("need user networking, not tap"));
		assertTrue(refused(() -> Network.tap("")).contains("create the tap device first"));
		assertTrue(refused(() -> Network.tap("a,b")).contains("'a,b'"), "a comma would smuggle a QEMU option");
		assertTrue(refused(() -> Network.tap("sixteen-chars-xx")).contains("15"));
		assertTrue(refused(() -> Network.tap(null)).contains("tap device name"));
		assertTrue(refused(() -> new Network(NetBackend.USER, "tap0", List.of())).contains("tap backend only"));
		assertTrue(refused(() -> new Network(null, null, null)).contains("none, user, tap or udp"));
		assertTrue(refused(() -> new Network(NetBackend.UDP, null, List.of())).contains("needs its two ports"));
		assertTrue(refused(() -> Network.udp(5000, 5000)).contains("two different ports"));
		assertTrue(refused(() -> new Network(NetBackend.USER, null, List.of(), new Network.UdpWire(1, 2))).contains("udp backend only"));
	}

	@Test
	void freePortRequestsGetDistinctFreeLoopbackPorts() throws Exception {
		try (ServerSocket held = new ServerSocket()) {
			held.bind(new InetSocketAddress("127.0.0.1", 0));
			Network n = Network.user(List.of(Forward.tcp(0, 80), Forward.tcp(held.getLocalPort() == 65535 ? 1 : held.getLocalPort() + 1, 81),
					Forward.tcp(0, 82), Forward.parse("udp:0:53")));
			assertTrue(n.hasFreePortRequests());
			Network r = n.withFreePorts();
			assertFalse(r.hasFreePortRequests());
			assertEquals(n.forwards().get(1), r.forwards().get(1), "a given port is kept");
			List<Integer> tcp = r.forwards().stream().filter(f -> f.protocol() == Forward.Protocol.TCP).map(Forward::hostPort).toList();
			assertEquals(3, tcp.stream().distinct().count(), tcp.toString());
			assertNotEquals(held.getLocalPort(), (int) tcp.get(0), "a bound port is not chosen");
			assertTrue(r.forwards().get(3).hostPort() > 0);
			assertEquals(List.of(80, 81, 82, 53), r.forwards().stream().map(Forward::guestPort).toList());
			assertTrue(Network.NONE.withFreePorts() == Network.NONE);
		}
	}

	@Test
	void theListeningLineIsNotedWithItsForward() {
		Network n = Network.user(List.of(Forward.tcp(8080, 80), Forward.parse("udp:9999:80"), Forward.tcp(9090, 81)));
		assertEquals("toro: listening on 10.0.2.15:80 (forwarded from 127.0.0.1:8080)", ForwardNotes.note("toro: listening on 10.0.2.15:80", n));
		assertEquals("toro: listening on 10.0.2.15:80 (forwarded from 127.0.0.1:8080)", ForwardNotes.note("toro: listening on 10.0.2.15:80\r", n));
		assertEquals("toro: listening on 10.0.2.15:81 (forwarded from 127.0.0.1:9090)", ForwardNotes.note("toro: listening on 10.0.2.15:81", n));
		assertNull(ForwardNotes.note("toro: listening on 10.0.2.15:82", n), "no forward to 82");
		assertNull(ForwardNotes.note("toro: listening on 10.0.2.15:80 now", n));
		assertNull(ForwardNotes.note("toro: ready", n));
		assertNull(ForwardNotes.note("toro: listening on 10.0.2.15:80", Network.NONE));
		Network two = Network.user(List.of(Forward.tcp(8080, 80), Forward.tcp(8081, 80)));
		assertEquals("toro: listening on 10.0.2.15:80 (forwarded from 127.0.0.1:8080, 127.0.0.1:8081)",
				ForwardNotes.note("toro: listening on 10.0.2.15:80", two));
	}

	/** The streaming forms: the guest's bytes pass unchanged, the note comes right after its line, across chunk boundaries. */
	@Test
	void theNoteFollowsItsLineInAStream() throws Exception {
		Network n = Network.user(List.of(Forward.tcp(8080, 80)));
		String guest = "toro: ready\ntoro: listening on 10.0.2.15:80\r\nhello é\ntoro: listening on 10.0.2.15:80\npartial";
		String expected = "toro: ready\ntoro: listening on 10.0.2.15:80\r\ntoro: listening on 10.0.2.15:80 (forwarded from 127.0.0.1:8080)\n"
				+ "hello é\ntoro: listening on 10.0.2.15:80\ntoro: listening on 10.0.2.15:80 (forwarded from 127.0.0.1:8080)\npartial";
		byte[] b = guest.getBytes(StandardCharsets.UTF_8);
		for (int chunk : new int[] { 1, 3, 17, b.length }) {
			ForwardNotes notes = new ForwardNotes(n);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			for (int i = 0; i < b.length; i += chunk)
				notes.copy(b, i, Math.min(chunk, b.length - i), out);
			assertEquals(expected, out.toString(StandardCharsets.UTF_8), "chunks of " + chunk);
			ForwardNotes chars = new ForwardNotes(n);
			StringBuilder s = new StringBuilder();
			for (int i = 0; i < guest.length(); i += chunk)
				s.append(chars.annotate(guest.substring(i, Math.min(guest.length(), i + chunk))));
			assertEquals(expected, s.toString(), "chunks of " + chunk + " chars");
		}
		String plain = "no network here\n";
		assertEquals(plain, new ForwardNotes(Network.NONE).annotate(plain));
	}

	private static String refused(org.junit.jupiter.api.function.Executable e) {
		return assertThrows(IllegalArgumentException.class, e).getMessage();
	}
}
