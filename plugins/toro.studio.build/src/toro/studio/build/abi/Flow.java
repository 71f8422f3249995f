package toro.studio.build.abi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import toro.studio.build.AbiFinding;

/**
 * Follows every path of one routine from its entry, instruction by
 * instruction, merging the {@link State}s that meet at a label, and checks
 * each exit: at a {@code ret} (or a jump out of the file, a tail call) the
 * stack is back at its entry depth and rbx, rbp, r12-r15 hold their entry
 * values; at an {@code iretq} every general-purpose register does, and the
 * stack is at its entry depth or one slot above (the CPU's error code dropped).
 * A {@code call} is assumed to follow the ABI: it keeps callee-saved registers
 * and may change the caller-saved ones. Loading rsp from anything but a copy
 * of itself is taken as a switch to a stack with the same layout (a context
 * switch) only on a path where this routine saved its own rsp to memory
 * first ({@code mov [rdi], rsp}); anywhere else it is a new stack, which a
 * routine may set up but not return on (an exit after it is not analysed).
 */
final class Flow {
	private static final int MAX_STEPS = 200_000;
	private static final Set<String> NO_WRITE = Set.of("cmp", "test", "bt", "out", "outsb", "outsw", "outsd", "nop",
			"hlt", "cli", "sti", "pause", "cld", "std", "clc", "stc", "cmc", "lgdt", "lidt", "lldt", "ltr", "invlpg",
			"invpcid", "wrmsr", "wbinvd", "lfence", "mfence", "sfence", "int", "int3", "into", "int1", "swapgs",
			"clflush", "clflushopt", "clwb", "prefetch", "prefetcht0", "prefetcht1", "prefetcht2", "prefetchnta",
			"fxsave", "fxsave64", "fxrstor", "fxrstor64", "xsave", "xsave64", "xsaveopt", "xrstor", "xrstor64",
			"xsetbv", "sgdt", "sidt", "verr", "verw", "monitor", "mwait", "clts", "wrfsbase", "wrgsbase", "ud2",
			"fninit", "fldcw", "ldmxcsr", "stmxcsr", "fnstcw", "invd", "iretq", "iret", "iretd", "ret", "retn", "retq",
			"leave", "enter", "push", "pushfq", "pushf", "popfq", "popf", "call", "jmp", "cqo", "cdq", "cwd");

	private final Program prog;
	private final String routine;
	private final Map<String, AbiFinding> findings = new LinkedHashMap<>();

	private Flow(Program prog, String routine) {
		this.prog = prog;
		this.routine = routine;
	}

	/** @return the findings of the routine that starts at instruction {@code entry}. */
	static List<AbiFinding> check(Program prog, String routine, int entry) {
		Flow f = new Flow(prog, routine);
		f.run(entry);
		return new ArrayList<>(f.findings.values());
	}

	private void run(int entry) {
		Map<Integer, State> in = new HashMap<>();
		Deque<Integer> work = new ArrayDeque<>();
		in.put(entry, new State());
		work.add(entry);
		for (int steps = 0; !work.isEmpty(); steps++) {
			if (steps > MAX_STEPS) {
				notAnalysed(prog.code.get(entry), "too many paths to follow");
				return;
			}
			int i = work.poll();
			if (i >= prog.code.size())
				continue; // ran off the end of the file's code
			for (Map.Entry<Integer, State> next : step(i, in.get(i).copy()).entrySet()) {
				int j = next.getKey();
				State s = next.getValue();
				State old = in.get(j);
				if (old == null) {
					in.put(j, s);
					work.add(j);
				} else if (old.conflicts(s)) {
					notAnalysed(j < prog.code.size() ? prog.code.get(j) : prog.code.get(i),
							"paths reach this instruction with different stack depths (" + describe(old) + " and "
									+ describe(s) + ")");
				} else {
					State joined = old.join(s);
					if (!joined.equals(old)) {
						in.put(j, joined);
						work.add(j);
					}
				}
			}
		}
	}

