package toro.studio.gdbmi.mi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one line of GDB/MI output (without its line terminator) into a record.
 * The grammar is gdb's "GDB/MI Output Syntax":
 *
 * <pre>
 * record  = [token] ("^" | "*" | "+" | "=") class ("," result)*  |  ("~" | "@" | "&") c-string  |  "(gdb)"
 * result  = name "=" value          value = c-string | tuple | list
 * tuple   = "{}" | "{" result ("," result)* "}"
 * list    = "[]" | "[" value ("," value)* "]" | "[" result ("," result)* "]"
 * </pre>
 *
 * One lenience, for mi2: a bare value where a result is expected ({@code bkpt={..},{..}})
 * is kept as a result with a null name. A parser instance is stateless; {@link #parse} is
 * thread-safe.
 */
public final class MiParser {
	/** Deeper nesting than gdb ever emits; bounds the recursion on hostile input. */
	private static final int MAX_DEPTH = 200;
	private final String s;
	private int pos;
	private int depth;

	private MiParser(String line) {
		this.s = line;
	}

	/**
	 * Parses one line. A trailing CR and trailing blanks are ignored.
	 *
	 * @throws MiParseException if the line is not one MI record; never any other exception
	 */
	public static MiRecord parse(String line) throws MiParseException {
		if (line == null)
			throw new MiParseException("no line", 0);
		int end = line.length();
		while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == ' '))
			end--;
		String l = end == line.length() ? line : line.substring(0, end);
		if (l.equals("(gdb)"))
			return Prompt.INSTANCE;
		return new MiParser(l).record();
	}

	/** record: the whole line. */
	private MiRecord record() throws MiParseException {
		if (s.isEmpty())
			throw error("empty line");
		long token = MiRecord.NO_TOKEN;
		int start = pos;
		while (pos < s.length() && isDigit(s.charAt(pos)))
			pos++;
		if (pos > start) {
			if (pos - start > 18)
				throw error("token too long");
			token = Long.parseLong(s, start, pos, 10);
		}
		if (pos >= s.length())
			throw error("expected ^, *, +, =, ~, @ or & after the token");
		char kind = s.charAt(pos++);
		switch (kind) {
		case '~', '@', '&' -> {
			if (token != MiRecord.NO_TOKEN)
				throw error("a stream record takes no token");
			String text = cstring();
			expectEnd();
			return new StreamRecord(kind, text);
		}
		case '^', '*', '+', '=' -> {
			String cls = name("a record class");
			MiTuple results = MiTuple.EMPTY;
			if (pos < s.length()) {
				List<MiResult> list = new ArrayList<>();
				while (pos < s.length()) {
					expect(',');
					list.add(result());
				}
				results = new MiTuple(list);
			}
			if (kind == '^')
				return new ResultRecord(token, cls, results);
			return new AsyncRecord(token, kind, cls, results);
		}
		default -> {
			pos--;
			throw error("expected ^, *, +, =, ~, @ or &, found '" + s.charAt(pos) + "'");
		}
		}
	}

	/** result: name=value, or a bare value (mi2 lenience). */
	private MiResult result() throws MiParseException {
		if (pos < s.length() && isValueStart(s.charAt(pos)))
			return new MiResult(null, value());
		String n = name("a result name");
		expect('=');
		return new MiResult(n, value());
	}

	private MiValue value() throws MiParseException {
		if (pos >= s.length())
			throw error("expected a value, found the end of the line");
		char c = s.charAt(pos);
		if (c == '"')
			return new MiConst(cstring());
		if (c == '{' || c == '[') {
			if (++depth > MAX_DEPTH)
				throw error("values nested deeper than " + MAX_DEPTH);
			MiValue v = c == '{' ? tuple() : list();
			depth--;
			return v;
		}
		throw error("expected a value (\", { or [), found '" + c + "'");
	}

	private MiTuple tuple() throws MiParseException {
		expect('{');
		List<MiResult> list = new ArrayList<>();
		if (peek('}')) {
			pos++;
			return new MiTuple(list);
		}
		list.add(result());
		while (!peek('}')) {
			expect(',');
			list.add(result());
		}
		pos++;
		return new MiTuple(list);
	}

	private MiList list() throws MiParseException {
		expect('[');
		List<MiResult> list = new ArrayList<>();
		if (peek(']')) {
			pos++;
			return new MiList(list);
		}
		list.add(item());
		while (!peek(']')) {
			expect(',');
			list.add(item());
		}
		pos++;
		return new MiList(list);
	}

	/** A list item: a bare value, or name=value. */
	private MiResult item() throws MiParseException {
		if (pos < s.length() && isValueStart(s.charAt(pos)))
			return new MiResult(null, value());
		return result();
	}

	/** name: the variable of a result, or a record class: letters, digits, '-' and '_'. */
	private String name(String what) throws MiParseException {
		int start = pos;
		while (pos < s.length()) {
			char c = s.charAt(pos);
			if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_'))
				break;
			pos++;
		}
		if (pos == start)
			throw error("expected " + what);
		return s.substring(start, pos);
	}

	/**
	 * c-string: "..." with C escapes. Octal escapes are bytes; a run of them is
	 * decoded as UTF-8 together, so {@code \316\261} is one character.
	 */
	private String cstring() throws MiParseException {
		expect('"');
		int start = pos;
		// Fast path: no escapes.
		while (pos < s.length()) {
			char c = s.charAt(pos);
			if (c == '"') {
				return s.substring(start, pos++);
			}
			if (c == '\\')
				break;
			pos++;
		}
		StringBuilder out = new StringBuilder(pos - start + 16);
		out.append(s, start, pos);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		while (pos < s.length()) {
			char c = s.charAt(pos++);
			if (c == '"') {
				flush(bytes, out);
				return out.toString();
			}
			if (c != '\\') {
				flush(bytes, out);
				out.append(c);
				continue;
			}
			if (pos >= s.length())
				break;
			char e = s.charAt(pos++);
			if (e >= '0' && e <= '7') {
				int v = e - '0';
				for (int i = 0; i < 2 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; i++)
					v = v * 8 + (s.charAt(pos++) - '0');
				bytes.write(v & 0xff);
				continue;
			}
			flush(bytes, out);
			switch (e) {
			case 'n' -> out.append('\n');
			case 't' -> out.append('\t');
			case 'r' -> out.append('\r');
			case 'e' -> out.append('\u001b');
			case 'a' -> out.append('\u0007');
			case 'b' -> out.append('\b');
			case 'f' -> out.append('\f');
			case 'v' -> out.append('\u000b');
			default -> out.append(e); // \" \\ \' \? and anything gdb might add: the character itself
			}
		}
		throw new MiParseException("unterminated c-string starting at column " + (start - 1), start - 1);
	}

	/** Decodes pending octal-escaped bytes as UTF-8 (malformed bytes become U+FFFD). */
	private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
		if (bytes.size() == 0)
			return;
		out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
		bytes.reset();
	}

	private void expect(char c) throws MiParseException {
		if (pos >= s.length())
			throw error("expected '" + c + "', found the end of the line");
		if (s.charAt(pos) != c)
			throw error("expected '" + c + "', found '" + s.charAt(pos) + "'");
		pos++;
	}

	private void expectEnd() throws MiParseException {
		if (pos != s.length())
			throw error("unexpected text after the record");
	}

	private boolean peek(char c) throws MiParseException {
		if (pos >= s.length())
			throw error("unexpected end of the line (unclosed tuple or list)");
		return s.charAt(pos) == c;
	}

	private static boolean isValueStart(char c) {
		return c == '"' || c == '{' || c == '[';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private MiParseException error(String what) {
		return new MiParseException(what + " at column " + pos, pos);
	}
}
