package toro.studio.build.diag;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import toro.studio.build.Problem;
import toro.studio.build.Severity;

/**
 * GNU ld's diagnostics. ld prefixes its own messages with its name
 * ({@code ld: cannot find x.o}, {@code ld:script.ld:4: syntax error}); errors
 * found through debug information name a source line
 * ({@code kernel/main.c:12: undefined reference to `f'}) or an object and
 * section offset ({@code x.o:(.text+0x4): ...}). The context line
 * {@code ld: x.o: in function `f':} is kept and prefixed to the next message.
 */
final class LdParser extends DiagnosticParser {
	private static final Pattern PROGRAM = Pattern.compile("^(?:\\S*/)?(?:ld|ld\\.bfd|ld\\.gold|ld\\.lld|x86_64-[\\w-]*ld):\\s?");
	private static final Pattern AT_LINE = Pattern.compile("^([^\\s:][^:]*):(\\d+): (.*)$");
	private static final Pattern AT_SECTION = Pattern.compile("^([^\\s:][^:]*):\\(([^)]*)\\): (.*)$");
	private static final Pattern CONTEXT = Pattern.compile("^(.+): in function [`'](.*)':$");

	private String function;

	LdParser() {
		super("ld");
	}

	@Override
	protected Problem line(String line, Path dir) {
		if (line.isBlank())
			return null;
		Matcher prog = PROGRAM.matcher(line);
		String rest = prog.lookingAt() ? line.substring(prog.end()) : line;
		Matcher m = CONTEXT.matcher(rest);
		if (m.matches()) {
			function = m.group(2);
			return null;
		}
		String in = function == null ? "" : "in " + function + ": ";
		function = null;
		m = AT_LINE.matcher(rest);
		if (m.matches())
			return problem(file(m.group(1), dir), Integer.parseInt(m.group(2)), in + m.group(3));
		m = AT_SECTION.matcher(rest);
		if (m.matches())
			return problem(file(m.group(1), dir), 0, in + m.group(3) + " (at " + m.group(2) + ")");
		return problem(null, 0, in + rest);
	}

	private Problem problem(Path file, int line, String message) {
		Severity s = Severity.ERROR;
		if (message.startsWith("warning: ")) {
			s = Severity.WARNING;
			message = message.substring("warning: ".length());
		} else if (message.startsWith("NOTE: ")) { // the second line of some ld warnings
			s = Severity.NOTE;
			message = message.substring("NOTE: ".length());
		} else if (message.startsWith("error: ")) {
			message = message.substring("error: ".length());
		}
		return new Problem(tool, file, line, 0, s, message);
	}
}
