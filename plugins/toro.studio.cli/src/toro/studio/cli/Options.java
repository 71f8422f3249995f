package toro.studio.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a command's options against a declared set. Declarations:
 * {@code "--json"} is a flag, {@code "--smp="} takes a value (written
 * {@code --smp 4} or {@code --smp=4}), {@code "--break=*"} takes a value and
 * may repeat. Anything else that starts with "-" is an error; other words
 * are positional.
 */
public final class Options {
	private final Map<String, List<String>> values = new HashMap<>();
	private final List<String> positional = new ArrayList<>();

	private Options() {
	}

	/**
	 * Parses {@code args}.
	 *
	 * @throws UsageException naming the unknown option, the missing value or the repeated option
	 */
	public static Options parse(List<String> args, String... declared) throws UsageException {
		Map<String, String> kinds = new LinkedHashMap<>();
		for (String d : declared) {
			if (d.endsWith("=*"))
				kinds.put(d.substring(0, d.length() - 2), "many");
			else if (d.endsWith("="))
				kinds.put(d.substring(0, d.length() - 1), "one");
			else
				kinds.put(d, "flag");
		}
		Options o = new Options();
		for (int i = 0; i < args.size(); i++) {
			String a = args.get(i);
			if (a.equals("--")) {
				o.positional.addAll(args.subList(i + 1, args.size()));
				break;
			}
			if (!a.startsWith("-") || a.equals("-")) {
				o.positional.add(a);
				continue;
			}
			String name = a;
			String value = null;
			int eq = a.indexOf('=');
			if (eq > 0) {
				name = a.substring(0, eq);
				value = a.substring(eq + 1);
			}
			String kind = kinds.get(name);
			if (kind == null)
				throw new UsageException("unknown option " + name + (kinds.isEmpty() ? "" : "; known: " + String.join(" ", kinds.keySet())));
			if (kind.equals("flag")) {
				if (value != null)
					throw new UsageException(name + " takes no value");
				value = "true";
			} else if (value == null) {
				if (i + 1 >= args.size())
					throw new UsageException(name + " needs a value");
				value = args.get(++i);
			}
			List<String> list = o.values.computeIfAbsent(name, k -> new ArrayList<>());
			if (!list.isEmpty() && !kind.equals("many"))
				throw new UsageException(name + " given twice");
			list.add(value);
		}
		return o;
	}

	/** @return whether the flag was given. */
	public boolean flag(String name) {
		return values.containsKey(name);
	}

	/** @return the option's value, or {@code fallback} when absent. */
	public String get(String name, String fallback) {
		List<String> v = values.get(name);
		return v == null ? fallback : v.get(0);
	}

	/** @return every value of a repeatable option, in order. */
	public List<String> all(String name) {
		return values.getOrDefault(name, List.of());
	}

	/**
	 * @return the option's value as an integer in [min, max], or {@code fallback}
	 * @throws UsageException if it is not a whole number in range
	 */
	public int integer(String name, int fallback, int min, int max) throws UsageException {
		String v = get(name, null);
		if (v == null)
			return fallback;
		try {
			int n = Integer.parseInt(v);
			if (n >= min && n <= max)
				return n;
		} catch (NumberFormatException e) {
			// reported below
		}
		throw new UsageException(name + " takes a whole number from " + min + " to " + max + ", not '" + v + "'");
	}

	/**
	 * @return the option's value as comma-separated whole numbers, each in [min, max], or
	 *         {@code fallback} (a list like "1,2,4") when it is absent
	 * @throws UsageException naming the option, the range and an example, if one is not
	 */
	public List<Integer> integers(String name, String fallback, int min, int max) throws UsageException {
		String v = get(name, fallback);
		List<Integer> out = new ArrayList<>();
		for (String s : v.split(",")) {
			try {
				int n = Integer.parseInt(s.strip());
				if (n >= min && n <= max) {
					out.add(n);
					continue;
				}
			} catch (NumberFormatException e) {
				// reported below
			}
			throw new UsageException(name + " takes whole numbers from " + min + " to " + max + " separated by commas, e.g. "
					+ fallback + "; not '" + v + "'");
		}
		return out;
	}

	/** @return the words that are not options. */
	public List<String> positional() {
		return positional;
	}
}
