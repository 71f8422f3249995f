package toro.studio.build.abi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of NASM's preprocessor the kernel's sources use, enough to see the
 * instructions the assembler sees: {@code %include}, {@code %define}/
 * {@code %xdefine}/{@code %undef} (without parameters), {@code %assign},
 * {@code %macro} with {@code %1..%9}, {@code %0} and {@code %%local} labels,
 * {@code %rep}, {@code %if}/{@code %ifdef}/{@code %ifndef}/{@code %elif}/
 * {@code %else}/{@code %endif}, and {@code %+}. A line from a macro keeps the
 * location of the macro's invocation, so findings point at the source a
 * reader edits. What it cannot handle is reported, not skipped.
 */
final class Preprocessor {
	/** A line of source, with where it comes from. */
	record Line(Path file, int line, String text) {
	}

	private record Macro(String name, int minArgs, int maxArgs, List<Line> body) {
	}

	private static final Pattern WORD = Pattern.compile("[A-Za-z_.?$@][A-Za-z0-9_.?$@#~]*");
	private static final int MAX_DEPTH = 64;

	private final List<Path> includeDirs;
	private final Map<String, String> defines = new HashMap<>();
	private final Map<String, Macro> macros = new HashMap<>();
	private final List<Line> out = new ArrayList<>();
	private final List<Line> unsupported = new ArrayList<>();
	private final List<Path> included = new ArrayList<>();
	private int expansions;

	private Preprocessor(List<Path> includeDirs) {
		this.includeDirs = includeDirs;
	}

	/**
	 * The output: instruction lines, what could not be preprocessed (the line and
	 * why), and every file that %include brought in, in order.
	 */
	record Result(List<Line> lines, List<Line> unsupported, List<Path> included) {
	}

	/**
	 * Preprocesses {@code file}; a file that cannot be read is reported in
	 * {@code unsupported}. {@code %include} names are searched in
	 * {@code includeDirs} in order (nasm's: its working directory, then its -I
	 * directories), then beside the including file.
	 */
	static Result run(Path file, List<Path> includeDirs) {
		Preprocessor p = new Preprocessor(includeDirs);
		p.include(file, new Line(file, 0, ""), 0);
		return new Result(p.out, p.unsupported, p.included);
	}

	private void include(Path file, Line from, int depth) {
		List<String> text;
		try {
			text = Files.readAllLines(file, StandardCharsets.UTF_8);
		} catch (IOException e) {
			unsupported.add(new Line(from.file(), from.line(), "cannot read " + file + ": " + e.getMessage()));
			return;
		}
		List<Line> lines = new ArrayList<>(text.size());
		for (int i = 0; i < text.size(); i++)
			lines.add(new Line(file, i + 1, text.get(i)));
		block(lines, null, null, null, depth);
	}

	/**
	 * Processes {@code lines}. {@code args} and {@code unique} are the invocation's
	 * arguments and %% label prefix inside a macro body (else null); {@code at}
	 * is the invocation line that every output line is attributed to (null
	 * outside macros).
	 */
	private void block(List<Line> lines, List<String> args, String unique, Line at, int depth) {
		if (depth > MAX_DEPTH) {
			Line l = at != null ? at : lines.get(0);
			unsupported.add(new Line(l.file(), l.line(), "macros nest deeper than " + MAX_DEPTH + " levels"));
			return;
		}
		for (int i = 0; i < lines.size(); i++) {
			Line raw = lines.get(i);
			Line where = at != null ? at : raw;
			String text = stripComment(raw.text()).strip();
			if (text.isEmpty())
				continue;
			if (args != null)
				text = params(text, args, unique);
			String directive = text.startsWith("%") ? firstWord(text).toLowerCase() : "";
			if (directive.startsWith("%if")) { // every %if form; the ones not understood are reported
				i = conditional(lines, i, args, unique, at, depth);
				continue;
			}
			switch (directive) {
			case "%macro", "%imacro" -> i = defineMacro(lines, i, text, where);
			case "%rep" -> {
				int end = matching(lines, i, "%rep", "%endrep");
				long n = value(rest(text), where, 0);
				List<Line> body = lines.subList(i + 1, end);
				for (long k = 0; k < Math.min(n, 100_000); k++)
					block(body, args, unique, at, depth + 1);
				i = end;
			}
			case "%define", "%xdefine", "%idefine", "%ixdefine" -> {
				String[] nv = rest(text).split("\\s+", 2);
				if (!nv[0].contains("(")) // macros with parameters only appear in data here
					defines.put(nv[0], nv.length > 1 ? (directive.contains("x") ? substitute(nv[1]) : nv[1]) : "");
			}
			case "%undef" -> defines.remove(rest(text).strip());
			case "%assign", "%iassign" -> {
				String[] nv = rest(text).split("\\s+", 2);
				defines.put(nv[0], Long.toString(value(nv.length > 1 ? nv[1] : "", where, 0)));
			}
			case "%include" -> {
				Path f = resolveInclude(raw.file(), rest(text).strip().replaceAll("^[\"'<]|[\"'>]$", ""));
				if (f == null)
					unsupported.add(new Line(where.file(), where.line(), "cannot find the include file " + rest(text).strip()));
				else {
					if (!included.contains(f))
						included.add(f);
					include(f, where, depth + 1);
				}
			}
			case "%error", "%warning", "%fatal", "%line", "%pragma", "%endmacro", "%endrep" -> {
			}
			case "" -> expand(substitute(text), where, depth);
			default -> unsupported.add(new Line(where.file(), where.line(), "the directive " + directive + " is not supported by the checker"));
			}
		}
	}

