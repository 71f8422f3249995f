package toro.studio.build;

import java.util.ArrayList;
import java.util.List;

/**
 * The flag lists of one section of toro.build; {@link #plus} appends another
 * section's lists, which is how flags, profile and target combine.
 */
record Flags(List<String> cflags, List<String> asflags, List<String> ldflags, List<String> includes,
		List<String> defines) {
	static final Flags NONE = new Flags(List.of(), List.of(), List.of(), List.of(), List.of());

	/** @return the flag keys of {@code s}, each split on white space. */
	static Flags of(DescriptorParser.Section s) {
		return new Flags(words(s, "cflags"), words(s, "asflags"), words(s, "ldflags"), words(s, "includes"),
				words(s, "defines"));
	}

	/** @return these lists followed by {@code o}'s. */
	Flags plus(Flags o) {
		return new Flags(cat(cflags, o.cflags), cat(asflags, o.asflags), cat(ldflags, o.ldflags),
				cat(includes, o.includes), cat(defines, o.defines));
	}

	static List<String> words(DescriptorParser.Section s, String key) {
		DescriptorParser.Entry e = s.get(key);
		return e == null || e.value().isEmpty() ? List.of() : List.of(e.value().split(" "));
	}

	private static List<String> cat(List<String> a, List<String> b) {
		List<String> r = new ArrayList<>(a);
		r.addAll(b);
		return List.copyOf(r);
	}
}
