package toro.studio.build;

import java.nio.file.Path;

/**
 * One diagnostic from a tool (gcc, clang, nasm, ld, the ABI checker or the
 * descriptor). {@code file} is absolute and normalized, or null when the tool
 * named no file; {@code line} and {@code column} are 1-based, 0 when unknown.
 */
public record Problem(String tool, Path file, int line, int column, Severity severity, String message) {

	/** @return {@code file:line:col: severity: message}, leaving out what is unknown. */
	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder();
		sb.append(file != null ? file.toString() : tool);
		if (line > 0) {
			sb.append(':').append(line);
			if (column > 0)
				sb.append(':').append(column);
		}
		return sb.append(": ").append(severity.word()).append(": ").append(message).toString();
	}
}