	/** Applies instruction {@code i} to {@code s}; @return the successor instructions with their states. */
	private Map<Integer, State> step(int i, State s) {
		Insn in = prog.code.get(i);
		String m = in.mnemonic();
		Map<Integer, State> next = new LinkedHashMap<>();
		String at = "at line " + in.line() + " ('" + in.text() + "')";
		switch (m) {
		case "ret", "retn", "retq" -> {
			exitSysV(in, s, "this ret");
			return next;
		}
		case "iretq", "iret", "iretd" -> {
			exitInterrupt(in, s);
			return next;
		}
		case "ud2" -> {
			return next;
		}
		case "jmp" -> {
			String t = prog.target(i);
			if (t == null)
				notAnalysed(in, "indirect jump '" + in.text() + "'");
			else if (t.equals("$self"))
				next.put(i, s);
			else if (prog.labels.containsKey(t))
				next.put(prog.labels.get(t), s);
			else
				exitSysV(in, s, "the tail jump to " + t);
			return next;
		}
		case "push", "pushfq", "pushf", "pushq" -> {
			int r = Registers.of(Insn.bare(in.op(0)));
			s.push(m.startsWith("pushf") || r < 0 || s.changed[r] != null ? -1 : r);
		}
		case "pop", "popfq", "popf", "popq" -> pop(in, s, m.startsWith("popf") ? -1 : Registers.of(Insn.bare(in.op(0))));
		case "call" -> {
			for (int r : Registers.CALLER_SAVED)
				s.write(r, "changed by the call at line " + in.line());
		}
		case "leave" -> {
			if (s.rspCopy[Registers.RBP] == null) {
				notAnalysed(in, "leave without a frame set up by mov rbp, rsp");
				return next;
			}
			s.restoreDepth(s.rspCopy[Registers.RBP]);
			pop(in, s, Registers.RBP);
		}
		case "enter" -> {
			s.push(s.changed[Registers.RBP] == null ? Registers.RBP : -1);
			s.write(Registers.RBP, "written " + at);
			s.rspCopy[Registers.RBP] = s.known ? s.depth : null;
			if (!adjust(in, s, in.op(0), 1))
				return next;
		}
		default -> {
			if (!writes(in, s, at))
				return next;
			if (m.startsWith("j") || m.startsWith("loop")) {
				String t = prog.target(i);
				if (t == null)
					notAnalysed(in, "indirect jump '" + in.text() + "'");
				else if (prog.labels.containsKey(t))
					next.put(prog.labels.get(t), s.copy());
				else if (!t.equals("$self"))
					exitSysV(in, s, "the tail jump to " + t);
			}
		}
		}
		next.merge(i + 1, s, State::join);
		return next;
	}

	private void pop(Insn in, State s, int r) {
		if (r == Registers.RSP) {
			s.known = false;
			s.lostAt = "line " + in.line();
			return;
		}
		boolean was = s.known && s.depth <= 0;
		int slot = s.pop();
		if (r < 0)
			return;
		if (slot == r)
			s.changed[r] = null;
		else
			s.write(r, was ? "popped at line " + in.line() + " from below the entry stack"
					: slot >= 0 ? "popped at line " + in.line() + " from the slot that saved " + Registers.NAMES[slot]
							: "popped at line " + in.line() + " from a slot that did not hold its entry value");
		s.rspCopy[r] = null;
	}

	/**
	 * Applies the register writes of an ordinary instruction, including writes to
	 * rsp. @return false when the path cannot be followed further.
	 */
	private boolean writes(Insn in, State s, String at) {
		String m = in.mnemonic();
		String why = "written " + at;
		String d = Insn.bare(in.op(0));
		int dst = Insn.memory(in.op(0)) ? -1 : Registers.of(d);
		switch (m) {
		case "cpuid" -> write(s, why, Registers.RAX, Registers.RBX, Registers.RCX, Registers.RDX);
		case "rdtsc", "rdmsr", "xgetbv", "rdpmc" -> write(s, why, Registers.RAX, Registers.RDX);
		case "rdtscp" -> write(s, why, Registers.RAX, Registers.RDX, Registers.RCX);
		case "cqo", "cdq", "cwd" -> write(s, why, Registers.RDX);
		case "cdqe", "cwde", "cbw" -> write(s, why, Registers.RAX);
		case "syscall" -> write(s, why, Registers.RCX, 11);
		case "cmpxchg8b", "cmpxchg16b" -> write(s, why, Registers.RAX, Registers.RDX);
		case "in", "insb", "insw", "insd" -> write(s, why, m.equals("in") ? Registers.RAX : Registers.RDI);
		case "mul", "div", "idiv" -> write(s, why, Registers.RAX, Registers.RDX);
		case "imul" -> {
			if (in.operands().size() == 1)
				write(s, why, Registers.RAX, Registers.RDX);
			else
				s.write(dst, why);
		}
		case "xchg", "xadd" -> {
			int src = Insn.memory(in.op(1)) ? -1 : Registers.of(Insn.bare(in.op(1)));
			if (dst == Registers.RSP || src == Registers.RSP) {
				notAnalysed(in, "rsp exchanged by '" + in.text() + "'");
				return false;
			}
			s.write(dst, why);
			s.write(src, why);
		}
		case "cmpxchg" -> {
			s.write(Registers.RAX, why);
			s.write(dst, why);
		}
		default -> {
			if (m.startsWith("lods"))
				write(s, why, Registers.RAX, Registers.RSI);
			else if (m.startsWith("movs") && in.operands().isEmpty() || m.startsWith("cmps") && in.operands().isEmpty())
				write(s, why, Registers.RSI, Registers.RDI);
			else if ((m.startsWith("stos") || m.startsWith("scas")) && in.operands().isEmpty())
				write(s, why, Registers.RDI);
			else if (m.startsWith("loop"))
				write(s, why, Registers.RCX);
			else if (!m.startsWith("j"))
				return writeDest(in, s, dst, why);
		}
		}
		if (in.repeated())
			s.write(Registers.RCX, why);
		return true;
	}

