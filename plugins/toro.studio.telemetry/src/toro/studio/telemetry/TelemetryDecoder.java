package toro.studio.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Decodes the kernel's COM2 telemetry stream (kernel-src/docs/telemetry.md, versions 1 and 2) into
 * {@link Sample}s. Each frame is read by the version in its own header. Bytes may arrive in pieces of any size. A frame whose version, length or CRC
 * is wrong is counted as corrupt and the scan resumes one byte later; bytes before a sync mark
 * are skipped and counted; a gap in sequence numbers counts dropped frames. Nothing that arrives
 * on the wire makes it throw. Call {@link #feed} from one thread at a time; the counters may be
 * read from any thread.
 */
public final class TelemetryDecoder {
	/** The two sync bytes that open every frame. */
	public static final int SYNC0 = 0xA5, SYNC1 = 0x5A;
	/** The newest and the oldest stream versions this decoder reads. */
	public static final int VERSION = 2, OLDEST_VERSION = 1;
	/** Bytes before the payload (sync, version, type, length, sequence) and the CRC after it. */
	public static final int HEADER = 10, TRAILER = 4;
	/** The largest payload the format allows. */
	public static final int MAX_PAYLOAD = 1024;
	/**
	 * Bounds on what one sample may hold, far above the kernel's own (16 cores, 256 threads, 64
	 * CONN frames): a CORE, NET, THREAD or CONN frame naming a core at or above MAX_CORES, a
	 * second NET frame of one core, or a THREAD or CONN frame beyond MAX_THREADS or MAX_CONNS
	 * in a sample, is malformed, so that a broken or hostile stream cannot grow the decoder's
	 * memory without bound.
	 */
	public static final int MAX_CORES = 256, MAX_THREADS = 4096, MAX_CONNS = 1024;
	/** The most IFACE frames kept after one HELLO (the kernel has 4 devices at most); one beyond, or a repeated index, is malformed. */
	public static final int MAX_INTERFACES = 64;
	/** Frame types. */
	public static final int HELLO = 1, CORE = 2, THREAD = 3, SAMPLE_END = 4, NET = 5, CONN = 6, IFACE = 7;

	private final Consumer<Sample> sink;
	private final CRC32 crc = new CRC32();
	private byte[] buf = new byte[4096];
	private int start, end;
	private boolean haveSeq;
	private long nextSeq;
	private final List<CoreSample> cores = new ArrayList<>();
	private final List<ThreadSample> threads = new ArrayList<>();
	private final List<NetSample> nets = new ArrayList<>();
	private final List<ConnSample> conns = new ArrayList<>();
	private final List<NetInterface> interfaces = new ArrayList<>();
	private volatile Hello hello;
	private volatile long framesOk, framesCorrupt, framesDropped, framesUnknown, bytesSkipped, samples, samplesIncomplete;

	/** @param sink receives each sample on the thread that calls {@link #feed}. */
	public TelemetryDecoder(Consumer<Sample> sink) {
		this.sink = sink;
	}

	/** Decodes {@code len} more bytes of the stream from {@code b[off..]}. */
	public void feed(byte[] b, int off, int len) {
		if (end + len > buf.length) {
			int keep = end - start;
			if (keep + len > buf.length)
				buf = Arrays.copyOfRange(buf, start, start + Math.max(2 * buf.length, keep + len));
			else
				System.arraycopy(buf, start, buf, 0, keep);
			start = 0;
			end = keep;
		}
		System.arraycopy(b, off, buf, end, len);
		end += len;
		scan();
	}

	/** Takes every complete frame out of the buffer; stops at a frame that has not fully arrived. */
	private void scan() {
		while (end - start >= 2) {
			if ((buf[start] & 0xff) != SYNC0 || (buf[start + 1] & 0xff) != SYNC1) {
				start++;
				bytesSkipped++;
				continue;
			}
			if (end - start < HEADER)
				return;
			int version = buf[start + 2] & 0xff;
			int length = u16(start + 4);
			if (version < OLDEST_VERSION || version > VERSION || length > MAX_PAYLOAD) {
				framesCorrupt++;
				start++;
				continue;
			}
			int size = HEADER + length + TRAILER;
			if (end - start < size)
				return;
			crc.reset();
			crc.update(buf, start + 2, HEADER - 2 + length);
			if ((int) crc.getValue() != (int) u32(start + HEADER + length)) {
				framesCorrupt++;
				start++;
				continue;
			}
			int type = buf[start + 3] & 0xff;
			long seq = u32(start + 6);
			if (frame(version, type, start + HEADER, length)) {
				framesOk++;
				sequence(seq);
			} else {
				framesCorrupt++;
			}
			start += size;
		}
	}

	/** Counts the frames missing before {@code seq}; a jump backwards (a reboot) just restarts the count. */
	private void sequence(long seq) {
		if (haveSeq) {
			long gap = (seq - nextSeq) & 0xffffffffL;
			if (gap < 0x80000000L)
				framesDropped += gap;
		}
		haveSeq = true;
		nextSeq = (seq + 1) & 0xffffffffL;
	}

	/**
	 * Decodes one frame whose CRC was good; HELLO and SAMPLE_END are longer in version 2.
	 *
	 * @return false when its payload is malformed
	 */
	private boolean frame(int version, int type, int p, int n) {
		boolean v2 = version >= 2;
		switch (type) {
		case HELLO:
			if (n < (v2 ? 28 : 24))
				return false;
			hello = new Hello(u16(p), u16(p + 2), u32(p + 4), text(p + 8, 16), v2 ? u16(p + 24) : 0, version);
			interfaces.clear(); // its IFACE frames follow
			return true;
		case IFACE:
			return n >= 44 && iface(p);
		case CORE:
			return n >= 72 && core(p);
		case THREAD:
			return n >= 32 && thread(p);
		case NET:
			return n >= 88 && net(p);
		case CONN:
			return n >= 40 && conn(p);
		case SAMPLE_END:
			if (n < (v2 ? 16 : 8))
				return false;
			if (v2)
				endSample(u32(p), u16(p + 4), u16(p + 6), u16(p + 8), u16(p + 10), u16(p + 12));
			else
				endSample(u32(p), u16(p + 4), u16(p + 6), 0, 0, 0);
			return true;
		default:
			framesUnknown++;
			return true;
		}
	}

	private boolean core(int p) {
		CoreState state = CoreState.ofWire(buf[p + 10] & 0xff);
		if (state == null)
			return false;
		int cpu = u16(p + 8);
		if (cpu >= MAX_CORES)
			return false;
		for (CoreSample c : cores) {
			if (c.cpu() == cpu) {
				// the previous sample's end was lost: its frames belong to no sample
				samplesIncomplete++;
				clearSample();
				break;
			}
		}
		cores.add(new CoreSample(cpu, state, (int) u32(p + 12), (int) u32(p + 16), u64(p), u64(p + 24), u64(p + 32),
				u64(p + 40), u64(p + 48), u64(p + 56), u64(p + 64)));
		return true;
	}

	private boolean thread(int p) {
		ThreadState state = ThreadState.ofWire(buf[p + 6] & 0xff);
		if (state == null || u16(p + 4) >= MAX_CORES || threads.size() >= MAX_THREADS)
			return false;
		threads.add(new ThreadSample((int) u32(p), u16(p + 4), state, (buf[p + 7] & 1) != 0, u64(p + 8), text(p + 16, 16)));
		return true;
	}

	private boolean net(int p) {
		int cpu = u16(p);
		if (cpu >= MAX_CORES)
			return false;
		for (NetSample n : nets)
			if (n.cpu() == cpu)
				return false;
		nets.add(new NetSample(cpu, (int) u32(p + 4), u64(p + 8), u64(p + 16), u64(p + 24), u64(p + 32), u64(p + 40), u64(p + 48),
				u64(p + 56), u64(p + 64), u64(p + 72), u64(p + 80)));
		return true;
	}

	private boolean iface(int p) {
		int index = u16(p);
		if (index >= MAX_INTERFACES || u16(p + 2) >= MAX_CORES || interfaces.size() >= MAX_INTERFACES)
			return false;
		for (NetInterface i : interfaces)
			if (i.index() == index)
				return false;
		StringBuilder mac = new StringBuilder();
		for (int k = 0; k < 6; k++)
			mac.append(k == 0 ? "" : ":").append(String.format("%02x", buf[p + 6 + k] & 0xff));
		interfaces.add(new NetInterface(index, u16(p + 2), u16(p + 4), mac.toString(), text(p + 12, 8), text(p + 20, 24)));
		return true;
	}

	private boolean conn(int p) {
		TcpState state = TcpState.ofWire(buf[p + 2] & 0xff);
		// CLOSED is a free slot: the kernel never sends one
		if (state == null || state == TcpState.CLOSED || u16(p + 4) >= MAX_CORES || conns.size() >= MAX_CONNS)
			return false;
		conns.add(new ConnSample(u16(p), state, u16(p + 4), (int) u32(p + 8), (int) u32(p + 12), u16(p + 16), u16(p + 18),
				u64(p + 24), u64(p + 32)));
		return true;
	}

	/**
	 * Publishes the frames gathered since the last SAMPLE_END; a count mismatch marks it incomplete.
	 * A version-1 end has no NET or CONN counts (0, as there are no such frames).
	 */
	private void endSample(long number, int ncores, int nthreads, int nnet, int nconn, int omitted) {
		if (ncores != cores.size() || nthreads != threads.size() || nnet != nets.size() || nconn != conns.size())
			samplesIncomplete++;
		Hello h = hello;
		Sample s = new Sample(number, h == null ? 0 : h.tscKhz(), h == null ? 0 : h.netdevs(), cores, threads, nets, conns, omitted,
				interfaces);
		clearSample();
		samples++;
		sink.accept(s);
	}

	private void clearSample() {
		cores.clear();
		threads.clear();
		nets.clear();
		conns.clear();
	}

	private int u16(int p) {
		return (buf[p] & 0xff) | (buf[p + 1] & 0xff) << 8;
	}

	private long u32(int p) {
		return (u16(p) | (long) u16(p + 2) << 16) & 0xffffffffL;
	}

	private long u64(int p) {
		return u32(p) | u32(p + 4) << 32;
	}

	private String text(int p, int max) {
		int n = 0;
		while (n < max && buf[p + n] != 0)
			n++;
		return new String(buf, p, n, StandardCharsets.UTF_8);
	}

	/** @return the last HELLO frame, or null before the first. */
	public Hello hello() {
		return hello;
	}

	/** @return frames decoded, CRC good. */
	public long framesOk() {
		return framesOk;
	}

	/** @return frames rejected: bad version, length, CRC, or a malformed payload. */
	public long framesCorrupt() {
		return framesCorrupt;
	}

	/** @return frames missing from the sequence numbers (lost or rejected). */
	public long framesDropped() {
		return framesDropped;
	}

	/** @return frames of a type this decoder does not know (skipped, CRC good). */
	public long framesUnknown() {
		return framesUnknown;
	}

	/** @return bytes skipped while looking for a sync mark. */
	public long bytesSkipped() {
		return bytesSkipped;
	}

	/** @return samples published. */
	public long samples() {
		return samples;
	}

	/** @return samples whose frame counts did not match their SAMPLE_END, or whose end was lost. */
	public long samplesIncomplete() {
		return samplesIncomplete;
	}
}
