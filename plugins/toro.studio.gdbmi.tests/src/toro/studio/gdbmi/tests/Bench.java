package toro.studio.gdbmi.tests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.KernelStats;
import toro.studio.gdbmi.mi.MiParser;

/**
 * Benchmarks, run by hand (not a test):
 * {@code java -Dtoro.root=ROOT -cp JARS:target/classes toro.studio.gdbmi.tests.Bench parser|step}.
 * parser: MiParser on the captured transcripts against String.split of the same lines.
 * step: round trip of -exec-step to its *stopped on the real kernel under TCG, median of 100;
 * then the time to read the kernel's statistics and thread table by symbol.
 */
public final class Bench {
	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 1 && args[0].equals("parser"))
			parser();
		else if (args.length == 1 && args[0].equals("step"))
			step();
		else
			System.err.println("usage: Bench parser|step");
	}

	/** Records per second, best of 5 rounds over the transcripts repeated to 200k lines. */
	private static void parser() throws Exception {
		List<String> seed = new ArrayList<>(Fixtures.miLines("qemu-toro-smp4.mi"));
		seed.addAll(Fixtures.miLines("linux-threads.mi"));
		List<String> lines = new ArrayList<>();
		while (lines.size() < 200_000)
			lines.addAll(seed);
		long chars = lines.stream().mapToLong(String::length).sum();
		double best = 0, bestSplit = 0;
		long sink = 0;
		for (int round = 0; round < 8; round++) {
			long t0 = System.nanoTime();
			for (String l : lines)
				sink += MiParser.parse(l).hashCode() & 1;
			long t1 = System.nanoTime();
			for (String l : lines)
				sink += l.split(",").length;
			long t2 = System.nanoTime();
			if (round >= 3) {
				best = Math.max(best, lines.size() / ((t1 - t0) / 1e9));
				bestSplit = Math.max(bestSplit, lines.size() / ((t2 - t1) / 1e9));
			}
		}
		System.out.printf("lines %d (%d distinct captured lines), %.1f MB of text%n", lines.size(), seed.size(), chars / 1e6);
		System.out.printf("MiParser.parse   %,12.0f records/s  (%.0f MB/s)%n", best, best * chars / lines.size() / 1e6);
		System.out.printf("String.split(\",\") %,12.0f lines/s   (%.0f MB/s)  [baseline]%n", bestSplit, bestSplit * chars / lines.size() / 1e6);
		System.out.println("(ignore) " + sink);
	}

	/** Median and spread of 100 source-line steps from kmain (debug image), command to *stopped. */
	private static void step() throws Exception {
		Path elf = TestKernel.image("debug");
		try (TestQemu q = TestQemu.start(elf, 1); GdbSession g = GdbSession.start(Path.of("gdb"), elf)) {
			g.connect(q.target, Duration.ofSeconds(20));
			g.insertBreakpoint(BreakpointSpec.at("kmain"));
			g.cont();
			g.waitForStop(Duration.ofSeconds(60));
			// Not next: QEMU's stub single-steps with interrupts masked, so stepping over
			// kmain's calls that wait for a timer tick would never end.
			for (String kind : List.of("step", "stepi")) {
				long[] ns = new long[100];
				for (int i = 0; i < ns.length; i++) {
					long t0 = System.nanoTime();
					if (kind.equals("step"))
						g.step();
					else
						g.stepInstruction();
					g.waitForStop(Duration.ofSeconds(60));
					ns[i] = System.nanoTime() - t0;
				}
				Arrays.sort(ns);
				System.out.printf("%-5s x100: median %.1f ms, p10 %.1f ms, p90 %.1f ms, max %.1f ms%n", kind, ns[50] / 1e6,
						ns[10] / 1e6, ns[90] / 1e6, ns[99] / 1e6);
			}
			long[] ns = new long[20];
			long[] commands = new long[20];
			for (int i = 0; i < ns.length; i++) {
				long t0 = System.nanoTime(), c0 = g.commandsSent();
				KernelStats.readCpuStats(g);
				KernelStats.readThreads(g);
				ns[i] = System.nanoTime() - t0;
				commands[i] = g.commandsSent() - c0;
			}
			Arrays.sort(ns);
			System.out.printf("KernelStats.readCpuStats + readThreads x20: median %.1f ms; MI commands: first read %d, then %d%n",
					ns[10] / 1e6, commands[0], commands[1]);
		}
	}
}
