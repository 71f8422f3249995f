package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import toro.studio.telemetry.CoreSample;
import toro.studio.telemetry.CoreState;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.TelemetryDecoder;
import toro.studio.telemetry.ThreadSample;
import toro.studio.telemetry.ThreadState;

class TelemetryDecoderTest {
	private final List<Sample> got = new ArrayList<>();
	private final TelemetryDecoder d = new TelemetryDecoder(got::add);

	/** One HELLO and two samples of two cores and one thread each. */
	static Frames twoSamples() {
		Frames f = new Frames().hello(2, 10, 2_000_000, "toro 0.1");
		for (int n = 0; n < 2; n++) {
			f.core(0, 1, 1, 0, 1000 + n * 200_000_000L, 10 + n, 20 + n, 3 + n, 4 + n, 5 + n, 6);
			f.core(1, 2, 0, 0, 1001 + n * 200_000_000L, 7, 8 + n * 100, 9, 10, 11, 12);
			f.thread(1, 0, 2, false, 12345, "main");
			f.sampleEnd(n, 2, 1);
		}
		return f;
	}

	void feed(byte[] b) {
		d.feed(b, 0, b.length);
	}

	@Test
	void decodesEveryField() {
		feed(twoSamples().bytes());
		assertEquals(2, got.size());
		assertEquals(0, d.framesCorrupt());
		assertEquals(0, d.framesDropped());
		assertEquals(9, d.framesOk());
		assertEquals("toro 0.1", d.hello().version());
		assertEquals(2, d.hello().ncpus());
		Sample s = got.get(1);
		assertEquals(1, s.number());
		assertEquals(2_000_000, s.tscKhz());
		assertEquals(new CoreSample(0, CoreState.RUNNING, 1, 0, 1000 + 200_000_000L, 11, 21, 4, 5, 6, 6), s.cores().get(0));
		assertEquals(CoreState.IDLE, s.cores().get(1).state());
		assertEquals(new ThreadSample(1, 0, ThreadState.RUNNING, false, 12345, "main"), s.threads().get(0));
	}

	@Test
	void framesBeyondTheCapsAreMalformedAndTheSampleStillArrives() {
		Frames f = new Frames().hello(1, 10, 2_000_000, "toro 0.1");
		f.core(0, 1, 1, 0, 1000, 1, 2, 3, 4, 5, 6);
		f.core(TelemetryDecoder.MAX_CORES, 1, 1, 0, 1000, 1, 2, 3, 4, 5, 6);
		f.thread(1, TelemetryDecoder.MAX_CORES + 5, 2, false, 1, "far");
		for (int t = 0; t < TelemetryDecoder.MAX_THREADS + 10; t++)
			f.thread(t, 0, 2, false, 1, "t" + t);
		f.sampleEnd(0, 1, TelemetryDecoder.MAX_THREADS + 10);
		feed(f.bytes());
		assertEquals(1, got.size());
		assertEquals(1, got.get(0).cores().size(), "the core id past the cap is dropped");
		assertEquals(TelemetryDecoder.MAX_THREADS, got.get(0).threads().size(), "threads stop at the cap");
		assertEquals(1 + 1 + 10, d.framesCorrupt());
	}

	@Test
	void bytesMayArriveOneAtATime() {
		byte[] b = twoSamples().bytes();
		for (int i = 0; i < b.length; i++)
			d.feed(b, i, 1);
		assertEquals(2, got.size());
		assertEquals(0, d.framesCorrupt());
	}

	@Test
	void lateStartResynchronises() {
		byte[] b = twoSamples().bytes();
		// start in the middle of the HELLO frame, as a reader that connects late does
		d.feed(b, 13, b.length - 13);
		assertEquals(2, got.size());
		assertTrue(d.bytesSkipped() > 0);
	}

	@Test
	void badCrcIsCountedAndSkipped() {
		byte[] b = twoSamples().bytes();
		int hello = 10 + 24 + 4;
		b[hello + 20] ^= 0x40; // a byte inside the first CORE frame's payload
		feed(b);
		assertEquals(1, d.framesCorrupt());
		assertEquals(1, d.framesDropped(), "the sequence gap shows the rejected frame");
		assertEquals(2, got.size());
		assertEquals(1, d.samplesIncomplete(), "the first sample lacks a core");
		assertEquals(1, got.get(0).cores().size());
	}

