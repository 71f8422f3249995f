package toro.studio.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Machine;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuException;
import toro.studio.qemu.QemuProcess;

/**
 * {@code toro bench boot}: how long a boot takes, side by side for each accelerator and machine
 * in one run. Three figures per pair, medians over the runs: QEMU's own start (paused with
 * {@code -S}: process, sockets and QMP greeting, then quit), the floor no kernel can beat; QEMU
 * start to {@code toro: ready} as the user waits for it; and the kernel's own entry-to-ready time
 * with its phases, from its TSC stamps (the {@code toro: boot phases} line).
 */
final class BenchBootCommand implements Command {
	/** The kernel's line, kernel/main.c: microseconds since kernel entry at the end of each phase. */
	static final Pattern PHASES = Pattern
			.compile("toro: boot phases us since kernel entry: memory (\\d+), timer (\\d+), smp (\\d+), ready (\\d+)");

	/** One accelerator and machine, medians over the runs; times in ms. */
	record Row(Accel accel, Machine machine, int cpus, int runs, double floorMs, double readyMs, double guestMs, double memoryMs,
			double timerMs, double smpMs) {
	}

	/** One boot: wall-clock ms from QEMU's start to ready, and the kernel's four phase stamps in µs. */
	private record Boot(double readyMs, long[] phasesUs) {
	}

	@Override
	public String name() {
		return "boot";
	}

	@Override
	public String summary() {
		return "boot time: QEMU's own start (floor), QEMU start to ready, in-guest phases; KVM beside TCG";
	}

