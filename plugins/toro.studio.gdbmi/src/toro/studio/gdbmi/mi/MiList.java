package toro.studio.gdbmi.mi;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code [...]}: either plain values ({@code ["i1"]}) or named results
 * ({@code [frame={...},frame={...}]}); each item is a {@link MiResult}
 * whose name is null for a plain value.
 */
public record MiList(List<MiResult> items) implements MiValue {
	public MiList {
		items = List.copyOf(items);
	}

	/** @return the values of every item, named or not. */
	public List<MiValue> values() {
		List<MiValue> v = new ArrayList<>(items.size());
		for (MiResult r : items)
			v.add(r.value());
		return v;
	}

	/** @return the items that are tuples (the usual shape of a list of frames, threads, registers). */
	public List<MiTuple> tuples() {
		List<MiTuple> t = new ArrayList<>(items.size());
		for (MiResult r : items)
			if (r.value() instanceof MiTuple tuple)
				t.add(tuple);
		return t;
	}

	/** @return the items that are constants, as strings. */
	public List<String> strings() {
		List<String> s = new ArrayList<>(items.size());
		for (MiResult r : items)
			if (r.value() instanceof MiConst c)
				s.add(c.value());
		return s;
	}

	/** @return the number of items. */
	public int size() {
		return items.size();
	}
}
