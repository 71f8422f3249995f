package toro.studio.ui.editors;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The labels of a NASM source, for the outline. */
public final class Labels {
	/** A label: its name, its line (1-based) and the offset and length of its name in the text. */
	public record Label(String name, int line, int offset, int length) {
		/** True for a NASM local label (.name), shown under the label before it. */
		public boolean local() {
			return name.startsWith(".");
		}
	}

	private static final Pattern LABEL = Pattern.compile("^[ \\t]*([A-Za-z_.?$@][\\w.?$@#~]*):", Pattern.MULTILINE);

	private Labels() {
	}

	/** The labels defined in {@code text} ("name:" at the start of a line, comments aside), in order. */
	public static List<Label> of(String text) {
		List<Label> out = new ArrayList<>();
		Matcher m = LABEL.matcher(text);
		int line = 1, counted = 0;
		while (m.find()) {
			for (int i = counted; i < m.start(1); i++) {
				if (text.charAt(i) == '\n')
					line++;
			}
			counted = m.start(1);
			out.add(new Label(m.group(1), line, m.start(1), m.group(1).length()));
		}
		return out;
	}
}
