package toro.studio.telemetry.tests;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Encodes telemetry frames exactly as kernel-src/docs/telemetry.md describes, for the tests: version 1 by
 * {@code new Frames()}, version 2 by {@link #v2()}.
 */
final class Frames {
	private final ByteArrayOutputStream out = new ByteArrayOutputStream();
	private long seq;
	private int version = 1;

	/** @return an encoder of version-2 frames (longer HELLO and SAMPLE_END, NET and CONN frames). */
	static Frames v2() {
		Frames f = new Frames();
		f.version = 2;
		return f;
	}

	/** @return the bytes written so far. */
	byte[] bytes() {
		return out.toByteArray();
	}

	/** Skips {@code n} sequence numbers, as if those frames were lost. */
	Frames lose(int n) {
		seq += n;
		return this;
	}

	Frames hello(int ncpus, int hz, long tscKhz, String version) {
		return hello(ncpus, hz, tscKhz, version, 0);
	}

	/** A HELLO; {@code netdevs} is written only in version 2. */
	Frames hello(int ncpus, int hz, long tscKhz, String version, int netdevs) {
		ByteBuffer p = payload(this.version == 1 ? 24 : 28);
		p.putShort((short) ncpus).putShort((short) hz).putInt((int) tscKhz);
		p.put(padded(version, 16));
		if (this.version > 1)
			p.putShort((short) netdevs).putShort((short) 0);
		return frame(1, p);
	}

	/** A NET frame: rx/tx packets, requests and open connections; bytes are 100 per packet, the rest 0. */
	Frames net(int cpu, int tcpOpen, long rxPackets, long txPackets, long requests) {
		ByteBuffer p = payload(88);
		p.putShort((short) cpu).putShort((short) 0).putInt(tcpOpen);
		p.putLong(rxPackets).putLong(100 * rxPackets).putLong(txPackets).putLong(100 * txPackets);
		p.putLong(0).putLong(0).putLong(0).putLong(0).putLong(0).putLong(requests);
		return frame(5, p);
	}

	Frames iface(int index, int cpu, int mtu, byte[] mac, String name, String kind) {
		ByteBuffer p = payload(44);
		p.putShort((short) index).putShort((short) cpu).putShort((short) mtu).put(mac).put(padded(name, 8)).put(padded(kind, 24));
		return frame(7, p);
	}

	Frames conn(int slot, int state, int cpu, int laddr, int raddr, int lport, int rport, long rx, long tx) {
		ByteBuffer p = payload(40);
		p.putShort((short) slot).put((byte) state).put((byte) 0).putShort((short) cpu).putShort((short) 0);
		p.putInt(laddr).putInt(raddr).putShort((short) lport).putShort((short) rport).putInt(0).putLong(rx).putLong(tx);
		return frame(6, p);
	}

	Frames core(int cpu, int state, int tid, int ready, long tsc, long busy, long halted, long halts, long wakeups, long ctx, long ipis) {
		ByteBuffer p = payload(72);
		p.putLong(tsc).putShort((short) cpu).put((byte) state).put((byte) 0).putInt(tid).putInt(ready).putInt(0);
		p.putLong(busy).putLong(halted).putLong(halts).putLong(wakeups).putLong(ctx).putLong(ipis);
		return frame(2, p);
	}

	Frames thread(int tid, int cpu, int state, boolean polling, long cycles, String name) {
		ByteBuffer p = payload(32);
		p.putInt(tid).putShort((short) cpu).put((byte) state).put((byte) (polling ? 1 : 0)).putLong(cycles);
		p.put(padded(name, 16));
		return frame(3, p);
	}

	Frames sampleEnd(long number, int ncores, int nthreads) {
		return sampleEnd(number, ncores, nthreads, 0, 0, 0);
	}

	/** A SAMPLE_END; the NET, CONN and omitted counts are written only in version 2. */
	Frames sampleEnd(long number, int ncores, int nthreads, int nnet, int nconn, int omitted) {
		ByteBuffer p = payload(version == 1 ? 8 : 16);
		p.putInt((int) number).putShort((short) ncores).putShort((short) nthreads);
		if (version > 1)
			p.putShort((short) nnet).putShort((short) nconn).putShort((short) omitted).putShort((short) 0);
		return frame(4, p);
	}

	Frames raw(int type, byte[] payload) {
		return frame(type, ByteBuffer.wrap(payload));
	}

	Frames garbage(byte... b) {
		out.writeBytes(b);
		return this;
	}

	/** Writes header, payload and CRC-32 of bytes 2..end of payload. */
	private Frames frame(int type, ByteBuffer payload) {
		byte[] pl = payload.array();
		ByteBuffer f = ByteBuffer.allocate(10 + pl.length + 4).order(ByteOrder.LITTLE_ENDIAN);
		f.put((byte) 0xA5).put((byte) 0x5A).put((byte) version).put((byte) type).putShort((short) pl.length).putInt((int) seq++);
		f.put(pl);
		CRC32 crc = new CRC32();
		crc.update(f.array(), 2, 8 + pl.length);
		f.putInt((int) crc.getValue());
		out.writeBytes(f.array());
		return this;
	}

	private static ByteBuffer payload(int n) {
		return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
	}

	private static byte[] padded(String s, int n) {
		byte[] b = new byte[n];
		byte[] t = s.getBytes(StandardCharsets.UTF_8);
		System.arraycopy(t, 0, b, 0, Math.min(n, t.length));
		return b;
	}
}
