package toro.studio.qemu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON subset QMP uses, both ways. Objects become {@link LinkedHashMap} (member order kept),
 * arrays {@link ArrayList}, whole numbers {@link Long}, other numbers {@link Double}, plus
 * String, Boolean and null. Public so that other toro tools can print the same JSON.
 */
public final class Json {
	/**
	 * The deepest nesting of objects and arrays accepted. QMP's replies nest a few levels; the
	 * bound keeps a hostile or broken peer from overflowing the reader thread's stack.
	 */
	public static final int MAX_DEPTH = 64;

	private final String s;
	private int i;
	private int depth;

	private Json(String s) {
		this.s = s;
	}

	/**
	 * Parses one JSON value that fills {@code text} (surrounding white space allowed).
	 *
	 * @throws IllegalArgumentException with the offset of the first error
	 */
	public static Object parse(String text) {
		Json p = new Json(text);
		p.space();
		Object v = p.value();
		p.space();
		if (p.i != text.length())
			throw p.error("text after the value");
		return v;
	}

	/** @return {@code value} written as compact JSON; maps and lists may nest. */
	public static String write(Object value) {
		StringBuilder sb = new StringBuilder();
		write(value, sb);
		return sb.toString();
	}

	private static void write(Object v, StringBuilder sb) {
		if (v == null) {
			sb.append("null");
		} else if (v instanceof String str) {
			quote(str, sb);
		} else if (v instanceof Double d) {
			sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
		} else if (v instanceof Float f) {
			write(f.doubleValue(), sb);
		} else if (v instanceof Number || v instanceof Boolean) {
			sb.append(v);
		} else if (v instanceof Map<?, ?> m) {
			sb.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> e : m.entrySet()) {
				if (!first)
					sb.append(',');
				first = false;
				quote(String.valueOf(e.getKey()), sb);
				sb.append(':');
				write(e.getValue(), sb);
			}
			sb.append('}');
		} else if (v instanceof Iterable<?> it) {
			sb.append('[');
			boolean first = true;
			for (Object o : it) {
				if (!first)
					sb.append(',');
				first = false;
				write(o, sb);
			}
			sb.append(']');
		} else {
			quote(v.toString(), sb);
		}
	}

	private static void quote(String str, StringBuilder sb) {
		sb.append('"');
		for (int k = 0; k < str.length(); k++) {
			char c = str.charAt(k);
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			case '\n' -> sb.append("\\n");
			case '\r' -> sb.append("\\r");
			case '\t' -> sb.append("\\t");
			default -> {
				if (c < 0x20)
					sb.append(String.format("\\u%04x", (int) c));
				else
					sb.append(c);
			}
			}
		}
		sb.append('"');
	}

	private Object value() {
		if (i >= s.length())
			throw error("unexpected end");
		char c = s.charAt(i);
		switch (c) {
		case '{':
			return nested(true);
		case '[':
			return nested(false);
		case '"':
			return string();
		case 't':
			return word("true", Boolean.TRUE);
		case 'f':
			return word("false", Boolean.FALSE);
		case 'n':
			return word("null", null);
		default:
			if (c == '-' || (c >= '0' && c <= '9'))
				return number();
			throw error("unexpected '" + c + "'");
		}
	}

	/** Parses an object or an array one level deeper, refusing more than {@link #MAX_DEPTH} levels. */
	private Object nested(boolean object) {
		if (++depth > MAX_DEPTH)
			throw error("nesting deeper than " + MAX_DEPTH + " levels");
		try {
			return object ? object() : array();
		} finally {
			depth--;
		}
	}

	private Map<String, Object> object() {
		Map<String, Object> m = new LinkedHashMap<>();
		i++;
		space();
		if (peek() == '}') {
			i++;
			return m;
		}
		while (true) {
			space();
			if (peek() != '"')
				throw error("expected a member name");
			String key = string();
			space();
			expect(':');
			space();
			m.put(key, value());
			space();
			if (peek() == ',') {
				i++;
				continue;
			}
			expect('}');
			return m;
		}
	}

	private List<Object> array() {
		List<Object> l = new ArrayList<>();
		i++;
		space();
		if (peek() == ']') {
			i++;
			return l;
		}
		while (true) {
			space();
			l.add(value());
			space();
			if (peek() == ',') {
				i++;
				continue;
			}
			expect(']');
			return l;
		}
	}

	private String string() {
		StringBuilder sb = new StringBuilder();
		i++;
		while (true) {
			if (i >= s.length())
				throw error("unterminated string");
			char c = s.charAt(i++);
			if (c == '"')
				return sb.toString();
			if (c != '\\') {
				sb.append(c);
				continue;
			}
			if (i >= s.length())
				throw error("unterminated escape");
			char e = s.charAt(i++);
			switch (e) {
			case 'n' -> sb.append('\n');
			case 'r' -> sb.append('\r');
			case 't' -> sb.append('\t');
			case 'b' -> sb.append('\b');
			case 'f' -> sb.append('\f');
			case 'u' -> {
				if (i + 4 > s.length())
					throw error("short \\u escape");
				try {
					sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
				} catch (NumberFormatException x) {
					throw error("bad \\u escape");
				}
				i += 4;
			}
			default -> sb.append(e);
			}
		}
	}

	private Object number() {
		int start = i;
		if (peek() == '-')
			i++;
		boolean whole = true;
		while (i < s.length()) {
			char c = s.charAt(i);
			if (c >= '0' && c <= '9') {
				i++;
			} else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
				whole = false;
				i++;
			} else {
				break;
			}
		}
		String n = s.substring(start, i);
		try {
			return whole ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
		} catch (NumberFormatException e) {
			throw error("bad number '" + n + "'");
		}
	}

	private Object word(String w, Object v) {
		if (!s.startsWith(w, i))
			throw error("unexpected word");
		i += w.length();
		return v;
	}

	private void expect(char c) {
		if (peek() != c)
			throw error("expected '" + c + "'");
		i++;
	}

	private char peek() {
		return i < s.length() ? s.charAt(i) : '\0';
	}

	private void space() {
		while (i < s.length() && Character.isWhitespace(s.charAt(i)))
			i++;
	}

	private IllegalArgumentException error(String what) {
		return new IllegalArgumentException("bad JSON at offset " + i + ": " + what);
	}
}
