package toro.studio.build.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Makefile fragment that {@code gcc -MD} and {@code nasm -MD} write:
 * {@code target: dep dep \} with backslash continuations and escaped spaces.
 */
public final class DepFile {
	private DepFile() {
	}

	/**
	 * @return the prerequisites of every rule in {@code text}, in order,
	 *         without duplicates (nasm and gcc -MP also add empty rules per header)
	 */
	public static List<String> parse(String text) {
		List<String> deps = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean afterColon = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\' && i + 1 < text.length()) {
				char n = text.charAt(i + 1);
				if (n == '\n' || n == '\r') { // continuation
					i++;
					if (n == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n')
						i++;
					afterColon = flush(word, afterColon, deps);
					continue;
				}
				if (n == ' ' || n == '#' || n == '\\') {
					word.append(n);
					i++;
					continue;
				}
			}
			if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
				word.append('$');
				i++;
			} else if (c == ':' && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)))) {
				word.setLength(0); // the target
				afterColon = true;
			} else if (c == '\n') {
				flush(word, afterColon, deps);
				afterColon = false;
			} else if (Character.isWhitespace(c)) {
				afterColon = flush(word, afterColon, deps);
			} else {
				word.append(c);
			}
		}
		flush(word, afterColon, deps);
		return deps;
	}

	private static boolean flush(StringBuilder word, boolean afterColon, List<String> deps) {
		if (word.length() > 0 && afterColon && !deps.contains(word.toString()))
			deps.add(word.toString());
		word.setLength(0);
		return afterColon;
	}
}
