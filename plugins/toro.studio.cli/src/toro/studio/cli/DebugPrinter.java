package toro.studio.cli;

import java.io.PrintStream;
import java.util.List;

import toro.studio.gdbmi.Breakpoint;
import toro.studio.gdbmi.Frame;
import toro.studio.gdbmi.GdbThread;
import toro.studio.gdbmi.StopEvent;

/**
 * How {@code toro debug} prints its results on stdout: readable lines, or with
 * --json one JSON object per line (per stop, per script command).
 */
final class DebugPrinter {
	private final PrintStream out;
	private final boolean json;

	DebugPrinter(PrintStream out, boolean json) {
		this.out = out;
		this.json = json;
	}

	/** A stop: reason, thread, core, then the stack. */
	void stop(String command, StopEvent e, List<Frame> frames) {
		if (json) {
			out.println("{" + field("command", command) + "\"reason\":" + str(e.reason()) + ",\"thread\":" + e.threadId()
					+ ",\"core\":" + e.core() + ",\"frames\":" + frames(frames) + "}");
			return;
		}
		String why = e.reason() == null ? "stopped" : e.reason();
		if ("breakpoint-hit".equals(e.reason()))
			why += " (breakpoint " + e.fields().get("bkptno") + ")";
		else if (e.fields().containsKey("signal-name"))
			why += " (" + e.fields().get("signal-name") + ")";
		out.println(why + ": thread " + e.threadId() + ", core " + e.core());
		printFrames(frames);
	}

	/** A backtrace. */
	void frames(String command, List<Frame> frames) {
		if (json)
			out.println("{" + field("command", command) + "\"frames\":" + frames(frames) + "}");
		else
			printFrames(frames);
	}

	/** A breakpoint that was set. */
	void breakpoint(String command, Breakpoint b) {
		if (json) {
			out.println("{" + field("command", command) + "\"breakpoint\":" + b.number() + ",\"hardware\":" + b.hardware()
					+ ",\"func\":" + str(b.func()) + ",\"file\":" + str(b.file()) + ",\"line\":" + b.line() + ",\"addr\":"
					+ str(hex(b.addr())) + "}");
			return;
		}
		out.println((b.hardware() ? "hardware breakpoint " : "breakpoint ") + b.number() + " at " + b.func()
				+ (b.file() != null ? " (" + b.file() + ":" + b.line() + ")" : "") + " " + hex(b.addr()));
	}

	/** The vCPU threads. */
	void threads(String command, List<GdbThread> threads) {
		if (json) {
			StringBuilder b = new StringBuilder("{" + field("command", command) + "\"threads\":[");
			for (int i = 0; i < threads.size(); i++) {
				GdbThread t = threads.get(i);
				b.append(i == 0 ? "" : ",").append("{\"id\":").append(t.id()).append(",\"core\":").append(t.core())
						.append(",\"details\":").append(str(t.details())).append(",\"frame\":")
						.append(t.frame() == null ? "null" : frame(t.frame())).append('}');
			}
			out.println(b.append("]}"));
			return;
		}
		for (GdbThread t : threads)
			out.println("thread " + t.id() + " core " + t.core() + " " + t.details() + (t.frame() == null ? "" : " " + t.frame()));
	}

	/** The value of an expression. */
	void value(String command, String value) {
		out.println(json ? "{" + field("command", command) + "\"value\":" + str(value) + "}" : value);
	}

	/** A command that failed; the message says why. */
	void error(String command, String message) {
		out.println(json ? "{" + field("command", command) + "\"error\":" + str(message) + "}" : "error: " + message);
	}

	private void printFrames(List<Frame> frames) {
		for (Frame f : frames)
			out.println("  #" + f.level() + " " + f.func() + (f.file() != null ? " " + f.file() + ":" + f.line() : "") + " " + hex(f.addr()));
	}

	private static String frames(List<Frame> frames) {
		StringBuilder b = new StringBuilder("[");
		for (int i = 0; i < frames.size(); i++)
			b.append(i == 0 ? "" : ",").append(frame(frames.get(i)));
		return b.append(']').toString();
	}

	private static String frame(Frame f) {
		return "{\"func\":" + str(f.func()) + ",\"file\":" + str(f.file()) + ",\"line\":" + f.line() + ",\"addr\":" + str(hex(f.addr())) + "}";
	}

	private static String field(String name, String value) {
		return value == null ? "" : str(name) + ":" + str(value) + ",";
	}

	private static String hex(long v) {
		return "0x" + Long.toHexString(v);
	}

	/** @return {@code s} as a JSON string, or null. */
	static String str(String s) {
		if (s == null)
			return "null";
		StringBuilder b = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"' -> b.append("\\\"");
			case '\\' -> b.append("\\\\");
			case '\n' -> b.append("\\n");
			case '\r' -> b.append("\\r");
			case '\t' -> b.append("\\t");
			default -> {
				if (c < 0x20)
					b.append(String.format("\\u%04x", (int) c));
				else
					b.append(c);
			}
			}
		}
		return b.append('"').toString();
	}
}
