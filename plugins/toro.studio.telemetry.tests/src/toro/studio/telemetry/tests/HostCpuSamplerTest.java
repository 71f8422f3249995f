package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import toro.studio.telemetry.HostCpuSampler;

class HostCpuSamplerTest {
	/**
	 * A thread of this JVM burns 300 ms of CPU (however long that takes on a loaded machine), then
	 * waits, alive, while the sampler looks: its share must match what the JVM itself measured.
	 */
	@Test
	void seesABusyThreadOfThisProcess() throws Exception {
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		long burn = 300_000_000L;
		CountDownLatch burnt = new CountDownLatch(1), release = new CountDownLatch(1);
		long t0 = System.nanoTime();
		HostCpuSampler s = new HostCpuSampler(ProcessHandle.current().pid());
		Thread spin = new Thread(() -> {
			long start = mx.getCurrentThreadCpuTime();
			while (mx.getCurrentThreadCpuTime() - start < burn) {
				// burn
			}
			burnt.countDown();
			try {
				release.await(); // stay alive: an exited thread leaves /proc/PID/task
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		});
		spin.start();
		burnt.await();
		Map<Long, Double> perThread = s.samplePerThread();
		double total = s.sampleTotalPercent();
		double wall = (System.nanoTime() - t0) / 1e9;
		release.countDown();
		spin.join();
		double expected = 100.0 * burn / 1e9 / wall;
		double top = perThread.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
		// /proc counts in 10 ms ticks: 300 ms is 30 ticks, so half of the expected share is a wide margin
		assertTrue(top > expected * 0.5 && top < expected * 1.5 + 10, "busiest thread " + top + "%, expected about " + expected + "%");
		assertTrue(total >= top * 0.9, "total " + total + "% below the busiest thread's " + top + "%");
	}

	@Test
	void aProcessThatIsGoneGivesNaN() throws Exception {
		Process p = new ProcessBuilder("true").start();
		p.waitFor();
		HostCpuSampler s = new HostCpuSampler(p.pid());
		assertTrue(Double.isNaN(s.sampleTotalPercent()));
		assertTrue(s.samplePerThread().isEmpty());
	}
}
