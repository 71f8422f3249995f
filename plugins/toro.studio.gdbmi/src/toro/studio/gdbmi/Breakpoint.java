package toro.studio.gdbmi;

import toro.studio.gdbmi.mi.MiTuple;

/**
 * A breakpoint as gdb reports it ({@code bkpt={...}}).
 *
 * @param number    gdb's number
 * @param hardware  type "hw breakpoint"
 * @param temporary disposition "del"
 * @param enabled   enabled "y"
 * @param addr      its address, or 0 when pending or multi-location
 * @param func      the function, or null
 * @param file      the source file, or null
 * @param line      the source line, or 0
 * @param condition its condition, or null
 * @param hits      how many times it was hit
 * @param location  the location as it was given
 */
public record Breakpoint(int number, boolean hardware, boolean temporary, boolean enabled, long addr, String func,
		String file, int line, String condition, int hits, String location) {
	/** Reads a {@code bkpt} tuple. */
	static Breakpoint of(MiTuple t) {
		return new Breakpoint(t.integer("number", -1), "hw breakpoint".equals(t.string("type")),
				"del".equals(t.string("disp")), "y".equals(t.string("enabled")), t.address("addr", 0),
				t.string("func"), t.string("file"), t.integer("line", 0), t.string("cond"), t.integer("times", 0),
				t.string("original-location"));
	}
}