	@Override
	public String usage() {
		return """
				usage: toro bench boot [--runs N] [--smp N] [--machine LIST] [--accel LIST] [--json]
				                       [--profile P] [--tree DIR]

				For each accelerator and machine, RUNS times each: QEMU started paused (-S)
				until its QMP monitor greets us, then quit (the floor: QEMU's own start);
				then the default image booted until the console says "toro: ready", with
				the kernel's own phases (memory, timer, SMP, ready: microseconds since kernel
				entry, from its TSC). Prints the medians, and KVM's start-to-ready as a ratio
				of TCG's on the same machine.

				  --runs N         boots per accelerator and machine (default 5)
				  --smp N          cores (default 4)
				  --machine LIST   machines, comma-separated (default microvm,q35)
				  --accel LIST     accelerators (default: tcg, and kvm when /dev/kvm is usable)
				  --json           one JSON object on stdout instead of the table
				  --profile, --tree: as for toro run

				Exit status: 0 when every run was measured; 1 when one failed; 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options o = Options.parse(args, "--runs=", "--smp=", "--machine=", "--accel=", "--json", "--profile=", "--tree=");
		RunCommand.noPositional(o);
		int runs = o.integer("--runs", 5, 1, 1000);
		int cpus = o.integer("--smp", 4, 1, QemuConfig.MAX_CPUS);
		List<Machine> machines = new ArrayList<>();
		for (String m : o.get("--machine", "microvm,q35").split(",")) {
			try {
				machines.add(Machine.parse(m.strip()));
			} catch (IllegalArgumentException e) {
				throw new UsageException(e.getMessage());
			}
		}
		List<Accel> accels = BenchIdleCommand.accels(o.get("--accel", null), term);
		Path image = RunCommand.image(o, null, term);
		List<Row> rows = new ArrayList<>();
		for (Machine m : machines) {
			for (Accel a : accels) {
				QemuConfig c = QemuConfig.defaults(image).withMachine(m).withAccel(a).withCpus(cpus);
				term.progress(String.format("%s on %s, %d cores: %d runs", a.name().toLowerCase(Locale.ROOT), m.qemuName(), cpus, runs));
				rows.add(measure(c, runs));
			}
		}
		term.out.print(o.flag("--json") ? json(rows) : table(rows));
		return 0;
	}

	/** @return the medians of {@code runs} floors and boots of {@code c}. */
	static Row measure(QemuConfig c, int runs) throws QemuException, InterruptedException {
		List<Double> floor = new ArrayList<>(), ready = new ArrayList<>();
		// per run: memory, timer and SMP phase lengths, and kernel entry to ready
		List<List<Double>> guest = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		for (int i = 0; i < runs; i++) {
			floor.add(floor(c));
			Boot b = boot(c);
			ready.add(b.readyMs());
			long[] p = b.phasesUs();
			guest.get(0).add(p[0] / 1000.0);
			guest.get(1).add((p[1] - p[0]) / 1000.0);
			guest.get(2).add((p[2] - p[1]) / 1000.0);
			guest.get(3).add(p[3] / 1000.0);
		}
		return new Row(c.accel(), c.machine(), c.cpus(), runs, Stats.median(floor), Stats.median(ready), Stats.median(guest.get(3)),
				Stats.median(guest.get(0)), Stats.median(guest.get(1)), Stats.median(guest.get(2)));
	}

	/** @return ms from QEMU's start, paused before the first guest instruction, to its QMP greeting. */
	private static double floor(QemuConfig c) throws QemuException {
		long t0 = System.nanoTime();
		try (QemuProcess q = QemuProcess.start(c.withExtraArgs(List.of("-S")))) {
			double ms = (System.nanoTime() - t0) / 1e6;
			q.stop();
			return ms;
		}
	}

	/** Boots {@code c} until the kernel prints its boot phases (right after "toro: ready"). */
	private static Boot boot(QemuConfig c) throws QemuException, InterruptedException {
		long t0 = System.nanoTime();
		try (QemuProcess q = QemuProcess.start(c)) {
			CompletableFuture<Double> readyMs = new CompletableFuture<>();
			CompletableFuture<long[]> phases = new CompletableFuture<>();
			Thread reader = new Thread(() -> {
				try (BufferedReader r = new BufferedReader(new InputStreamReader(q.console(), StandardCharsets.UTF_8))) {
					for (String line; (line = r.readLine()) != null && !phases.isDone();) {
						if (line.startsWith("toro: ready"))
							readyMs.complete((System.nanoTime() - t0) / 1e6);
						Matcher m = PHASES.matcher(line);
						if (m.find())
							phases.complete(new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
									Long.parseLong(m.group(3)), Long.parseLong(m.group(4)) });
					}
				} catch (IOException e) {
					// QEMU went away: the wait below reports it
				}
				phases.completeExceptionally(new IllegalStateException("the console ended"));
			}, "toro-bench-boot-console");
			reader.setDaemon(true);
			reader.start();
			try {
				long[] p = phases.get(120, TimeUnit.SECONDS);
				q.stop();
				return new Boot(readyMs.getNow(Double.NaN), p);
			} catch (ExecutionException | TimeoutException e) {
				throw new IllegalStateException("the kernel did not print its boot phases (" + (q.isAlive() ? "120 s passed" : q.exit().join().detail())
						+ "); try 'toro run' with the same options to see its console");
			}
		}
	}

	/** @return the table, then per machine KVM's start-to-ready as a ratio of TCG's. */
	static String table(List<Row> rows) {
		StringBuilder b = new StringBuilder();
		b.append("Boot, medians in ms (floor: QEMU paused with -S until QMP greets; ready: QEMU start to 'toro: ready';\n");
		b.append("guest: kernel entry to ready from its TSC, split into memory, timer and SMP)\n");
		b.append(String.format(Locale.ROOT, "%-8s %-5s %5s %4s %9s %9s %9s %8s %8s %8s%n", "machine", "accel", "cores", "runs", "floor",
				"ready", "guest", "memory", "timer", "smp"));
		for (Row r : rows)
			b.append(String.format(Locale.ROOT, "%-8s %-5s %5d %4d %9.1f %9.1f %9.2f %8.2f %8.2f %8.2f%n", r.machine().qemuName(),
					r.accel().name().toLowerCase(Locale.ROOT), r.cpus(), r.runs(), r.floorMs(), r.readyMs(), r.guestMs(), r.memoryMs(),
					r.timerMs(), r.smpMs()));
		for (Row k : rows)
			for (Row t : rows)
				if (k.machine() == t.machine() && k.accel() == Accel.KVM && t.accel() == Accel.TCG)
					b.append(String.format(Locale.ROOT, "%s: KVM start to ready is %.2fx TCG's (goal <= 1); KVM guest entry to ready %.2f ms (goal <= 5)%n",
							k.machine().qemuName(), k.readyMs() / t.readyMs(), k.guestMs()));
		return b.toString();
	}

	/** @return {"rows":[{machine, accel, cores, runs, floor_ms, ready_ms, guest_ms, memory_ms, timer_ms, smp_ms}]} */
	static String json(List<Row> rows) {
		StringBuilder b = new StringBuilder("{\"rows\":[");
		for (int i = 0; i < rows.size(); i++) {
			Row r = rows.get(i);
			b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
					"{\"machine\":\"%s\",\"accel\":\"%s\",\"cores\":%d,\"runs\":%d,\"floor_ms\":%.3f,\"ready_ms\":%.3f,\"guest_ms\":%.3f,"
							+ "\"memory_ms\":%.3f,\"timer_ms\":%.3f,\"smp_ms\":%.3f}",
					r.machine().qemuName(), r.accel().name().toLowerCase(Locale.ROOT), r.cpus(), r.runs(), r.floorMs(), r.readyMs(),
					r.guestMs(), r.memoryMs(), r.timerMs(), r.smpMs()));
		}
		return b.append("]}\n").toString();
	}
}
