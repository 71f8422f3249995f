package toro.studio.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import toro.studio.telemetry.HostCpuSampler;

/**
 * The host CPU of one QEMU process over a benchmark, sampled every {@link #PERIOD_MILLIS} ms from
 * /proc by its own thread: the whole process and each vCPU thread, in percent of one host core.
 *
 * <p>/proc counts in 10 ms ticks, so one 100 ms sample only resolves 10 %; every figure here is
 * therefore a time-weighted mean over a window of samples, never one sample, which makes a 2 s
 * window resolve 0.5 %.
 */
final class CpuTrace implements AutoCloseable {
	/** The sampling period. */
	static final long PERIOD_MILLIS = 100;
	/** {@link #secondsToIdle}: the host CPU below this, in percent of one core... */
	static final double IDLE_PERCENT = 1.0;
	/** ...over a window this long. */
	static final double IDLE_HOLD_SECONDS = 2.0;

	/**
	 * One sample: the interval ({@code startSeconds}, {@code endSeconds}] since the trace began, the
	 * process's CPU over it, and each vCPU's (by vCPU index; NaN where its thread is unknown).
	 */
	record Sample(double startSeconds, double endSeconds, double percent, double[] vcpus) {
	}

	private final HostCpuSampler sampler;
	private final long[] vcpuThreads;
	private final long originNanos = System.nanoTime();
	private final List<Sample> samples = new ArrayList<>();
	private final Thread thread;
	private volatile boolean stopped;
	private double last;

	/**
	 * Starts sampling process {@code pid} now; {@code vcpuThreads[i]} is the host thread id of vCPU
	 * {@code i} (-1: unknown).
	 */
	CpuTrace(long pid, long[] vcpuThreads) {
		this.sampler = new HostCpuSampler(pid);
		this.vcpuThreads = vcpuThreads.clone();
		sampler.samplePerThread();
		thread = new Thread(this::loop, "toro-bench-cpu " + pid);
		thread.setDaemon(true);
		thread.start();
	}

	/** Seconds since the trace began, on the samples' clock. */
	double now() {
		return (System.nanoTime() - originNanos) / 1e9;
	}

	private void loop() {
		while (!stopped) {
			try {
				Thread.sleep(PERIOD_MILLIS);
			} catch (InterruptedException e) {
				return;
			}
			double total = sampler.sampleTotalPercent();
			Map<Long, Double> threads = sampler.samplePerThread();
			double t = now();
			if (Double.isNaN(total))
				return; // QEMU has exited: the trace ends here
			double[] v = new double[vcpuThreads.length];
			for (int i = 0; i < v.length; i++)
				v[i] = threads.getOrDefault(vcpuThreads[i], Double.NaN);
			synchronized (this) {
				samples.add(new Sample(last, t, total, v));
			}
			last = t;
		}
	}

	/** The samples so far, oldest first. */
	synchronized List<Sample> samples() {
		return List.copyOf(samples);
	}

	/** Stops sampling; the samples stay. */
	@Override
	public void close() {
		stopped = true;
		thread.interrupt();
		try {
			thread.join(1000);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** The time-weighted mean of the process's CPU over samples ending in ({@code from}, {@code to}]; NaN if none. */
	static double mean(List<Sample> samples, double from, double to) {
		return mean(samples, from, to, -1);
	}

	/** As {@link #mean(List, double, double)}, for vCPU {@code vcpu} (-1: the whole process). */
	static double mean(List<Sample> samples, double from, double to, int vcpu) {
		double weighted = 0, seconds = 0;
		for (Sample s : samples) {
			if (s.endSeconds() <= from || s.endSeconds() > to)
				continue;
			double v = vcpu < 0 ? s.percent() : s.vcpus()[vcpu];
			if (Double.isNaN(v))
				continue;
			double dt = s.endSeconds() - s.startSeconds();
			weighted += v * dt;
			seconds += dt;
		}
		return seconds == 0 ? Double.NaN : weighted / seconds;
	}

	/**
	 * seconds_to_idle: the time from {@code stressEnd} to the first sample boundary {@code t} after it
	 * from which the process's CPU stays below {@value #IDLE_PERCENT} % of a core for
	 * {@value #IDLE_HOLD_SECONDS} s, i.e. its mean over ({@code t}, {@code t} + {@value #IDLE_HOLD_SECONDS} s]
	 * is below that. NaN when no such window ends before {@code until}.
	 */
	static double secondsToIdle(List<Sample> samples, double stressEnd, double until) {
		for (Sample s : samples) {
			double t = s.startSeconds();
			if (t >= stressEnd && t + IDLE_HOLD_SECONDS <= until && mean(samples, t, t + IDLE_HOLD_SECONDS) < IDLE_PERCENT)
				return t - stressEnd;
		}
		return Double.NaN;
	}
}
