package toro.studio.gdbmi;

import toro.studio.gdbmi.mi.MiTuple;

/**
 * One stack frame.
 *
 * @param level    0 for the innermost frame
 * @param addr     the pc
 * @param func     the function, or "??" when gdb knows none
 * @param file     the source file as compiled, or null
 * @param fullname the absolute source path, or null
 * @param line     the line, or 0 when unknown
 */
public record Frame(int level, long addr, String func, String file, String fullname, int line) {
	/** Reads a frame tuple of {@code -stack-list-frames}, {@code *stopped} or {@code -thread-info}. */
	static Frame of(MiTuple t) {
		String func = t.string("func");
		return new Frame(t.integer("level", 0), t.address("addr", 0), func == null ? "??" : func,
				t.string("file"), t.string("fullname"), t.integer("line", 0));
	}

	/** @return "func (file:line)" or "func (0xaddr)" for a frame without source. */
	@Override
	public String toString() {
		return func + (file != null ? " (" + file + ":" + line + ")" : " (0x" + Long.toHexString(addr) + ")");
	}
}
