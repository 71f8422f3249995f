package toro.studio.telemetry.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import toro.studio.telemetry.HostCpuSampler;

class HostCpuSamplerTest {
	/** A thread of this JVM spins for 0.6 s: the sampler must see it, in total and in its thread. */
	@Test
	void seesABusyThreadOfThisProcess() throws Exception {
		HostCpuSampler s = new HostCpuSampler(ProcessHandle.current().pid());
		AtomicBoolean stop = new AtomicBoolean();
		Thread spin = new Thread(() -> {
			long x = 0;
			while (!stop.get())
				x += System.nanoTime() & 1;
			if (x == -1)
				System.out.println(x);
		});
		spin.start();
		Thread.sleep(600);
		// sample while the spinner lives: an exited thread leaves /proc/PID/task
		double total = s.sampleTotalPercent();
		Map<Long, Double> perThread = s.samplePerThread();
		stop.set(true);
		spin.join();
		// generous: a shared 2-core machine still gives a spinning thread well over 20% of 0.6 s
		assertTrue(total > 20, "total " + total);
		assertFalse(perThread.isEmpty());
		assertTrue(perThread.values().stream().mapToDouble(Double::doubleValue).max().orElse(0) > 20, perThread.toString());
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
