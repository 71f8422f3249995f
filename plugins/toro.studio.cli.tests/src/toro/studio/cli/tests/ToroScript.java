package toro.studio.cli.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the checkout's real {@code toro} script as a process, the way a user
 * does, and captures what it prints.
 */
public final class ToroScript {
	/** What one run printed and returned. */
	public record Result(int status, String out, String err) {
		/** @return stdout and stderr together, for messages in failed assertions. */
		public String all() {
			return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
		}
	}

	private ToroScript() {
	}

	/** @return the checkout root, from the {@code toro.root} property the reactor sets. */
	public static Path root() {
		String root = System.getProperty("toro.root");
		if (root == null)
			throw new IllegalStateException("system property toro.root is not set: run the tests through ./mvnw verify");
		return Path.of(root);
	}

	/**
	 * Runs {@code toro args...} with the given environment changes (a null
	 * value removes a variable) and waits at most {@code seconds}.
	 */
	public static Result run(Map<String, String> env, long seconds, String... args) throws IOException, InterruptedException {
		List<String> argv = new ArrayList<>();
		argv.add(root().resolve("toro").toString());
		argv.addAll(List.of(args));
		ProcessBuilder pb = new ProcessBuilder(argv).directory(root().toFile());
		env.forEach((k, v) -> {
			if (v == null)
				pb.environment().remove(k);
			else
				pb.environment().put(k, v);
		});
		Path out = Files.createTempFile("toro-out", ".txt");
		Path err = Files.createTempFile("toro-err", ".txt");
		pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
		Process p = pb.start();
		try {
			if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
				p.descendants().forEach(ProcessHandle::destroyForcibly);
				p.destroyForcibly();
				throw new AssertionError("toro " + String.join(" ", args) + " did not finish within " + seconds + " s");
			}
			return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
		} finally {
			Files.deleteIfExists(out);
			Files.deleteIfExists(err);
		}
	}
}
