package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import toro.studio.telemetry.ConnSample;
import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.NetInterface;
import toro.studio.telemetry.NetSample;
import toro.studio.telemetry.NetView;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.TcpState;
import toro.studio.telemetry.TelemetryDecoder;

/** Telemetry version 2 (NET and CONN frames) and version 1 compatibility, on captures of the real kernel and on edge cases. */
class TelemetryV2Test {
	private static final int HOST_10_0_2_15 = 0x0A00020F, HOST_10_0_2_2 = 0x0A000202;
	private final List<Sample> got = new ArrayList<>();
	private final TelemetryDecoder d = new TelemetryDecoder(got::add);

	private void feed(byte[] b) {
		d.feed(b, 0, b.length);
	}

	/** Every sample of a capture is complete and has 2 cores; the last one may be cut by the capture's end. */
	private void assertCleanCapture() {
		assertEquals(0, d.framesCorrupt(), "corrupt frames");
		assertEquals(0, d.framesDropped(), "dropped frames");
		assertEquals(0, d.framesUnknown(), "unknown frames");
		assertEquals(0, d.samplesIncomplete(), "incomplete samples");
		assertTrue(got.size() >= 20, got.size() + " samples");
		for (Sample s : got)
			assertEquals(2, s.cores().size());
	}

	@Test
	void aCapturedVersion1StreamStillDecodes() throws Exception {
		feed(Captures.bytes("v1-toro-2cpu.bin"));
		assertCleanCapture();
		assertEquals(1, d.hello().streamVersion());
		assertEquals(0, d.hello().netdevs());
		assertEquals(2, d.hello().ncpus());
		assertTrue(d.hello().tscKhz() > 0);
		for (Sample s : got) {
			assertEquals(List.of(), s.nets());
			assertEquals(List.of(), s.conns());
			assertFalse(s.hasNetwork());
		}
		CoreModel m = new CoreModel();
		got.forEach(m::accept);
		assertEquals(List.of(), m.net());
		assertFalse(m.hasNetwork());
		assertEquals(2, m.cores().size());
	}

	@Test
	void aCapturedVersion2StreamWithoutNetworkHasNoNetFrames() throws Exception {
		feed(Captures.bytes("v2-toro-2cpu.bin"));
		assertCleanCapture();
		assertEquals(2, d.hello().streamVersion());
		assertEquals(0, d.hello().netdevs());
		for (Sample s : got) {
			assertEquals(List.of(), s.nets(), "no device and no traffic: the kernel sends no NET frames");
			assertEquals(List.of(), s.conns());
			assertFalse(s.hasNetwork(), "no device, no traffic: no network columns");
		}
	}

	@Test
	void aCapturedVersion2StreamCarriesCountersAndConnections() throws Exception {
		feed(Captures.bytes("v2-fakenetstats-2cpu.bin"));
		assertCleanCapture();
		for (Sample s : got)
			assertEquals(2, s.nets().size(), "one NET frame per core once the counters moved");
		Sample last = got.get(got.size() - 1);
		assertTrue(last.hasNetwork());
		assertEquals(1, last.netdevs());
		assertEquals(List.of(new NetInterface(0, 0, 1500, "02:00:00:00:00:01", "net0", "fake: fakenetstats")), last.interfaces());
		assertEquals(last.interfaces(), got.get(0).interfaces(), "app_main registers it before the first sample's HELLO");
		assertEquals(List.of(new ConnSample(0, TcpState.LISTEN, 0, HOST_10_0_2_15, 0, 80, 0, 0, 0),
				new ConnSample(3, TcpState.ESTABLISHED, 0, HOST_10_0_2_15, HOST_10_0_2_2, 80, 40000, 1234, 567890),
				new ConnSample(7, TcpState.TIME_WAIT, 1, HOST_10_0_2_15, HOST_10_0_2_2, 80, 40001, 80, 4096)), last.conns());
		assertEquals("10.0.2.15:80", last.conns().get(1).local());
		assertEquals("10.0.2.2:40000", last.conns().get(1).remote());
		assertEquals("*", last.conns().get(0).remote());
		assertEquals(0, last.connsOmitted());
		NetSample n0 = last.nets().get(0);
		assertEquals(1, n0.tcpOpen());
		assertEquals(2 * n0.txPackets(), n0.rxPackets(), "the fake app sends one for two received");
		assertEquals(74 * n0.rxPackets(), n0.rxBytes());
		assertTrue(n0.requests() > 10, n0.toString());
		CoreModel m = new CoreModel();
		got.forEach(m::accept);
		List<NetView> v = m.net();
		assertEquals(2, v.size());
		for (NetView n : v) {
			assertTrue(n.rxPacketsPerSec() > 0 && n.txPacketsPerSec() > 0 && n.requestsPerSec() > 0, n.toString());
			// 2 in, 1 out per tick on every core, whatever the tick rate under TCG
			assertEquals(2 * n.txPacketsPerSec(), n.rxPacketsPerSec(), 1e-6 + 0.01 * n.rxPacketsPerSec());
		}
		assertEquals(3, m.connections().size());
		assertTrue(m.hasNetwork());
	}

