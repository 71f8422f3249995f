package toro.studio.build;

import java.nio.file.Path;

/**
 * One finding of the {@link AbiChecker}: a calling-convention violation, or a
 * place the checker could not analyse (message starting with
 * {@value #NOT_ANALYSED}).
 */
public record AbiFinding(Path file, int line, String routine, String message) {
	/** The prefix of findings that report what the checker could not follow. */
	public static final String NOT_ANALYSED = "not analysed: ";

	/** @return true for a place the checker could not follow, false for a violation. */
	public boolean notAnalysed() {
		return message.startsWith(NOT_ANALYSED);
	}

	/** @return {@code path:line: routine: message}. */
	@Override
	public String toString() {
		return file + ":" + line + ": " + routine + ": " + message;
	}
}
