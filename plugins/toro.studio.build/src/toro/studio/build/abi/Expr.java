package toro.studio.build.abi;

import java.util.Map;

/**
 * Evaluates the integer expressions of NASM's preprocessor ({@code %if},
 * {@code %assign}, {@code %rep}) and of stack adjustments: numbers (decimal,
 * 0x hex, trailing h), names bound by {@code %assign}/{@code %define},
 * parentheses, unary - ! ~, * / %, + -, shifts, comparisons (= == != <> < <=
 * > >=), &amp; | ^, &amp;&amp; || and ^^.
 */
final class Expr {
	/** An expression the evaluator does not understand. */
	static final class Unknown extends Exception {
		private static final long serialVersionUID = 1L;

		Unknown(String m) {
			super(m);
		}
	}

	private final String s;
	private final Map<String, String> names;
	private int i;

	private Expr(String s, Map<String, String> names) {
		this.s = s;
		this.names = names;
	}

	/** @return the value of {@code text}, names looked up in {@code names}. */
	static long eval(String text, Map<String, String> names) throws Unknown {
		Expr e = new Expr(text, names);
		long v = e.binary(0);
		e.skip();
		if (e.i != e.s.length())
			throw new Unknown("cannot evaluate '" + text + "'");
		return v;
	}

	private static final String[][] LEVELS = {
			{ "||" }, { "^^" }, { "&&" }, { "==", "!=", "<>", "<=", ">=", "=", "<", ">" },
			{ "|" }, { "^" }, { "&" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" } };

	private long binary(int level) throws Unknown {
		if (level == LEVELS.length)
			return unary();
		long v = binary(level + 1);
		for (;;) {
			skip();
			String op = null;
			for (String o : LEVELS[level])
				if (s.startsWith(o, i) && !(o.equals("|") && s.startsWith("||", i)) && !(o.equals("&") && s.startsWith("&&", i))
						&& !(o.equals("^") && s.startsWith("^^", i)) && !(o.equals("<") && s.startsWith("<<", i))
						&& !(o.equals(">") && s.startsWith(">>", i))) {
					op = o;
					break;
				}
			if (op == null)
				return v;
			i += op.length();
			long r = binary(level + 1);
			v = apply(op, v, r);
		}
	}

	private static long apply(String op, long a, long b) throws Unknown {
		return switch (op) {
		case "||" -> (a != 0 || b != 0) ? 1 : 0;
		case "^^" -> ((a != 0) ^ (b != 0)) ? 1 : 0;
		case "&&" -> (a != 0 && b != 0) ? 1 : 0;
		case "==", "=" -> a == b ? 1 : 0;
		case "!=", "<>" -> a != b ? 1 : 0;
		case "<" -> a < b ? 1 : 0;
		case "<=" -> a <= b ? 1 : 0;
		case ">" -> a > b ? 1 : 0;
		case ">=" -> a >= b ? 1 : 0;
		case "|" -> a | b;
		case "^" -> a ^ b;
		case "&" -> a & b;
		case "<<" -> a << b;
		case ">>" -> a >>> b;
		case "+" -> a + b;
		case "-" -> a - b;
		case "*" -> a * b;
		case "/", "%" -> {
			if (b == 0)
				throw new Unknown("division by zero");
			yield op.equals("/") ? Long.divideUnsigned(a, b) : Long.remainderUnsigned(a, b);
		}
		default -> throw new Unknown(op);
		};
	}

	private long unary() throws Unknown {
		skip();
		if (i >= s.length())
			throw new Unknown("expression ends early: '" + s + "'");
		char c = s.charAt(i);
		if (c == '-' || c == '!' || c == '~' || c == '+') {
			i++;
			long v = unary();
			return c == '-' ? -v : c == '!' ? (v == 0 ? 1 : 0) : c == '~' ? ~v : v;
		}
		if (c == '(') {
			i++;
			long v = binary(0);
			skip();
			if (i >= s.length() || s.charAt(i) != ')')
				throw new Unknown("missing ')' in '" + s + "'");
			i++;
			return v;
		}
		int start = i;
		while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.'
				|| s.charAt(i) == '$' || s.charAt(i) == '@' || s.charAt(i) == '?'))
			i++;
		String word = s.substring(start, i);
		if (word.isEmpty())
			throw new Unknown("cannot evaluate '" + s + "'");
		if (Character.isDigit(word.charAt(0)))
			return number(word);
		String bound = names.get(word);
		if (bound == null)
			throw new Unknown("'" + word + "' has no value the checker knows");
		return eval(bound, names);
	}

	/** @return the value of a NASM number: 12, 0x1f, 1fh, 0b101, 17o. */
	static long number(String w) throws Unknown {
		String t = w.replace("_", "").toLowerCase();
		try {
			if (t.startsWith("0x"))
				return Long.parseUnsignedLong(t.substring(2), 16);
			if (t.startsWith("0b"))
				return Long.parseUnsignedLong(t.substring(2), 2);
			if (t.endsWith("h"))
				return Long.parseUnsignedLong(t.substring(0, t.length() - 1), 16);
			if (t.endsWith("o") || t.endsWith("q"))
				return Long.parseUnsignedLong(t.substring(0, t.length() - 1), 8);
			if (t.endsWith("b"))
				return Long.parseUnsignedLong(t.substring(0, t.length() - 1), 2);
			if (t.endsWith("d"))
				return Long.parseLong(t.substring(0, t.length() - 1));
			return Long.parseUnsignedLong(t);
		} catch (NumberFormatException e) {
			throw new Unknown("'" + w + "' is not a number");
		}
	}

	private void skip() {
		while (i < s.length() && Character.isWhitespace(s.charAt(i)))
			i++;
	}
}