	/** Emits a line, or expands it when it invokes a macro. */
	private void expand(String text, Line where, int depth) {
		String label = "";
		String body = text;
		Matcher m = Pattern.compile("^([A-Za-z_.?$@][\\w.?$@#~]*:)\\s*(.*)$").matcher(text);
		if (m.matches()) {
			label = m.group(1);
			body = m.group(2);
		}
		String name = firstWord(body);
		Macro mac = macros.get(name);
		if (mac == null) {
			out.add(new Line(where.file(), where.line(), text));
			return;
		}
		if (!label.isEmpty())
			out.add(new Line(where.file(), where.line(), label));
		String argText = body.substring(name.length()).strip();
		List<String> args = argText.isEmpty() ? List.of() : splitArgs(argText);
		if (args.size() < mac.minArgs() || (mac.maxArgs() >= 0 && args.size() > mac.maxArgs())) {
			unsupported.add(new Line(where.file(), where.line(), "macro " + name + " invoked with " + args.size() + " arguments"));
			return;
		}
		block(mac.body(), args, "..@" + (++expansions) + ".", where, depth + 1);
	}

	private int defineMacro(List<Line> lines, int i, String text, Line where) {
		int end = matching(lines, i, "%macro", "%endmacro");
		String[] w = rest(text).strip().split("\\s+");
		int min = 0, max = 0;
		if (w.length > 1) {
			String spec = w[1];
			boolean greedy = spec.endsWith("+");
			spec = spec.replace("+", "");
			String[] mm = spec.split("-");
			try {
				min = Integer.parseInt(mm[0]);
				max = mm.length > 1 ? (mm[1].equals("*") ? -1 : Integer.parseInt(mm[1])) : min;
			} catch (NumberFormatException e) {
				unsupported.add(new Line(where.file(), where.line(), "cannot read the parameter count of macro " + w[0]));
			}
			if (greedy)
				max = -1;
		}
		macros.put(w[0], new Macro(w[0], min, max, List.copyOf(lines.subList(i + 1, end))));
		return end;
	}

	/** Chooses the branch of an %if block and processes it; @return the index of its %endif. */
	private int conditional(List<Line> lines, int i, List<String> args, String unique, Line at, int depth) {
		int end = matching(lines, i, "%if", "%endif");
		for (int k = i; k < end;) {
			String t = stripComment(lines.get(k).text()).strip();
			if (args != null)
				t = params(t, args, unique);
			String d = firstWord(t).toLowerCase();
			Line where = at != null ? at : lines.get(k);
			boolean cond = switch (d) {
			case "%if", "%elif" -> value(rest(t), where, 0) != 0;
			case "%ifdef", "%elifdef" -> defines.containsKey(rest(t).strip());
			case "%ifndef", "%elifndef" -> !defines.containsKey(rest(t).strip());
			case "%else" -> true;
			default -> {
				unsupported.add(new Line(where.file(), where.line(), "the directive " + d + " is not supported by the checker"));
				yield false;
			}
			};
			int next = nextBranch(lines, k, end);
			if (cond) {
				block(lines.subList(k + 1, next), args, unique, at, depth + 1);
				break;
			}
			k = next;
		}
		return end;
	}

	/** @return the index of the next %elif/%else/%endif at the same nesting level after {@code k}. */
	private static int nextBranch(List<Line> lines, int k, int end) {
		int nest = 0;
		for (int j = k + 1; j < end; j++) {
			String d = directiveOf(lines.get(j));
			if (d.startsWith("%if"))
				nest++;
			else if (d.equals("%endif"))
				nest--;
			else if (nest == 0 && (d.startsWith("%elif") || d.equals("%else")))
				return j;
		}
		return end;
	}

