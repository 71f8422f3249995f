package toro.studio.build.abi;

import java.nio.file.Path;
import java.util.List;

/**
 * One instruction after preprocessing: where it is, its mnemonic (lower case,
 * prefixes such as rep and lock removed but remembered) and its operands as
 * written (size keywords like qword kept).
 */
record Insn(Path file, int line, String mnemonic, List<String> operands, boolean repeated, String text) {
	/** @return the operand at {@code i}, or "" when there are fewer. */
	String op(int i) {
		return i < operands.size() ? operands.get(i) : "";
	}

	/** @return the operand without a size keyword (byte, word, dword, qword, short, near, far, strict). */
	static String bare(String op) {
		String o = op.strip();
		for (boolean again = true; again;) {
			again = false;
			for (String k : new String[] { "strict ", "byte ", "word ", "dword ", "qword ", "short ", "near ", "far ", "abs ", "rel " })
				if (o.toLowerCase().startsWith(k)) {
					o = o.substring(k.length()).strip();
					again = true;
				}
		}
		return o;
	}

	/** @return whether the operand is a memory reference. */
	static boolean memory(String op) {
		return bare(op).startsWith("[");
	}
}
