package toro.studio.build.diag;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import toro.studio.build.Problem;
import toro.studio.build.Severity;

/**
 * nasm's diagnostics: {@code file:line: error: message}; the macro context
 * line {@code file:line: ... from macro `M' defined here} becomes a note; and
 * {@code nasm: fatal: ...} names no file.
 */
final class NasmParser extends DiagnosticParser {
	private static final Pattern AT = Pattern.compile("^(.+?):(\\d+): (fatal|error|panic|warning|note): (.*)$");
	private static final Pattern CONTEXT = Pattern.compile("^(.+?):(\\d+): \\.\\.\\. (.*)$");
	private static final Pattern NO_LINE = Pattern.compile("^(.+?): (fatal|error|panic|warning|note): (.*)$");
	private static final Pattern BARE = Pattern.compile("^(?:\\S*/)?nasm: (fatal|error|panic|warning|note): (.*)$");

	NasmParser() {
		super("nasm");
	}

	@Override
	protected Problem line(String line, Path dir) {
		Matcher m = BARE.matcher(line);
		if (m.matches())
			return new Problem(tool, null, 0, 0, severity(m.group(1)), m.group(2));
		m = AT.matcher(line);
		if (m.matches())
			return new Problem(tool, file(m.group(1), dir), Integer.parseInt(m.group(2)), 0, severity(m.group(3)),
					m.group(4));
		m = NO_LINE.matcher(line);
		if (m.matches())
			return new Problem(tool, file(m.group(1), dir), 0, 0, severity(m.group(2)), m.group(3));
		m = CONTEXT.matcher(line);
		if (m.matches())
			return new Problem(tool, file(m.group(1), dir), Integer.parseInt(m.group(2)), 0, Severity.NOTE,
					m.group(3));
		return null;
	}
}
