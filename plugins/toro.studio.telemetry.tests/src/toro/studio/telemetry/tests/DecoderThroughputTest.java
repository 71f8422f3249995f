package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import toro.studio.telemetry.TelemetryDecoder;

/**
 * A benchmark, not a timed test: decodes a stream of realistic samples (4 cores, 8 threads) in
 * 4 KiB reads and prints frames per second beside two baselines over the same bytes in the same
 * run: a bare scan for sync bytes, and CRC-32 alone. Asserts only that every frame decoded.
 */
class DecoderThroughputTest {
	static final int SAMPLES = 40_000, CORES = 4, THREADS = 8;

	@Test
	void framesPerSecond() {
		Frames f = new Frames().hello(CORES, 10, 2_000_000, "toro 0.1");
		for (int s = 0; s < SAMPLES; s++) {
			for (int c = 0; c < CORES; c++)
				f.core(c, 2, 0, 0, 1000L * s, s, 2L * s, s, s, 3L * s, 0);
			for (int t = 0; t < THREADS; t++)
				f.thread(t + 1, t % CORES, 4, t % 2 == 0, 77L * s, "worker" + t);
			f.sampleEnd(s, CORES, THREADS);
		}
		byte[] stream = f.bytes();
		long frames = 1 + (long) SAMPLES * (CORES + THREADS + 1);
		long[] samples = new long[1];
		double decode = best(() -> {
			TelemetryDecoder d = new TelemetryDecoder(x -> samples[0]++);
			for (int i = 0; i < stream.length; i += 4096)
				d.feed(stream, i, Math.min(4096, stream.length - i));
			assertEquals(frames, d.framesOk());
			assertEquals(0, d.framesCorrupt());
		});
		double scan = best(() -> {
			long syncs = 0;
			for (int i = 0; i + 1 < stream.length; i++)
				if ((stream[i] & 0xff) == 0xA5 && stream[i + 1] == 0x5A)
					syncs++;
			if (syncs < frames)
				throw new AssertionError("scan found " + syncs);
		});
		double crc = best(() -> {
			CRC32 c = new CRC32();
			c.update(stream, 0, stream.length);
			if (c.getValue() == 0x12345678L)
				System.out.print("");
		});
		System.out.printf("telemetry decoder: %d frames, %.1f MB; best of 5: decoder %.2f M frames/s (%.0f MB/s), "
				+ "sync scan alone %.0f MB/s, CRC-32 alone %.0f MB/s%n", frames, stream.length / 1e6, frames / decode / 1e6,
				stream.length / decode / 1e6, stream.length / scan / 1e6, stream.length / crc / 1e6);
	}

	/** @return the best wall time in seconds of 5 runs after 2 warm-ups. */
	static double best(Runnable r) {
		double best = Double.MAX_VALUE;
		for (int i = 0; i < 7; i++) {
			long t0 = System.nanoTime();
			r.run();
			double s = (System.nanoTime() - t0) / 1e9;
			if (i >= 2)
				best = Math.min(best, s);
		}
		return best;
	}
}
