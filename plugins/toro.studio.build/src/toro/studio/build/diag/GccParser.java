package toro.studio.build.diag;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import toro.studio.build.Problem;

/**
 * gcc's and clang's diagnostics: {@code file:line:col: error: message} (column
 * optional), and driver messages such as {@code cc1: fatal error: ...} or
 * {@code gcc: error: unrecognized command-line option ...} that name no file.
 */
final class GccParser extends DiagnosticParser {
	private static final Pattern AT = Pattern
			.compile("^(.+?):(\\d+):(?:(\\d+):)? (fatal error|error|warning|note): (.*)$");
	private static final Pattern DRIVER = Pattern
			.compile("^(?:\\S*/)?(gcc|cc1|cc|clang|x86_64-[\\w-]*gcc|collect2)(?:-[\\d.]+)?: (fatal error|error|warning|note): (.*)$");

	GccParser() {
		super("gcc");
	}

	@Override
	protected Problem line(String line, Path dir) {
		Matcher m = DRIVER.matcher(line);
		if (m.matches())
			return new Problem(tool, null, 0, 0, severity(m.group(2)), m.group(3));
		m = AT.matcher(line);
		if (m.matches())
			return new Problem(tool, file(m.group(1), dir), Integer.parseInt(m.group(2)),
					m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), severity(m.group(4)), m.group(5));
		return null;
	}
}
