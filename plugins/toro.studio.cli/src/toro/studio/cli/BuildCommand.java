package toro.studio.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import toro.studio.build.BuildException;
import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;
import toro.studio.build.Problem;

/**
 * {@code toro build}: builds a target of the kernel tree with the build
 * engine, printing progress on stderr, problems as
 * {@code file:line:col: severity: message}, and the image's path as the last
 * line of stdout on success.
 */
final class BuildCommand implements Command {
	@Override
	public String name() {
		return "build";
	}

	@Override
	public String summary() {
		return "build the kernel image (release -O2 by default) with ABI checks";
	}

	@Override
	public String usage() {
		return """
				usage: toro build [--profile release|debug] [--target NAME] [-j N] [--explain] [--clean]
				                  [--tree DIR] [--tool NAME=PATH]...

				Builds a target of the kernel tree (toro.build) incrementally: only what
				changed since the last build runs again. Release builds also run the ABI
				checker on every assembled source and fail on its findings.

				  --profile NAME   the profile: release (-O2 -g, default) or debug (-O0 -g)
				  --target NAME    the target to build (default: the descriptor's default)
				  -j N, -jN        parallel jobs (default: the number of cores)
				  --explain        print why each step runs
				  --clean          delete build/<profile>/ first, then build everything
				  --tree DIR       the kernel tree (default: the nearest directory holding
				                   toro.build, else the checkout's kernel-src/)
				  --tool NAME=PATH use PATH for a toolchain entry (nasm, cc, ld, objcopy)

				Problems are printed as file:line:col: severity: message with absolute
				paths. On success the last line of stdout is the image's path.

				Exit status: 0 on success; 1 when the build failed (the last good image is
				left in place); 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		List<String> rest = new ArrayList<>();
		String jobs = jobsOption(args, rest);
		Options o = Options.parse(rest, "--profile=", "--target=", "--explain", "--clean", "--tree=", "--tool=*");
		if (!o.positional().isEmpty())
			throw new UsageException("unexpected argument '" + o.positional().get(0) + "'");
		int j = parseJobs(jobs);
		Path tree = ToroHome.kernelTree(o);
		BuildRequest req = new BuildRequest(tree, o.get("--profile", null), o.get("--target", null), j,
				o.flag("--explain"), o.flag("--clean"), tools(o.all("--tool")));
		BuildResult r;
		try {
			r = KernelBuild.build(req, listener(term, term.out), () -> false);
		} catch (BuildException e) {
			String m = e.getMessage();
			term.err.println(m.startsWith("toro.build:") ? tree.resolve("toro.build") + m.substring("toro.build".length()) : "toro build: " + m);
			return 1;
		}
		if (!r.success()) {
			term.progress(String.format("build failed after %d steps in %.2f s%s", r.stepsRun(),
					r.elapsed().toNanos() / 1e9, Files.exists(r.image()) ? "; the last good image is still " + r.image() : ""));
			return 1;
		}
		term.progress(r.stepsRun() == 0 ? "up to date" : String.format("%d steps in %.2f s", r.stepsRun(), r.elapsed().toNanos() / 1e9));
		term.out.println(r.image());
		return 0;
	}

	/**
	 * Progress and explanations on stderr, problems on {@code problems} as they come (stdout for
	 * toro build; stderr where stdout carries the guest's console).
	 */
	static BuildListener listener(Terminal term, PrintStream problems) {
		return new BuildListener() {
			@Override
			public void progress(int done, int total, String description) {
				term.progress("[" + done + "/" + total + "] " + description);
			}

			@Override
			public void problem(Problem p) {
				problems.println(p);
			}

			@Override
			public void explain(String line) {
				term.progress("explain: " + line);
			}
		};
	}

	/**
	 * Takes {@code -j N} and {@code -jN} out of {@code args} (Options knows only
	 * long options) and copies the other words to {@code rest}.
	 *
	 * @return the jobs value, or null when absent
	 */
	static String jobsOption(List<String> args, List<String> rest) throws UsageException {
		String jobs = null;
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (a.equals("--")) {
				rest.addAll(args.subList(i, args.size()));
				break;
			}
			if (!a.startsWith("-j")) {
				rest.add(a);
				continue;
			}
			if (jobs != null)
				throw new UsageException("-j given twice");
			if (a.length() > 2)
				jobs = a.substring(2);
			else if (i + 1 < args.size())
				jobs = args.get(++i);
			else
				throw new UsageException("-j needs a number of jobs");
		}
		return jobs;
	}

	static int parseJobs(String jobs) throws UsageException {
		if (jobs == null)
			return 0;
		try {
			int n = Integer.parseInt(jobs);
			if (n >= 1 && n <= 1024)
				return n;
		} catch (NumberFormatException e) {
			// reported below
		}
		throw new UsageException("-j takes a number of jobs from 1 to 1024, not '" + jobs + "'");
	}

	private static Map<String, String> tools(List<String> specs) throws UsageException {
		Map<String, String> tools = new LinkedHashMap<>();
		for (String s : specs) {
			int eq = s.indexOf('=');
			if (eq <= 0 || eq == s.length() - 1)
				throw new UsageException("--tool takes NAME=PATH (e.g. --tool cc=clang), not '" + s + "'");
			tools.put(s.substring(0, eq), s.substring(eq + 1));
		}
		return tools;
	}
}