	@Test
	void badVersionAndHugeLengthAreCorrupt() {
		Frames f = new Frames().hello(1, 10, 1000, "v");
		byte[] good = f.bytes();
		byte[] badVersion = good.clone();
		badVersion[2] = 7;
		byte[] huge = good.clone();
		huge[4] = (byte) 0xff;
		huge[5] = (byte) 0xff;
		feed(badVersion);
		feed(huge);
		feed(good);
		assertEquals(2, d.framesCorrupt());
		assertEquals(1, d.framesOk());
	}

	@Test
	void sequenceGapsCountDroppedFrames() {
		Frames f = new Frames().hello(1, 10, 1000, "v").lose(5).sampleEnd(0, 0, 0).lose(1).sampleEnd(1, 0, 0);
		feed(f.bytes());
		assertEquals(6, d.framesDropped());
		assertEquals(2, got.size());
	}

	@Test
	void lostSampleEndStartsAFreshSample() {
		Frames f = new Frames().hello(1, 10, 1000, "v");
		f.core(0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1).lose(1); // its SAMPLE_END was lost
		f.core(0, 2, 0, 0, 2, 2, 2, 2, 2, 2, 2).sampleEnd(1, 1, 0);
		feed(f.bytes());
		assertEquals(1, got.size());
		assertEquals(2, got.get(0).cores().get(0).tsc());
		assertEquals(1, d.samplesIncomplete());
		assertEquals(1, d.framesDropped());
	}

	@Test
	void unknownTypeWithGoodCrcIsSkipped() {
		feed(new Frames().raw(99, new byte[] { 1, 2, 3 }).sampleEnd(0, 0, 0).bytes());
		assertEquals(1, d.framesUnknown());
		assertEquals(0, d.framesCorrupt());
		assertEquals(1, got.size());
	}

	@Test
	void shortPayloadAndBadStateAreCorrupt() {
		Frames f = new Frames().raw(2, new byte[10]).core(0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0).thread(1, 0, 77, false, 0, "x");
		feed(f.bytes());
		assertEquals(3, d.framesCorrupt());
		assertEquals(0, d.framesOk());
	}

	@Test
	void truncatedStreamKeepsTheTailUntilMoreArrives() {
		byte[] b = twoSamples().bytes();
		d.feed(b, 0, b.length - 3);
		assertEquals(1, got.size());
		d.feed(b, b.length - 3, 3);
		assertEquals(2, got.size());
	}

	/** Random bytes, and valid streams with random damage: never an exception, always recovers. */
	@Test
	void fuzzNeverThrowsAndRecovers() {
		Random r = new Random(42);
		byte[] clean = twoSamples().bytes();
		for (int round = 0; round < 2000; round++) {
			List<Sample> out = new ArrayList<>();
			TelemetryDecoder fd = new TelemetryDecoder(out::add);
			byte[] noise = new byte[r.nextInt(3000)];
			r.nextBytes(noise);
			if (round % 3 == 0 && noise.length > 1) // sync marks in the noise make frame-like junk
				for (int k = 0; k + 1 < noise.length; k += 1 + r.nextInt(40)) {
					noise[k] = (byte) 0xA5;
					noise[k + 1] = 0x5A;
				}
			byte[] damaged = clean.clone();
			for (int k = r.nextInt(6); k > 0; k--)
				damaged[r.nextInt(damaged.length)] ^= (byte) (1 + r.nextInt(255));
			byte[] all = concat(noise, damaged, clean);
			for (int i = 0; i < all.length;) {
				int n = Math.min(all.length - i, 1 + r.nextInt(300));
				fd.feed(all, i, n);
				i += n;
			}
			// the clean copy at the end always decodes: resynchronised after the junk
			assertTrue(out.size() >= 2, "round " + round + ": " + out.size() + " samples");
			Sample last = out.get(out.size() - 1);
			assertEquals(2, last.cores().size());
			assertEquals(1, last.number());
		}
	}

	static byte[] concat(byte[]... parts) {
		int n = 0;
		for (byte[] p : parts)
			n += p.length;
		byte[] all = new byte[n];
		int at = 0;
		for (byte[] p : parts) {
			System.arraycopy(p, 0, all, at, p.length);
			at += p.length;
		}
		return all;
	}
}
