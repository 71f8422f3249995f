package toro.studio.build.abi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the checker knows at one point of a routine: for each register,
 * whether it still holds its value from the routine's entry (null) or how it
 * was changed; which registers hold a copy of rsp (and at what depth); and
 * the stack as pushed since entry, each slot naming the register whose entry
 * value it holds (-1 for anything else). {@code depth} counts 8-byte slots
 * pushed since entry; after an {@code and rsp, -16} it is not known until rsp
 * is restored from a copy.
 */
final class State {
	final String[] changed = new String[16];
	final Integer[] rspCopy = new Integer[16];
	final List<Integer> stack = new ArrayList<>();
	/** Depth in slots when {@link #known}; -n means n slots popped past the entry. */
	int depth;
	boolean known = true;
	/** Where the stack pointer stopped being tracked (when not known). */
	String lostAt;
	/**
	 * True once this path stored rsp to memory ({@code mov [..], rsp}): a later
	 * load of rsp from elsewhere is then taken as a switch to a stack saved the
	 * same way (a context switch). On no path is an unexplained load accepted.
	 */
	boolean rspSaved;

	State copy() {
		State s = new State();
		System.arraycopy(changed, 0, s.changed, 0, 16);
		System.arraycopy(rspCopy, 0, s.rspCopy, 0, 16);
		s.stack.addAll(stack);
		s.depth = depth;
		s.known = known;
		s.lostAt = lostAt;
		s.rspSaved = rspSaved;
		return s;
	}

	/** Pushes a slot holding the entry value of register {@code r} (or -1). */
	void push(int r) {
		if (known) {
			while (stack.size() > Math.max(depth, 0))
				stack.remove(stack.size() - 1);
			if (depth >= 0)
				stack.add(r);
			depth++;
		}
	}

	/** @return the register whose entry value the popped slot held, or -1. */
	int pop() {
		if (!known)
			return -1;
		depth--;
		return depth >= 0 && depth < stack.size() ? stack.get(depth) : -1;
	}

	/** Marks register {@code r} as changed, for the reason given. */
	void write(int r, String why) {
		if (r < 0)
			return;
		changed[r] = why;
		rspCopy[r] = null;
	}

	/** Sets the depth to {@code d} (rsp restored from a copy taken at that depth). */
	void restoreDepth(int d) {
		depth = d;
		known = true;
		lostAt = null;
		while (stack.size() > Math.max(d, 0))
			stack.remove(stack.size() - 1);
	}

	/** @return true when the two states disagree on the stack depth (the paths cannot be merged). */
	boolean conflicts(State o) {
		return known != o.known || (known && depth != o.depth);
	}

	/** @return the merge of two states reaching the same instruction: a change on either path counts. */
	State join(State o) {
		State s = copy();
		s.rspSaved = rspSaved && o.rspSaved;
		for (int r = 0; r < 16; r++) {
			if (s.changed[r] == null)
				s.changed[r] = o.changed[r];
			if (!Objects.equals(s.rspCopy[r], o.rspCopy[r]))
				s.rspCopy[r] = null;
		}
		for (int i = 0; i < s.stack.size(); i++)
			if (i >= o.stack.size() || !s.stack.get(i).equals(o.stack.get(i)))
				s.stack.set(i, -1);
		return s;
	}

	@Override
	public boolean equals(Object x) {
		return x instanceof State s && Arrays.equals(changed, s.changed) && Arrays.equals(rspCopy, s.rspCopy)
				&& stack.equals(s.stack) && depth == s.depth && known == s.known && rspSaved == s.rspSaved;
	}

	@Override
	public int hashCode() {
		return Objects.hash(Arrays.hashCode(changed), depth, known);
	}
}
