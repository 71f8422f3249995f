package toro.studio.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import toro.studio.build.BuildException;
import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;

/**
 * {@code toro bench build}: the build engine against {@code make -j} running
 * the same commands, side by side in one run, on two copies of the kernel
 * tree: full build, no-op build (in-process as the IDE calls it, and through
 * the toro script), and the rebuild after touching one header.
 */
final class BenchBuild implements Command {
	@Override
	public String name() {
		return "build";
	}

	@Override
	public String summary() {
		return "the build engine against make -j on the kernel tree: full, no-op, header touched";
	}

	@Override
	public String usage() {
		return """
				usage: toro bench build [--tree DIR] [--target NAME] [--profile NAME] [-j N]
				                        [--runs N] [--header PATH]

				Copies the kernel tree twice to a temporary directory, writes there a
				Makefile with the engine's own commands, and times, side by side:
				a full build (engine in-process, make -j N), a no-op build (engine
				in-process, the toro script, make), and the rebuild after touching
				one header (both). Prints one line per measurement.

				  --tree DIR      the kernel tree (default: as for toro build)
				  --target NAME   the target (default: the descriptor's default)
				  --profile NAME  the profile (default: the descriptor's default)
				  -j N, -jN       parallel jobs for both (default: the number of cores)
				  --runs N        repetitions of each timed build; the median is shown (default 3)
				  --header PATH   the header to touch, relative to the tree (default: the
				                  header under include/ with the fewest dependent objects)
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		List<String> rest = new ArrayList<>();
		String jobsText = BuildCommand.jobsOption(args, rest);
		Options o = Options.parse(rest, "--tree=", "--target=", "--profile=", "--runs=", "--header=");
		int jobs = jobsText == null ? Runtime.getRuntime().availableProcessors() : BuildCommand.parseJobs(jobsText);
		int runs = o.integer("--runs", 3, 1, 50);
		Path tree = ToroHome.kernelTree(o);
		Path work = Files.createTempDirectory("toro-bench-build");
		try {
			Path mine = work.resolve("toro");
			Path theirs = work.resolve("make");
			copySources(tree, mine);
			copySources(tree, theirs);
			String profile = o.get("--profile", null), target = o.get("--target", null);
			BuildRequest req = new BuildRequest(mine, profile, target, jobs, false, false);
			var steps = KernelBuild.plan(new BuildRequest(theirs, profile, target, jobs, false, false));
			Files.writeString(theirs.resolve("Makefile"), BenchBuildMakefile.of(steps));
			term.out.printf("toro bench build: %s, target %s, profile %s, -j%d, %d commands, median of %d runs%n", tree,
					target == null ? "(default)" : target, profile == null ? "(default)" : profile, jobs, steps.size(), runs);

			// full build, alternating so that machine load hits both alike
			List<Double> full = new ArrayList<>(), fullMake = new ArrayList<>();
			for (int i = 0; i < runs; i++) {
				Trees.delete(mine.resolve("build"));
				full.add(timeBuild(req));
				Trees.delete(theirs.resolve("build"));
				fullMake.add(timeMake(theirs, jobs));
			}
			line(term, "full build", "toro", Stats.median(full), "make -j" + jobs, Stats.median(fullMake));

			// no-op, in-process as the IDE builder calls it: warm up first
			for (int i = 0; i < 20; i++)
				timeBuild(req);
			List<Double> noop = new ArrayList<>();
			for (int i = 0; i < 50; i++)
				noop.add(timeBuild(req));
			List<Double> noopMake = new ArrayList<>(), noopCli = new ArrayList<>();
			for (int i = 0; i < runs; i++) {
				noopMake.add(timeMake(theirs, jobs));
				noopCli.add(timeCli(mine, jobs, profile, target));
			}
			term.out.printf("%-22s toro in-process %8.2f ms (median of 50, min %.2f ms)%n", "no-op build",
					Stats.median(noop) * 1e3, noop.stream().mapToDouble(d -> d).min().orElse(0) * 1e3);
			line(term, "no-op build, CLI", "toro script", Stats.median(noopCli), "make -j" + jobs, Stats.median(noopMake));

			// one header touched
			String header = o.get("--header", null);
			if (header == null)
				header = someHeader(mine, KernelBuild.plan(req).stream().map(s -> s.depfile()).filter(d -> d != null).toList());
			if (header == null) {
				term.out.println("header touched: no header found in the dependency files; skipped");
				return 0;
			}
			List<Double> touch = new ArrayList<>(), touchMake = new ArrayList<>();
			int stepsRun = 0;
			for (int i = 0; i < runs; i++) {
				touch(mine.resolve(header));
				long t0 = System.nanoTime();
				BuildResult r = KernelBuild.build(req, BuildListener.NONE, () -> false);
				touch.add((System.nanoTime() - t0) / 1e9);
				stepsRun = r.stepsRun();
				touch(theirs.resolve(header));
				touchMake.add(timeMake(theirs, jobs));
			}
			line(term, "touched " + header + " (" + stepsRun + " of " + steps.size() + " steps)", "toro", Stats.median(touch),
					"make -j" + jobs, Stats.median(touchMake));
			return 0;
		} finally {
			Trees.delete(work);
		}
	}

	private static void line(Terminal term, String what, String a, double ta, String b, double tb) {
		term.out.printf("%-22s %s %8.3f s   %s %8.3f s   ratio %.2f%n", what, a, ta, b, tb, ta / tb);
	}

	private static double timeBuild(BuildRequest req) throws BuildException {
		long t0 = System.nanoTime();
		BuildResult r = KernelBuild.build(req, BuildListener.NONE, () -> false);
		double s = (System.nanoTime() - t0) / 1e9;
		if (!r.success())
			throw new IllegalStateException("the engine's build failed: " + r.problems());
		return s;
	}

	private static double timeMake(Path dir, int jobs) throws IOException, InterruptedException {
		return time(List.of("make", "-s", "-j" + jobs), dir);
	}

	private static double timeCli(Path tree, int jobs, String profile, String target) throws IOException, InterruptedException {
		List<String> argv = new ArrayList<>(List.of(ToroHome.home().resolve("toro").toString(), "build", "--tree", tree.toString(), "-j" + jobs));
		if (profile != null)
			argv.addAll(List.of("--profile", profile));
		if (target != null)
			argv.addAll(List.of("--target", target));
		return time(argv, tree);
	}

	/** Runs a command to completion and returns its wall time in seconds; fails on a non-zero exit. */
	private static double time(List<String> argv, Path dir) throws IOException, InterruptedException {
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
		p.getOutputStream().close();
		String out;
		try (InputStream in = p.getInputStream()) {
			out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		int status = p.waitFor();
		double s = (System.nanoTime() - t0) / 1e9;
		if (status != 0)
			throw new IllegalStateException(String.join(" ", argv) + " failed (exit " + status + "):\n" + out);
		return s;
	}

	/**
	 * @return the header under include/ that the fewest dependency files name
	 *         (at least one; the first by name on a tie), relative to the tree
	 */
	private static String someHeader(Path tree, List<String> depfiles) throws IOException {
		java.util.TreeMap<String, Integer> users = new java.util.TreeMap<>();
		for (String d : depfiles) {
			Path f = tree.resolve(d);
			if (!Files.isRegularFile(f))
				continue;
			for (String w : new java.util.TreeSet<>(List.of(Files.readString(f).split("[\\s\\\\]+"))))
				if (w.startsWith("include/") && w.endsWith(".h"))
					users.merge(w, 1, Integer::sum);
		}
		return users.entrySet().stream().min(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(null);
	}

	private static void touch(Path p) throws IOException {
		Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
	}

	/** Copies a tree's sources (everything but build/). */
	private static void copySources(Path from, Path to) throws IOException {
		try (Stream<Path> s = Files.walk(from)) {
			for (Path p : s.toList()) {
				Path rel = from.relativize(p);
				if (rel.startsWith("build"))
					continue;
				Path dst = to.resolve(rel.toString());
				if (Files.isDirectory(p))
					Files.createDirectories(dst);
				else
					Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
	}

}
