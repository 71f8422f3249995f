package toro.studio.build.abi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code of one preprocessed NASM file: the instructions of its executable
 * sections in order, its labels (local {@code .x} labels qualified by the
 * label before them, as NASM does), and the routines to check. A routine
 * starts at a code label that is declared {@code global} or whose address is
 * stored in data (an interrupt stub in a vector table), unless other code
 * jumps to it: such a shared tail (the common part of interrupt stubs) is
 * checked along the paths of the routines that jump there.
 */
final class Program {
	private static final Pattern LABEL = Pattern.compile("^([A-Za-z_.?$@][\\w.?$@#~]*):\\s*(.*)$");
	private static final Pattern WORD = Pattern.compile("[A-Za-z_.?$@][\\w.?$@#~]*");
	private static final Set<String> DATA = Set.of("db", "dw", "dd", "dq", "dt", "do", "dy", "dz", "resb", "resw",
			"resd", "resq", "rest", "reso", "resy", "resz", "times", "incbin", "equ", "align", "alignb");
	private static final Set<String> IGNORED = Set.of("extern", "bits", "default", "cpu", "org", "use16", "use32",
			"use64", "struc", "endstruc", "istruc", "iend", "at", "absolute", "common", "static", "sectalign");
	private static final Set<String> PREFIXES = Set.of("rep", "repe", "repz", "repne", "repnz", "lock", "o16", "o32",
			"o64", "a16", "a32", "a64", "notrack", "bnd", "xacquire", "xrelease");

	final List<Insn> code = new ArrayList<>();
	/** The label scope (last non-local label) of each instruction, for resolving {@code .x} targets. */
	final List<String> scope = new ArrayList<>();
	/** Qualified code label to the index of the instruction after it. */
	final Map<String, Integer> labels = new HashMap<>();
	/** Routines to check: name to index of their first instruction, in file order. */
	final Map<String, Integer> entries = new LinkedHashMap<>();

	private Program() {
	}

	static Program of(List<Preprocessor.Line> lines) {
		Program p = new Program();
		Set<String> globals = new HashSet<>();
		Set<String> addressTaken = new HashSet<>();
		List<String> codeLabels = new ArrayList<>();
		boolean exec = true;
		String current = "";
		for (Preprocessor.Line l : lines) {
			String text = Preprocessor.stripComment(l.text()).strip();
			if (text.startsWith("[") && text.endsWith("]"))
				text = text.substring(1, text.length() - 1).strip();
			Matcher m = LABEL.matcher(text);
			while (m.matches()) {
				String name = m.group(1);
				if (!name.startsWith("."))
					current = name.startsWith("..@") ? current : name;
				String q = name.startsWith(".") && !name.startsWith("..@") ? current + name : name;
				if (exec) {
					p.labels.put(q, p.code.size());
					codeLabels.add(q);
				}
				text = m.group(2).strip();
				m = LABEL.matcher(text);
			}
			if (text.isEmpty())
				continue;
			String first = Preprocessor.firstWord(text).toLowerCase(Locale.ROOT);
			String rest = text.substring(Math.min(text.length(), Preprocessor.firstWord(text).length())).strip();
			if (first.equals("section") || first.equals("segment")) {
				exec = executable(rest);
				continue;
			}
			if (first.equals("global")) {
				for (String g : rest.split(","))
					globals.add(g.strip().split("[:\\s]")[0]);
				continue;
			}
			String second = Preprocessor.firstWord(rest).toLowerCase(Locale.ROOT);
			if (IGNORED.contains(first) || DATA.contains(first) || DATA.contains(second)) {
				if (!exec || DATA.contains(first))
					refs(rest, addressTaken);
				continue;
			}
			if (!exec)
				continue;
			p.code.add(insn(l, text));
			p.scope.add(current);
		}
		Set<String> jumpedTo = new HashSet<>();
		for (int i = 0; i < p.code.size(); i++) {
			Insn in = p.code.get(i);
			if (in.mnemonic().startsWith("j") || in.mnemonic().startsWith("loop")) {
				String t = p.target(i);
				if (t != null)
					jumpedTo.add(t);
			}
		}
		for (String label : codeLabels)
			if ((globals.contains(label) || addressTaken.contains(label)) && !jumpedTo.contains(label))
				p.entries.put(label, p.labels.get(label));
		return p;
	}

	/** @return whether a section declaration ({@code .text exec ...}) names code. */
	private static boolean executable(String decl) {
		String[] w = decl.split("\\s+");
		String name = w[0];
		for (String attr : w)
			if (attr.equals("exec"))
				return true;
			else if (attr.equals("noexec"))
				return false;
		return name.startsWith(".text") || name.equals(".init") || name.equals(".fini");
	}

	private static void refs(String text, Set<String> out) {
		Matcher m = WORD.matcher(text);
		while (m.find())
			out.add(m.group());
	}

	private static Insn insn(Preprocessor.Line l, String text) {
		String t = text;
		boolean repeated = false;
		String w = Preprocessor.firstWord(t).toLowerCase(Locale.ROOT);
		while (PREFIXES.contains(w)) {
			repeated |= w.startsWith("rep");
			t = t.substring(w.length()).strip();
			w = Preprocessor.firstWord(t).toLowerCase(Locale.ROOT);
		}
		String ops = t.substring(w.length()).strip();
		List<String> operands = new ArrayList<>();
		if (!ops.isEmpty()) {
			int depth = 0;
			StringBuilder cur = new StringBuilder();
			for (char c : ops.toCharArray()) {
				if (c == '[' || c == '(')
					depth++;
				else if (c == ']' || c == ')')
					depth--;
				if (c == ',' && depth == 0) {
					operands.add(cur.toString().strip());
					cur.setLength(0);
				} else {
					cur.append(c);
				}
			}
			operands.add(cur.toString().strip());
		}
		return new Insn(l.file(), l.line(), w, List.copyOf(operands), repeated, text);
	}

	/**
	 * @return the label a direct jump or call at {@code i} names (qualified; "$"
	 *         is the instruction itself, as "$self"; a far {@code sel:label} gives
	 *         label), or null for an indirect one (register or memory)
	 */
	String target(int i) {
		Insn in = code.get(i);
		String op = Insn.bare(in.op(0));
		if (op.isEmpty() || op.startsWith("[") || Registers.of(op) >= 0)
			return null;
		int colon = op.indexOf(':');
		if (colon >= 0)
			op = Insn.bare(op.substring(colon + 1));
		if (op.equals("$"))
			return "$self";
		if (!WORD.matcher(op).matches())
			return null;
		return op.startsWith(".") && !op.startsWith("..@") ? scope.get(i) + op : op;
	}
}
