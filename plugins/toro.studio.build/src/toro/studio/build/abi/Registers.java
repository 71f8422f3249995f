package toro.studio.build.abi;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sixteen general-purpose registers of x86-64, numbered as the encoding
 * does (rax 0 ... r15 15), and every name that writes one of them (eax, bx,
 * r12d, sil, ...). The SysV ABI's callee-saved set is rbx, rbp, r12-r15.
 */
final class Registers {
	static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
	static final String[] NAMES = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11",
			"r12", "r13", "r14", "r15" };
	/** Registers that a called C function may change (SysV caller-saved). */
	static final int[] CALLER_SAVED = { RAX, RCX, RDX, RSI, RDI, 8, 9, 10, 11 };
	/** Registers that every routine must give back unchanged (SysV callee-saved, rsp apart). */
	static final int[] CALLEE_SAVED = { RBX, RBP, 12, 13, 14, 15 };

	private static final Map<String, Integer> BY_NAME = new HashMap<>();
	static {
		String[][] legacy = { { "eax", "ax", "al", "ah" }, { "ecx", "cx", "cl", "ch" }, { "edx", "dx", "dl", "dh" },
				{ "ebx", "bx", "bl", "bh" }, { "esp", "sp", "spl" }, { "ebp", "bp", "bpl" }, { "esi", "si", "sil" },
				{ "edi", "di", "dil" } };
		for (int r = 0; r < 16; r++)
			BY_NAME.put(NAMES[r], r);
		for (int r = 0; r < 8; r++)
			for (String n : legacy[r])
				BY_NAME.put(n, r);
		for (int r = 8; r < 16; r++)
			for (String suffix : new String[] { "d", "w", "b", "l" })
				BY_NAME.put("r" + r + suffix, r);
	}

	private Registers() {
	}

	/** @return the register an operand names (any width), or -1 when it is not a general-purpose register. */
	static int of(String operand) {
		Integer r = BY_NAME.get(operand.strip().toLowerCase(Locale.ROOT));
		return r == null ? -1 : r;
	}

	static boolean calleeSaved(int r) {
		for (int c : CALLEE_SAVED)
			if (c == r)
				return true;
		return false;
	}
}