	@Test
	void decodesEveryNetAndConnField() {
		Frames f = Frames.v2().hello(1, 10, 1_000_000, "v", 1);
		f.core(0, 1, 1, 0, 1_000_000_000L, 1, 1, 1, 1, 1, 0).net(0, 2, 10, 5, 3);
		f.conn(9, 4, 0, HOST_10_0_2_15, HOST_10_0_2_2, 80, 5555, 77, 88).sampleEnd(0, 1, 0, 1, 1, 4);
		f.core(0, 1, 1, 0, 1_500_000_000L, 1, 1, 1, 1, 1, 0).net(0, 2, 110, 55, 53).sampleEnd(1, 1, 0, 1, 0, 0);
		feed(f.bytes());
		assertEquals(2, got.size());
		assertEquals(0, d.framesCorrupt());
		assertEquals(0, d.samplesIncomplete());
		assertEquals(1, d.hello().netdevs());
		Sample s = got.get(0);
		assertEquals(1, s.netdevs());
		assertEquals(new NetSample(0, 2, 10, 1000, 5, 500, 0, 0, 0, 0, 0, 3), s.nets().get(0));
		assertEquals(new ConnSample(9, TcpState.ESTABLISHED, 0, HOST_10_0_2_15, HOST_10_0_2_2, 80, 5555, 77, 88), s.conns().get(0));
		assertEquals(4, s.connsOmitted());
		assertTrue(s.hasNetwork());
		NetView v = CoreModel.netViews(got.get(0), got.get(1)).get(0);
		assertEquals(200.0, v.rxPacketsPerSec(), 1e-9);
		assertEquals(100.0, v.txPacketsPerSec(), 1e-9);
		assertEquals(100.0, v.requestsPerSec(), 1e-9);
		assertEquals(2, v.connections());
		assertEquals(0, CoreModel.netViews(null, got.get(1)).get(0).rxPacketsPerSec());
	}

	@Test
	void ifaceFramesFollowTheHelloAndTheNextHelloStartsAFreshList() {
		byte[] mac = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
		Frames f = Frames.v2().hello(1, 10, 1_000_000, "v", 2);
		f.iface(0, 0, 1500, mac, "net0", "virtio-net (mmio v2) and more than 23 bytes");
		f.iface(1, 3, 9000, new byte[6], "net1", "");
		f.sampleEnd(0, 0, 0, 0, 0, 0);
		f.hello(1, 10, 1_000_000, "v", 1).iface(0, 0, 1500, mac, "net0", "virtio-net").sampleEnd(1, 0, 0, 0, 0, 0);
		feed(f.bytes());
		assertEquals(0, d.framesCorrupt());
		assertEquals(0, d.samplesIncomplete(), "IFACE frames belong to no sample");
		// a kind of 24 bytes without a NUL (the kernel always writes one) is read whole
		assertEquals(List.of(new NetInterface(0, 0, 1500, "52:54:00:12:34:56", "net0", "virtio-net (mmio v2) and"),
				new NetInterface(1, 3, 9000, "00:00:00:00:00:00", "net1", "")), got.get(0).interfaces());
		assertEquals(2, got.get(0).netdevs());
		assertEquals(List.of(new NetInterface(0, 0, 1500, "52:54:00:12:34:56", "net0", "virtio-net")), got.get(1).interfaces());
	}

