package toro.studio.telemetry;

import java.util.List;

/**
 * One telemetry sample: every core and thread as the boot core saw them at one moment.
 *
 * @param number  the kernel's sample number (+1 per sample)
 * @param tscKhz  the TSC frequency from the last HELLO frame, 0 before one was seen
 * @param cores   the CORE frames, in arrival order
 * @param threads the THREAD frames, in arrival order
 */
public record Sample(long number, long tscKhz, List<CoreSample> cores, List<ThreadSample> threads) {
	public Sample {
		cores = List.copyOf(cores);
		threads = List.copyOf(threads);
	}
}
