package toro.studio.build.diag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import toro.studio.build.Problem;
import toro.studio.build.Severity;

/**
 * Turns what a tool printed into structured {@link Problem}s. File names are
 * resolved against the directory the tool ran in and normalized, so every
 * problem names an absolute path. Lines that are not diagnostics (source
 * excerpts, carets, "In function" context) are skipped.
 */
public abstract class DiagnosticParser {
	/** The tool's name in problems: "gcc", "nasm" or "ld". */
	protected final String tool;

	protected DiagnosticParser(String tool) {
		this.tool = tool;
	}

	/**
	 * @return a new parser for an edge's tool kind: "cc", "nasm" or "ld"; use one
	 *         per tool output (ld's parser carries context from line to line)
	 */
	public static DiagnosticParser forTool(String kind) {
		return switch (kind) {
		case "cc" -> new GccParser();
		case "nasm" -> new NasmParser();
		case "ld" -> new LdParser();
		default -> throw new IllegalArgumentException("no diagnostic parser for " + kind);
		};
	}

	/** @return the problems in {@code output}, in the order printed; {@code dir} is where the tool ran. */
	public List<Problem> parse(String output, Path dir) {
		List<Problem> problems = new ArrayList<>();
		// colour escapes appear when a user adds -fdiagnostics-color=always
		for (String line : output.replaceAll("\u001b\\[[0-9;]*[mK]", "").split("\r?\n")) {
			Problem p = line(line.stripTrailing(), dir);
			if (p != null)
				problems.add(p);
		}
		return problems;
	}

	/** @return the problem one line reports, or null when the line is not a diagnostic. */
	protected abstract Problem line(String line, Path dir);

	/** @return {@code name} resolved against {@code dir}, normalized. */
	protected static Path file(String name, Path dir) {
		return dir.resolve(name).normalize();
	}

	/** @return the severity a tool's word means: "error", "fatal error", "fatal", "panic", "warning", "note". */
	protected static Severity severity(String word) {
		return switch (word) {
		case "warning" -> Severity.WARNING;
		case "note" -> Severity.NOTE;
		default -> Severity.ERROR;
		};
	}
}