	/** @return the index of the line closing the block opened at {@code i}, or the last line. */
	private static int matching(List<Line> lines, int i, String open, String close) {
		int nest = 0;
		for (int j = i; j < lines.size(); j++) {
			String d = directiveOf(lines.get(j));
			if (opens(d, open))
				nest++;
			else if (d.equals(close) && --nest == 0)
				return j;
		}
		return lines.size() - 1;
	}

	private static boolean opens(String d, String open) {
		return switch (open) {
		case "%if" -> d.startsWith("%if");
		case "%macro" -> d.equals("%macro") || d.equals("%imacro");
		default -> d.equals(open);
		};
	}

	private static String directiveOf(Line l) {
		String t = stripComment(l.text()).strip();
		return t.startsWith("%") ? firstWord(t).toLowerCase() : "";
	}

	/** Substitutes %1..%9, %0 and %%label in a macro body line. */
	private static String params(String text, List<String> args, String unique) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 1 < text.length()) {
				char n = text.charAt(i + 1);
				if (n == '%' && unique != null) {
					sb.append(unique);
					i++;
					continue;
				}
				if (Character.isDigit(n)) {
					int idx = n - '0';
					sb.append(idx == 0 ? Integer.toString(args.size()) : idx <= args.size() ? args.get(idx - 1) : "");
					i++;
					continue;
				}
			}
			sb.append(c);
		}
		return sb.toString();
	}

	/** Replaces every word bound by %define/%assign (repeatedly, as NASM does), then joins %+ pieces. */
	private String substitute(String text) {
		String cur = text;
		for (int round = 0; round < 16; round++) {
			Matcher m = WORD.matcher(cur);
			StringBuilder sb = new StringBuilder();
			boolean changed = false;
			int last = 0;
			while (m.find()) {
				String v = defines.get(m.group());
				if (v != null && !inString(cur, m.start())) {
					sb.append(cur, last, m.start()).append(v);
					last = m.end();
					changed = true;
				}
			}
			sb.append(cur.substring(last));
			cur = sb.toString();
			if (!changed)
				break;
		}
		return cur.replaceAll("\\s*%\\+\\s*", "");
	}

	private long value(String expr, Line where, long fallback) {
		try {
			return Expr.eval(substitute(expr), defines);
		} catch (Expr.Unknown e) {
			unsupported.add(new Line(where.file(), where.line(), e.getMessage()));
			return fallback;
		}
	}

	private Path resolveInclude(Path from, String name) {
		for (Path d : includeDirs) {
			Path p = d.resolve(name).normalize();
			if (Files.isRegularFile(p))
				return p;
		}
		Path p = from.resolveSibling(name).normalize();
		return Files.isRegularFile(p) ? p : null;
	}

	/** Splits macro arguments at commas outside brackets, braces and quotes. */
	private static List<String> splitArgs(String s) {
		List<String> args = new ArrayList<>();
		int depth = 0;
		char quote = 0;
		StringBuilder cur = new StringBuilder();
		for (char c : s.toCharArray()) {
			if (quote != 0) {
				if (c == quote)
					quote = 0;
			} else if (c == '"' || c == '\'' || c == '`') {
				quote = c;
			} else if (c == '[' || c == '(' || c == '{') {
				depth++;
			} else if (c == ']' || c == ')' || c == '}') {
				depth--;
			} else if (c == ',' && depth == 0) {
				args.add(cur.toString().strip());
				cur.setLength(0);
				continue;
			}
			cur.append(c);
		}
		args.add(cur.toString().strip().replaceAll("^\\{(.*)\\}$", "$1"));
		return args;
	}

	/** @return {@code line} without its {@code ;} comment (quotes respected). */
	static String stripComment(String line) {
		for (int i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1))
			if (!inString(line, i))
				return line.substring(0, i);
		return line;
	}

	/** @return whether position {@code pos} of {@code s} is inside a '', "" or `` string. */
	private static boolean inString(String s, int pos) {
		char quote = 0;
		for (int i = 0; i < pos; i++) {
			char c = s.charAt(i);
			if (quote != 0) {
				if (c == quote)
					quote = 0;
			} else if (c == '"' || c == '\'' || c == '`') {
				quote = c;
			}
		}
		return quote != 0;
	}

	static String firstWord(String s) {
		int i = 0;
		while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ',')
			i++;
		return s.substring(0, i);
	}

	private static String rest(String s) {
		return s.substring(firstWord(s).length()).strip();
	}
}
