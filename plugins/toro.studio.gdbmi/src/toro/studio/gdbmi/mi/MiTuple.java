package toro.studio.gdbmi.mi;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code {name=value,...}} and the results of a record: ordered pairs, with
 * duplicate names kept (gdb repeats keys, e.g. {@code thread-ids={thread-id="1",thread-id="2"}}).
 * Lookups return the first pair of that name.
 */
public record MiTuple(List<MiResult> results) implements MiValue {
	/** A tuple with no results. */
	public static final MiTuple EMPTY = new MiTuple(List.of());

	public MiTuple {
		results = List.copyOf(results);
	}

	/** @return the first value named {@code name}, or null. */
	public MiValue get(String name) {
		for (MiResult r : results)
			if (name.equals(r.name()))
				return r.value();
		return null;
	}

	/** @return every value named {@code name}, in order. */
	public List<MiValue> getAll(String name) {
		List<MiValue> all = new ArrayList<>();
		for (MiResult r : results)
			if (name.equals(r.name()))
				all.add(r.value());
		return all;
	}

	/** @return the first constant named {@code name}, or null if absent or not a constant. */
	public String string(String name) {
		return get(name) instanceof MiConst c ? c.value() : null;
	}

	/** @return the first tuple named {@code name}, or null. */
	public MiTuple tuple(String name) {
		return get(name) instanceof MiTuple t ? t : null;
	}

	/** @return the first list named {@code name}, or an empty list. */
	public MiList list(String name) {
		return get(name) instanceof MiList l ? l : new MiList(List.of());
	}

	/** @return the constant {@code name} as an int, or {@code fallback} if absent or not a number. */
	public int integer(String name, int fallback) {
		String s = string(name);
		if (s == null)
			return fallback;
		try {
			return Integer.parseInt(s.trim());
		} catch (NumberFormatException e) {
			return fallback;
		}
	}

	/** @return the constant {@code name} (decimal or 0x hex) as a long, or {@code fallback}. */
	public long address(String name, long fallback) {
		String s = string(name);
		if (s == null)
			return fallback;
		try {
			s = s.trim();
			return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
		} catch (NumberFormatException e) {
			return fallback;
		}
	}
}
