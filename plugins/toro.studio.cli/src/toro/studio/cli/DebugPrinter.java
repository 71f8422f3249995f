package toro.studio.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import toro.studio.gdbmi.Breakpoint;
import toro.studio.gdbmi.Frame;
import toro.studio.gdbmi.GdbThread;
import toro.studio.gdbmi.StopEvent;
import toro.studio.qemu.Json;
import toro.studio.qemu.KvmInternalError;

/**
 * How {@code toro debug} prints its results on stdout: readable lines, or with
 * --json one JSON object per line (per stop, per script command). A JSON object
 * names the script command it answers in "command" (absent for --break stops).
 */
final class DebugPrinter {
	/** The reason printed for a vCPU that KVM could not run on (gdb itself says SIGABRT). */
	static final String KVM_INTERNAL_ERROR = "kvm-internal-error";
	private final PrintStream out;
	private final boolean json;
	private final Supplier<KvmInternalError> kvmError;

	/** @param kvmError QEMU's KVM internal error report, asked for after a SIGABRT; null when there is none */
	DebugPrinter(PrintStream out, boolean json, Supplier<KvmInternalError> kvmError) {
		this.out = out;
		this.json = json;
		this.kvmError = kvmError;
	}

	/**
	 * A stop: reason, thread, core, then the stack. A SIGABRT for which QEMU reported a KVM
	 * internal error is printed as exactly that, with the RIP and what to do.
	 *
	 * @return true when it was a KVM internal error: the vCPU cannot go on
	 */
	boolean stop(String command, StopEvent e, List<Frame> frames) {
		KvmInternalError kvm = "SIGABRT".equals(e.fields().get("signal-name")) ? kvmError.get() : null;
		String reason = kvm != null ? KVM_INTERNAL_ERROR : e.reason();
		if (json) {
			Map<String, Object> o = object(command);
			o.put("reason", reason);
			o.put("thread", e.threadId());
			o.put("core", e.core());
			if (kvm != null) {
				o.put("rip", kvm.rip());
				o.put("detail", kvm.summary() + "; " + KvmInternalError.ADVICE);
			}
			o.put("frames", frames(frames));
			out.println(Json.write(o));
			return kvm != null;
		}
		if (kvm != null) {
			out.println(KVM_INTERNAL_ERROR + ": thread " + e.threadId() + ", core " + e.core() + ": " + kvm.summary());
			out.println("  " + KvmInternalError.ADVICE);
			printFrames(frames);
			return true;
		}
		String why = e.reason() == null ? "stopped" : e.reason();
		if ("breakpoint-hit".equals(e.reason()))
			why += " (breakpoint " + e.fields().get("bkptno") + ")";
		else if (e.fields().containsKey("signal-name"))
			why += " (" + e.fields().get("signal-name") + ")";
		out.println(why + ": thread " + e.threadId() + ", core " + e.core());
		printFrames(frames);
		return false;
	}

	/** A backtrace. */
	void frames(String command, List<Frame> frames) {
		if (json) {
			Map<String, Object> o = object(command);
			o.put("frames", frames(frames));
			out.println(Json.write(o));
		} else {
			printFrames(frames);
		}
	}

	/** A breakpoint that was set. */
	void breakpoint(String command, Breakpoint b) {
		if (json) {
			Map<String, Object> o = object(command);
			o.put("breakpoint", b.number());
			o.put("hardware", b.hardware());
			o.put("func", b.func());
			o.put("file", b.file());
			o.put("line", b.line());
			o.put("addr", hex(b.addr()));
			out.println(Json.write(o));
			return;
		}
		out.println((b.hardware() ? "hardware breakpoint " : "breakpoint ") + b.number() + " at " + b.func()
				+ (b.file() != null ? " (" + b.file() + ":" + b.line() + ")" : "") + " " + hex(b.addr()));
	}

	/** The vCPU threads. */
	void threads(String command, List<GdbThread> threads) {
		if (json) {
			List<Object> list = new ArrayList<>();
			for (GdbThread t : threads) {
				Map<String, Object> th = new LinkedHashMap<>();
				th.put("id", t.id());
				th.put("core", t.core());
				th.put("details", t.details());
				th.put("frame", t.frame() == null ? null : frame(t.frame()));
				list.add(th);
			}
			Map<String, Object> o = object(command);
			o.put("threads", list);
			out.println(Json.write(o));
			return;
		}
		for (GdbThread t : threads)
			out.println("thread " + t.id() + " core " + t.core() + " " + t.details() + (t.frame() == null ? "" : " " + t.frame()));
	}

	/** The value of an expression. */
	void value(String command, String value) {
		one(command, "value", value, value);
	}

	/** A command that failed; the message says why. */
	void error(String command, String message) {
		one(command, "error", message, "error: " + message);
	}

	/** A result of one field: {@code {"command":..,"key":value}}, or {@code text}. */
	private void one(String command, String key, String value, String text) {
		if (json) {
			Map<String, Object> o = object(command);
			o.put(key, value);
			out.println(Json.write(o));
		} else {
			out.println(text);
		}
	}

	private void printFrames(List<Frame> frames) {
		for (Frame f : frames)
			out.println("  #" + f.level() + " " + f.func() + (f.file() != null ? " " + f.file() + ":" + f.line() : "") + " " + hex(f.addr()));
	}

	/** @return a JSON object that starts with the command it answers, if any. */
	private static Map<String, Object> object(String command) {
		Map<String, Object> o = new LinkedHashMap<>();
		if (command != null)
			o.put("command", command);
		return o;
	}

	private static List<Object> frames(List<Frame> frames) {
		List<Object> list = new ArrayList<>();
		for (Frame f : frames)
			list.add(frame(f));
		return list;
	}

	private static Map<String, Object> frame(Frame f) {
		Map<String, Object> o = new LinkedHashMap<>();
		o.put("func", f.func());
		o.put("file", f.file());
		o.put("line", f.line());
		o.put("addr", hex(f.addr()));
		return o;
	}

	private static String hex(long v) {
		return "0x" + Long.toHexString(v);
	}
}
