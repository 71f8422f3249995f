package toro.studio.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import toro.studio.qemu.ExitStatus;
import toro.studio.qemu.ForwardNotes;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;
import toro.studio.telemetry.TelemetryShare;

/**
 * {@code toro test}: boots the test image, prints each in-kernel test's result as the kernel
 * reports it on COM1, writes a JUnit XML report, and ends with {@code N passed, M failed}.
 */
final class TestCommand implements Command {
	private static final Pattern RESULT = Pattern.compile("toro: test (\\S+) (pass|fail|skip)(?:: (.*))?");
	private static final Pattern DONE = Pattern.compile("toro: tests done passed=(\\d+) failed=(\\d+)");

	/** One test's outcome; {@code seconds} is host time since the previous result. */
	record Result(String name, String outcome, String message, double seconds) {
	}

	@Override
	public String name() {
		return "test";
	}

	@Override
	public String summary() {
		return "boot the test image, print each in-kernel test's result, write a JUnit report";
	}

	@Override
	public String usage() {
		return """
				usage: toro test [--smp N] [--profile P] [--machine M] [--accel A] [--mem MiB]
				                 [--append ARGS] [--timeout S] [--junit FILE] [--verbose] [--why] [--tree DIR]
				                 [--net user|tap:NAME|none] [--forward HOSTPORT:GUESTPORT]...

				Builds the test image if needed, boots it, prints each in-kernel test's
				result, writes a JUnit XML report and ends with the line "N passed, M failed".

				  --smp N          number of cores, 1 to 64 (default 1)
				  --junit FILE     the JUnit XML report (default: build/PROFILE/junit-smpN.xml
				                   in the kernel tree)
				  --timeout S      give up after S seconds (default 300; exit 124)
				  --verbose        also print every other console line
				  --profile, --machine, --accel, --mem, --append, --why, --tree: as for toro run
				  --net, --forward: as for toro run (the guest's network, 127.0.0.1 port forwards)

				Exit status: 0 only when every test passed and the kernel exited with 0;
				1 when a test failed or the run ended early; 124 on timeout; 125 when the
				guest crashed; 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		List<String> declared = new ArrayList<>(RunCommand.BOOT_OPTIONS);
		declared.remove("--target=");
		declared.addAll(List.of("--junit=", "--verbose"));
		Options o = Options.parse(args, declared.toArray(String[]::new));
		RunCommand.noPositional(o);
		Path image = RunCommand.image(o, "test", term);
		QemuConfig c = RunCommand.config(o, image);
		Path junit = Path.of(o.get("--junit", image.resolveSibling("junit-smp" + c.cpus() + ".xml").toString())).toAbsolutePath();
		int timeout = o.integer("--timeout", 300, 1, 1_000_000);
		term.progress("testing " + image.getFileName() + " on " + c.machine().qemuName() + ", " + c.cpus() + " core"
				+ (c.cpus() == 1 ? "" : "s") + ", " + c.accel().resolve().name().toLowerCase());
		List<Result> results = new ArrayList<>();
		List<String> console = new ArrayList<>();
		int[] done = null;
		ExitStatus status;
		long t0 = System.nanoTime();
		try (QemuProcess q = RunCommand.noted(QemuProcess.start(c), term); TelemetryShare share = RunCommand.shareTelemetry(q, term)) {
			Thread hook = RunCommand.stopOnExit(q, term);
			try {
				RunCommand.announceForwards(q, term);
				Reader reader = new Reader(q, results, console, o.flag("--verbose"), term);
				Thread t = new Thread(reader, "toro-test-console");
				t.setDaemon(true);
				t.start();
				status = q.waitFor(Duration.ofSeconds(timeout));
				if (status == null)
					q.stop();
				t.join(2000);
				done = reader.done;
				if (status == null) {
					finish(results, console, junit, c.cpus(), elapsed(t0), term);
					term.progress("timeout after " + timeout + " s: QEMU stopped; the last console lines:");
					tail(console, term);
					return RunCommand.TIMEOUT;
				}
				int code = verdict(status, results, done, q, console, term);
				finish(results, console, junit, c.cpus(), elapsed(t0), term);
				return code;
			} finally {
				RunCommand.removeHook(hook);
			}
		}
	}

	/** @return the exit status: 0 only for a clean, complete, all-passing run. */
	private static int verdict(ExitStatus s, List<Result> results, int[] done, QemuProcess q, List<String> console, Terminal term) {
		long failed = results.stream().filter(r -> r.outcome().equals("fail")).count();
		long passed = results.stream().filter(r -> r.outcome().equals("pass")).count();
		if (s.guestValue() == null) {
			results.add(new Result("(run)", "fail", s.detail(), 0));
			int code = RunCommand.report(s, q, term);
			tail(console, term);
			return code;
		}
		if (done == null) {
			results.add(new Result("(run)", "fail", "the kernel exited (" + s.detail() + ") before reporting 'tests done'", 0));
			term.progress("the kernel exited before the end of the tests; the last console lines:");
			tail(console, term);
			return 1;
		}
		if (done[0] != passed || done[1] != failed) {
			results.add(new Result("(run)", "fail", "the kernel counted passed=" + done[0] + " failed=" + done[1] + " but reported "
					+ passed + " passes and " + failed + " failures", 0));
			return 1;
		}
		return failed == 0 && passed > 0 && s.guestValue() == 0 ? 0 : 1;
	}

	/** Prints the totals line and writes the report. */
	private static void finish(List<Result> results, List<String> console, Path junit, int cpus, double seconds, Terminal term)
			throws IOException {
		long failed = results.stream().filter(r -> r.outcome().equals("fail")).count();
		long passed = results.stream().filter(r -> r.outcome().equals("pass")).count();
		Files.createDirectories(junit.getParent());
		Files.writeString(junit, junit(results, console, cpus, seconds), StandardCharsets.UTF_8);
		term.progress("JUnit report: " + junit);
		term.out.println(passed + " passed, " + failed + " failed");
	}

	/** @return the JUnit XML of one run: one testcase per result, the console as system-out. */
	static String junit(List<Result> results, List<String> console, int cpus, double seconds) {
		long failures = results.stream().filter(r -> r.outcome().equals("fail")).count();
		long skipped = results.stream().filter(r -> r.outcome().equals("skip")).count();
		StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		String suite = "toro.kernel.smp" + cpus;
		x.append(String.format("<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"%.3f\">%n", suite,
				results.size(), failures, skipped, seconds));
		for (Result r : results) {
			x.append(String.format("  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", suite, xml(r.name()), r.seconds()));
			if (r.outcome().equals("pass")) {
				x.append("/>\n");
				continue;
			}
			String tag = r.outcome().equals("fail") ? "failure" : "skipped";
			x.append(">\n    <").append(tag).append(" message=\"").append(xml(r.message() == null ? "" : r.message())).append("\"/>\n");
			x.append("  </testcase>\n");
		}
		x.append("  <system-out>").append(xml(String.join("\n", console))).append("</system-out>\n");
		x.append("</testsuite>\n");
		return x.toString();
	}

	private static String xml(String s) {
		StringBuilder b = new StringBuilder();
		for (char c : s.toCharArray()) {
			switch (c) {
			case '<' -> b.append("&lt;");
			case '>' -> b.append("&gt;");
			case '&' -> b.append("&amp;");
			case '"' -> b.append("&quot;");
			default -> {
				if (c >= 0x20 || c == '\n' || c == '\t')
					b.append(c);
			}
			}
		}
		return b.toString();
	}

	private static void tail(List<String> console, Terminal term) {
		synchronized (console) {
			console.subList(Math.max(0, console.size() - 20), console.size()).forEach(l -> term.err.println("  | " + l));
		}
	}

	private static double elapsed(long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}

	/** Reads COM1 line by line, collecting results and printing them as they come. */
	private static final class Reader implements Runnable {
		private final QemuProcess q;
		private final List<Result> results;
		private final List<String> console;
		private final boolean verbose;
		private final Terminal term;
		volatile int[] done;

		Reader(QemuProcess q, List<Result> results, List<String> console, boolean verbose, Terminal term) {
			this.q = q;
			this.results = results;
			this.console = console;
			this.verbose = verbose;
			this.term = term;
		}

		@Override
		public void run() {
			long last = System.nanoTime();
			try (BufferedReader r = new BufferedReader(new InputStreamReader(q.console(), StandardCharsets.UTF_8))) {
				for (String line; (line = r.readLine()) != null;) {
					line = line.strip();
					synchronized (console) {
						console.add(line);
					}
					Matcher m = RESULT.matcher(line);
					Matcher d = DONE.matcher(line);
					if (m.matches()) {
						long now = System.nanoTime();
						Result res = new Result(m.group(1), m.group(2), m.group(3), (now - last) / 1e9);
						last = now;
						synchronized (results) {
							results.add(res);
						}
						term.out.println(res.outcome().toUpperCase() + " " + res.name() + (res.message() == null ? "" : ": " + res.message()));
						term.out.flush();
					} else if (d.matches()) {
						done = new int[] { Integer.parseInt(d.group(1)), Integer.parseInt(d.group(2)) };
					} else if (verbose) {
						term.out.println(line);
						String note = ForwardNotes.note(line, q.config().network());
						if (note != null)
							term.out.println(note);
					}
				}
			} catch (IOException e) {
				// QEMU went away: the console has ended
			}
		}
	}
}
