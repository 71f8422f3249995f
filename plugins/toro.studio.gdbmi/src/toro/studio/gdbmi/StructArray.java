package toro.studio.gdbmi;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A global array of structs in the target, read in one memory transfer. The
 * layout (element size, field offsets and sizes) is asked of gdb from the
 * debug information, so the reader follows the kernel's struct as it changes.
 */
final class StructArray {
	private final byte[] bytes;
	private final int count;
	private final int elementSize;
	private final Map<String, int[]> fields = new HashMap<>();

	/**
	 * Reads {@code symbol[0..count)} with the given fields.
	 *
	 * @throws GdbException if the symbol or a field does not exist in the image
	 */
	StructArray(GdbSession s, String symbol, List<String> fieldNames) {
		try {
			count = (int) number(s, "sizeof(" + symbol + ")/sizeof(" + symbol + "[0])");
			elementSize = (int) number(s, "sizeof(" + symbol + "[0])");
			for (String f : fieldNames) {
				String e = symbol + "[0]." + f;
				int offset = (int) number(s, "(long)&" + e + " - (long)&" + symbol + "[0]");
				fields.put(f, new int[] { offset, (int) number(s, "sizeof(" + e + ")") });
			}
			long base = number(s, "(long)&" + symbol);
			bytes = s.readMemory(base, count * elementSize);
		} catch (MiError e) {
			throw new GdbException("cannot read " + symbol + " from the kernel: " + e.gdbMessage()
					+ " (is this a Toro kernel image built with -g?)", e);
		}
	}

	/** @return the number of elements of the array. */
	int count() {
		return count;
	}

	/** @return field {@code name} of element {@code i} as an unsigned little-endian integer. */
	long get(int i, String name) {
		int[] f = fields.get(name);
		long v = 0;
		int at = i * elementSize + f[0];
		for (int b = Math.min(f[1], 8) - 1; b >= 0; b--)
			v = (v << 8) | (bytes[at + b] & 0xff);
		return v;
	}

	/** @return field {@code name} of element {@code i}, a char array, up to its first NUL. */
	String text(int i, String name) {
		int[] f = fields.get(name);
		int at = i * elementSize + f[0];
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