	@Test
	void malformedIfaceFramesAreCountedAndSkipped() {
		Frames f = Frames.v2().hello(1, 10, 1_000_000, "v", 1);
		f.raw(7, new byte[43]); // one byte short
		f.iface(TelemetryDecoder.MAX_INTERFACES, 0, 1500, new byte[6], "x", ""); // index past the cap
		f.iface(0, TelemetryDecoder.MAX_CORES, 1500, new byte[6], "x", ""); // core past the cap
		f.iface(0, 0, 1500, new byte[6], "net0", "");
		f.iface(0, 0, 1500, new byte[6], "again", ""); // the same index twice
		f.sampleEnd(0, 0, 0, 0, 0, 0);
		feed(f.bytes());
		assertEquals(4, d.framesCorrupt());
		assertEquals(1, got.get(0).interfaces().size());
		assertEquals("net0", got.get(0).interfaces().get(0).name());
	}

	@Test
	void malformedNetAndConnFramesAreCountedAndSkipped() {
		Frames f = Frames.v2().hello(1, 10, 1_000_000, "v", 0);
		f.core(0, 1, 1, 0, 1000, 1, 1, 1, 1, 1, 0);
		f.raw(5, new byte[87]); // NET one byte short
		f.net(TelemetryDecoder.MAX_CORES, 0, 1, 1, 1); // core id past the cap
		f.net(0, 0, 1, 1, 1);
		f.net(0, 0, 9, 9, 9); // a second NET frame for the same core
		f.raw(6, new byte[39]); // CONN one byte short
		f.conn(1, 11, 0, 1, 2, 3, 4, 0, 0); // state past TIME_WAIT
		f.conn(2, 0, 0, 1, 2, 3, 4, 0, 0); // CLOSED: a free slot is never sent
		f.conn(3, 4, TelemetryDecoder.MAX_CORES, 1, 2, 3, 4, 0, 0); // core id past the cap
		f.conn(4, 4, 0, 1, 2, 3, 4, 0, 0);
		f.sampleEnd(0, 1, 0, 1, 1, 0);
		feed(f.bytes());
		assertEquals(7, d.framesCorrupt());
		assertEquals(1, got.size(), "the sample still arrives");
		assertEquals(List.of(new NetSample(0, 0, 1, 100, 1, 100, 0, 0, 0, 0, 0, 1)), got.get(0).nets());
		assertEquals(1, got.get(0).conns().size());
		assertEquals(4, got.get(0).conns().get(0).slot());
		assertEquals(0, d.samplesIncomplete(), "the good frames match the end's counts");
	}

	@Test
	void connFramesStopAtTheCap() {
		Frames f = Frames.v2().hello(1, 10, 1_000_000, "v", 0);
		int n = TelemetryDecoder.MAX_CONNS + 10;
		for (int i = 0; i < n; i++)
			f.conn(i, 4, 0, 1, 2, 3, 4, 0, 0);
		f.sampleEnd(0, 0, 0, 0, n, 0);
		feed(f.bytes());
		assertEquals(1, got.size());
		assertEquals(TelemetryDecoder.MAX_CONNS, got.get(0).conns().size());
		assertEquals(10, d.framesCorrupt());
		assertEquals(1, d.samplesIncomplete());
	}

	@Test
	void versionTwoHelloAndEndMustHaveTheirLongerPayloads() {
		Frames f = Frames.v2();
		f.raw(1, new byte[24]); // a version-1 sized HELLO in a version-2 frame
		f.raw(4, new byte[8]); // and a version-1 sized SAMPLE_END
		feed(f.bytes());
		assertEquals(2, d.framesCorrupt());
		assertEquals(0, got.size());
	}

	@Test
	void aMissingNetFrameMakesTheSampleIncomplete() {
		Frames f = Frames.v2().hello(2, 10, 1_000_000, "v", 0);
		f.core(0, 1, 1, 0, 1000, 1, 1, 1, 1, 1, 0).core(1, 1, 1, 0, 1000, 1, 1, 1, 1, 1, 0).net(0, 0, 1, 1, 1).lose(1);
		f.sampleEnd(0, 2, 0, 2, 0, 0);
		feed(f.bytes());
		assertEquals(1, got.size());
		assertEquals(1, d.samplesIncomplete());
		assertEquals(1, d.framesDropped());
	}

	@Test
	void versionsAboveTwoAreCorrupt() {
		byte[] b = Frames.v2().hello(1, 10, 1000, "v", 0).bytes();
		b[2] = 3;
		CRC32 crc = new CRC32(); // a good CRC, so that only the version is wrong
		crc.update(b, 2, b.length - 6);
		ByteBuffer.wrap(b, b.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
		feed(b);
		assertEquals(1, d.framesCorrupt());
		assertEquals(null, d.hello());
	}
}
