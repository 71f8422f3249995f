package toro.studio.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the text of toro.build into sections of {@code key = value} entries,
 * checking the syntax and which keys each section may hold. Meaning (defaults,
 * inheritance, paths) is checked by {@link BuildDescriptor}.
 */
final class DescriptorParser {
	/** One {@code key = value} line (continuations joined); {@code line} is where the key is. */
	record Entry(String key, String value, int line) {
	}

	/** {@code [kind name]} and its entries in file order; name is "" for toolchain and flags. */
	record Section(String kind, String name, int line, Map<String, Entry> entries) {
		Entry get(String key) {
			return entries.get(key);
		}
	}

	static final Set<String> FLAG_KEYS = Set.of("cflags", "asflags", "ldflags", "includes", "defines");
	static final Map<String, Set<String>> KEYS = Map.of(
			"toolchain", Set.of("nasm", "cc", "ld", "objcopy"),
			"flags", FLAG_KEYS,
			"profile", union(FLAG_KEYS, Set.of("default")),
			"target", union(FLAG_KEYS, Set.of("sources", "linker-script", "output", "inherit", "default")));

	private DescriptorParser() {
	}

	/**
	 * Parses the descriptor's text.
	 *
	 * @throws BuildException {@code toro.build:LINE: what is wrong; what to write instead}
	 */
	static List<Section> parse(String text) throws BuildException {
		List<Section> sections = new ArrayList<>();
		Section current = null;
		String[] lines = text.split("\r?\n", -1);
		for (int i = 0; i < lines.length; i++) {
			int lineNo = i + 1;
			String line = stripComment(lines[i]).strip();
			if (line.isEmpty())
				continue;
			if (line.startsWith("[")) {
				current = header(line, lineNo, sections);
				sections.add(current);
				continue;
			}
			StringBuilder joined = new StringBuilder(line);
			while (joined.length() > 0 && joined.charAt(joined.length() - 1) == '\\') {
				joined.setLength(joined.length() - 1);
				if (++i >= lines.length)
					throw error(lineNo, "the last line ends with '\\' but nothing follows", "remove the trailing '\\'");
				joined.append(' ').append(stripComment(lines[i]).strip());
			}
			int eq = joined.indexOf("=");
			if (eq < 0)
				throw error(lineNo, "'" + line + "' is neither a [section] nor a key = value line",
						"write key = value, e.g. cflags = -O2");
			String key = joined.substring(0, eq).strip();
			if (key.isEmpty() || key.matches(".*\\s.*"))
				throw error(lineNo, "'" + line + "' has no single-word key before '='",
						"write key = value, e.g. cflags = -O2");
			String value = joined.substring(eq + 1).strip().replaceAll("\\s+", " ");
			if (current == null)
				throw error(lineNo, "'" + key + "' comes before any section",
						"put it under a section header such as [flags] or [target toro]");
			Set<String> allowed = KEYS.get(current.kind());
			if (!allowed.contains(key))
				throw error(lineNo, "unknown key '" + key + "' in [" + title(current) + "]",
						"use one of: " + String.join(", ", sorted(allowed)));
			if (current.entries().containsKey(key))
				throw error(lineNo, "'" + key + "' is given twice in [" + title(current) + "] (first at line "
						+ current.get(key).line() + ")", "write all values on one line, continued with '\\' if long");
			current.entries().put(key, new Entry(key, value, lineNo));
		}
		return sections;
	}

	/** Parses a {@code [kind name]} header and checks the kind, the name and duplicates. */
	private static Section header(String line, int lineNo, List<Section> seen) throws BuildException {
		if (!line.endsWith("]"))
			throw error(lineNo, "section header '" + line + "' has no closing ']'", "write e.g. [target toro]");
		String[] words = line.substring(1, line.length() - 1).strip().split("\\s+");
		String kind = words[0];
		if (!KEYS.containsKey(kind))
			throw error(lineNo, "unknown section [" + kind + "]",
					"use [toolchain], [flags], [profile NAME] or [target NAME]");
		boolean named = kind.equals("profile") || kind.equals("target");
		if (named && words.length != 2)
			throw error(lineNo, "[" + kind + "] needs one name", "write [" + kind + " NAME], e.g. [" + kind
					+ (kind.equals("profile") ? " release]" : " toro]"));
		if (!named && words.length != 1)
			throw error(lineNo, "[" + kind + "] takes no name", "write [" + kind + "]");
		String name = named ? words[1] : "";
		if (!name.matches("[A-Za-z0-9_.-]*"))
			throw error(lineNo, "'" + name + "' is not a valid " + kind + " name",
					"use letters, digits, '_', '-' and '.' only");
		if (name.matches("\\.+"))
			throw error(lineNo, "'" + name + "' is not a valid " + kind + " name: "
					+ (kind.equals("profile") ? "build/" + name + "/" : "build/PROFILE/obj/" + name + "/")
					+ " would be a directory outside its own (and --clean would empty it)",
					"use a name with a letter or digit, e.g. [" + kind + (kind.equals("profile") ? " release]" : " toro]"));
		for (Section s : seen)
			if (s.kind().equals(kind) && s.name().equals(name))
				throw error(lineNo, "[" + title(s) + "] is defined twice (first at line " + s.line() + ")",
						"merge the two sections into one");
		return new Section(kind, name, lineNo, new LinkedHashMap<>());
	}

	/** Removes a {@code #} comment: at the start of the line or after white space. */
	private static String stripComment(String line) {
		for (int i = 0; i < line.length(); i++)
			if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1))))
				return line.substring(0, i);
		return line;
	}

	static String title(Section s) {
		return s.name().isEmpty() ? s.kind() : s.kind() + " " + s.name();
	}

	/** @return the descriptor error {@code toro.build:LINE: what; fix}. */
	static BuildException error(int line, String what, String fix) {
		return new BuildException("toro.build:" + line + ": " + what + "; " + fix, line, null);
	}

	private static Set<String> union(Set<String> a, Set<String> b) {
		java.util.HashSet<String> u = new java.util.HashSet<>(a);
		u.addAll(b);
		return Set.copyOf(u);
	}

	private static List<String> sorted(Set<String> s) {
		return s.stream().sorted().toList();
	}
}