	/** The common case: the first operand is written. Tracks rsp arithmetic and copies of rsp. */
	private boolean writeDest(Insn in, State s, int dst, String why) {
		String m = in.mnemonic();
		if (NO_WRITE.contains(m) || dst < 0) {
			if (m.equals("mov") && Insn.memory(in.op(0)) && Registers.of(Insn.bare(in.op(1))) == Registers.RSP)
				s.rspSaved = true;
			if (in.repeated())
				s.write(Registers.RCX, why);
			return true;
		}
		String src = Insn.bare(in.op(1));
		int srcReg = Insn.memory(in.op(1)) ? -1 : Registers.of(src);
		if (dst != Registers.RSP) {
			s.write(dst, why);
			if ((m.equals("mov") || m.equals("lea")) && srcReg == Registers.RSP && s.known)
				s.rspCopy[dst] = s.depth;
			else if (m.equals("mov") && srcReg >= 0 && s.rspCopy[srcReg] != null)
				s.rspCopy[dst] = s.rspCopy[srcReg];
			return true;
		}
		switch (m) {
		case "sub" -> {
			return adjust(in, s, src, 1);
		}
		case "add" -> {
			return adjust(in, s, src, -1);
		}
		case "lea" -> {
			String inner = src.replaceAll("^\\[|\\]$", "").replace(" ", "").toLowerCase();
			if (inner.equals("rsp"))
				return true;
			if (inner.startsWith("rsp+"))
				return adjust(in, s, inner.substring(4), -1);
			if (inner.startsWith("rsp-"))
				return adjust(in, s, inner.substring(4), 1);
			break;
		}
		case "and" -> {
			s.known = false;
			s.lostAt = "line " + in.line();
			return true;
		}
		case "mov" -> {
			if (srcReg >= 0 && s.rspCopy[srcReg] != null) {
				s.restoreDepth(s.rspCopy[srcReg]);
				return true;
			}
			if (s.rspSaved)   // a switch to another stack laid out as this routine saved its own
				return true;
			// a new stack (a boot entry's): fine until the routine tries to return on it
			s.known = false;
			s.lostAt = "line " + in.line() + ", loaded by '" + in.text() + "' from neither a copy of rsp nor a stack "
					+ "this routine saved (mov [..], rsp)";
			return true;
		}
		default -> {
		}
		}
		notAnalysed(in, "rsp changed by '" + in.text() + "' in a way the checker cannot follow");
		return false;
	}

	/** Moves rsp by {@code amount} bytes (sign: +1 grows the stack). @return false if not a multiple of 8 or unknown. */
	private boolean adjust(Insn in, State s, String amount, int sign) {
		long bytes;
		try {
			bytes = Expr.eval(amount, Map.of());
		} catch (Expr.Unknown e) {
			notAnalysed(in, "cannot tell by how much '" + in.text() + "' moves rsp");
			return false;
		}
		if (bytes % 8 != 0) {
			notAnalysed(in, "'" + in.text() + "' moves rsp by " + bytes + " bytes, not a multiple of 8");
			return false;
		}
		for (long k = 0; k < bytes / 8; k++)
			if (sign > 0)
				s.push(-1);
			else
				s.pop();
		return true;
	}

	private static void write(State s, String why, int... regs) {
		for (int r : regs)
			s.write(r, why);
	}

	/** Checks a SysV exit: entry depth and callee-saved registers restored. */
	private void exitSysV(Insn in, State s, String where) {
		if (!balanced(in, s, where, 0, 0))
			return;
		for (int r : Registers.CALLEE_SAVED)
			if (s.changed[r] != null)
				report(in, Registers.NAMES[r] + " is not restored before " + where + ": " + s.changed[r]);
	}

	/** Checks an interrupt return: every general-purpose register restored, the stack at entry (or past the error code). */
	private void exitInterrupt(Insn in, State s) {
		if (!balanced(in, s, "iretq", -1, 0))
			return;
		for (int r = 0; r < 16; r++)
			if (r != Registers.RSP && s.changed[r] != null)
				report(in, Registers.NAMES[r] + " is not restored before iretq (an interrupt must preserve every register): "
						+ s.changed[r]);
	}

	private boolean balanced(Insn in, State s, String where, int min, int max) {
		if (!s.known) {
			notAnalysed(in, "rsp is not tracked at " + where + " (changed at " + s.lostAt + ")");
			return false;
		}
		if (s.depth > max)
			report(in, "stack not balanced at " + where + ": " + 8 * (s.depth - max) + " bytes pushed and not popped");
		else if (s.depth < min)
			report(in, "stack not balanced at " + where + ": " + 8 * (min - s.depth) + " bytes popped that were not pushed");
		return true;
	}

	private static String describe(State s) {
		return s.known ? (s.depth * 8) + " bytes pushed" : "rsp untracked";
	}

	private void report(Insn in, String message) {
		findings.putIfAbsent(in.line() + message, new AbiFinding(in.file(), in.line(), routine, message));
	}

	private void notAnalysed(Insn in, String why) {
		report(in, AbiFinding.NOT_ANALYSED + why);
	}
}
