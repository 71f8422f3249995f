package toro.studio.gdbmi;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A global array of structs in the target, read in one memory transfer. The
 * layout (address, element count and size, field offsets and sizes) is asked of
 * gdb from the debug information, so the reader follows the kernel's struct as
 * it changes; it is fixed for the image gdb loaded, so it is asked once per
 * session and each later read is the memory transfer alone.
 */
final class StructArray {
	/** Where the array is and how its elements are laid out; fields map to {offset, size}. */
	private record Layout(long base, int count, int elementSize, Map<String, int[]> fields) {
	}

	private final byte[] bytes;
	private final Layout layout;

	/**
	 * Reads {@code symbol[0..count)} with the given fields.
	 *
	 * @throws GdbException if the symbol or a field does not exist in the image
	 */
	StructArray(GdbSession s, String symbol, List<String> fieldNames) {
		try {
			layout = s.cached("layout " + symbol + " " + fieldNames, () -> ask(s, symbol, fieldNames));
			bytes = s.readMemory(layout.base(), layout.count() * layout.elementSize());
		} catch (MiError e) {
			throw new GdbException("cannot read " + symbol + " from the kernel: " + e.gdbMessage()
					+ " (is this a Toro kernel image built with -g?)", e);
		}
	}

	/** @return the layout of {@code symbol} with {@code fieldNames}, from gdb's expressions. */
	private static Layout ask(GdbSession s, String symbol, List<String> fieldNames) {
		int count = (int) number(s, "sizeof(" + symbol + ")/sizeof(" + symbol + "[0])");
		int elementSize = (int) number(s, "sizeof(" + symbol + "[0])");
		Map<String, int[]> fields = new HashMap<>();
		for (String f : fieldNames) {
			String e = symbol + "[0]." + f;
			int offset = (int) number(s, "(long)&" + e + " - (long)&" + symbol + "[0]");
			fields.put(f, new int[] { offset, (int) number(s, "sizeof(" + e + ")") });
		}
		return new Layout(number(s, "(long)&" + symbol), count, elementSize, Map.copyOf(fields));
	}

	/** @return the number of elements of the array. */
	int count() {
		return layout.count();
	}

	/** @return field {@code name} of element {@code i} as an unsigned little-endian integer. */
	long get(int i, String name) {
		int[] f = layout.fields().get(name);
		long v = 0;
		int at = i * layout.elementSize() + f[0];
		for (int b = Math.min(f[1], 8) - 1; b >= 0; b--)
			v = (v << 8) | (bytes[at + b] & 0xff);
		return v;
	}

	/** @return field {@code name} of element {@code i}, a char array, up to its first NUL. */
	String text(int i, String name) {
		int[] f = layout.fields().get(name);
		int at = i * layout.elementSize() + f[0];
		int n = 0;
		while (n < f[1] && bytes[at + n] != 0)
			n++;
		return new String(bytes, at, n, StandardCharsets.UTF_8);
	}

	/** @return the value of an integer expression. */
	static long number(GdbSession s, String expr) {
		String v = s.evaluate(expr);
		try {
			return Long.decode(v.trim());
		} catch (NumberFormatException | NullPointerException e) {
			throw new GdbException("gdb gave '" + v + "' for " + expr + ", not a number");
		}
	}
}
