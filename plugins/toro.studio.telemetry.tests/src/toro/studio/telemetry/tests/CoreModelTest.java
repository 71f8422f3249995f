package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.CoreState;
import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.Sample;
import toro.studio.telemetry.TelemetryDecoder;

class CoreModelTest {
	@Test
	void ratesComeFromTwoSamplesAndTheTscFrequency() {
		CoreModel m = new CoreModel();
		AtomicInteger changes = new AtomicInteger();
		m.addListener(changes::incrementAndGet);
		TelemetryDecoder d = new TelemetryDecoder(m::accept);
		// 1 GHz TSC; the second sample is 0.5 s (500M cycles) after the first
		Frames f = new Frames().hello(1, 2, 1_000_000, "v");
		f.core(0, 1, 7, 2, 1_000_000_000L, 100, 300, 10, 20, 30, 0).thread(7, 0, 2, true, 5, "poller").sampleEnd(0, 1, 1);
		f.core(0, 2, 0, 0, 1_500_000_000L, 100 + 100_000_000L, 300 + 400_000_000L, 60, 70, 130, 0).sampleEnd(1, 1, 0);
		byte[] b = f.bytes();
		d.feed(b, 0, b.length);
		assertEquals(2, changes.get());
		List<CoreView> v = m.cores();
		assertEquals(1, v.size());
		CoreView c = v.get(0);
		assertEquals(CoreState.IDLE, c.state());
		assertEquals(200.0, c.contextSwitchesPerSec(), 1e-6);
		assertEquals(100.0, c.haltsPerSec(), 1e-6);
		assertEquals(100.0, c.wakeupsPerSec(), 1e-6);
		assertEquals(80.0, c.idlePercent(), 1e-6);
	}

	@Test
	void firstSampleShowsIdleSinceBootAndTheThreadName() {
		CoreModel m = new CoreModel();
		TelemetryDecoder d = new TelemetryDecoder(m::accept);
		Frames f = new Frames().hello(1, 2, 1_000_000, "v");
		f.core(0, 1, 7, 2, 1000, 25, 75, 1, 1, 1, 0).thread(7, 0, 2, false, 5, "worker").sampleEnd(0, 1, 1);
		byte[] b = f.bytes();
		d.feed(b, 0, b.length);
		CoreView c = m.cores().get(0);
		assertEquals(75.0, c.idlePercent(), 1e-9);
		assertEquals("worker", c.currentThread());
		assertEquals(2, c.ready());
		assertEquals(0, c.contextSwitchesPerSec());
		assertEquals(1, m.threads().size());
	}

	@Test
	void viewsOverALongerIntervalSkipTheSamplesBetween() {
		List<Sample> got = new ArrayList<>();
		TelemetryDecoder d = new TelemetryDecoder(got::add);
		Frames f = new Frames().hello(1, 10, 1_000_000, "v");
		for (int n = 0; n <= 10; n++) // 0.1 s apart, 10 switches and 1 halt each time
			f.core(0, 2, 0, 0, 1_000_000_000L + n * 100_000_000L, 50_000_000L * n, 50_000_000L * n, n, n, 10 * n, 0).sampleEnd(n, 1, 0);
		byte[] b = f.bytes();
		d.feed(b, 0, b.length);
		CoreView v = CoreModel.views(got.get(0), got.get(10)).get(0);
		assertEquals(100.0, v.contextSwitchesPerSec(), 1e-6);
		assertEquals(10.0, v.haltsPerSec(), 1e-6);
		assertEquals(50.0, v.idlePercent(), 1e-6);
		assertEquals(0, CoreModel.views(null, got.get(10)).get(0).haltsPerSec());
		assertEquals(50.0, CoreModel.views(got.get(10), got.get(10)).get(0).idlePercent(), 1e-6, "no interval: the share since boot");
	}
}
