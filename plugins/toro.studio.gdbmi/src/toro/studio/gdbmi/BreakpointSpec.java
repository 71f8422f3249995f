package toro.studio.gdbmi;

/**
 * What to insert.
 *
 * @param location  a gdb location: symbol, file:line or *address
 * @param hardware  a hardware breakpoint ({@code -h}): works before the code is in RAM
 * @param temporary deleted after its first hit ({@code -t})
 * @param condition a C expression, or null
 */
public record BreakpointSpec(String location, boolean hardware, boolean temporary, String condition) {
	public BreakpointSpec {
		if (location == null || location.isBlank())
			throw new IllegalArgumentException("a breakpoint needs a location (symbol, file:line or *address)");
	}

	/** @return a plain software breakpoint at {@code location}. */
	public static BreakpointSpec at(String location) {
		return new BreakpointSpec(location, false, false, null);
	}

	/** @return a hardware breakpoint at {@code location}. */
	public static BreakpointSpec hardware(String location) {
		return new BreakpointSpec(location, true, false, null);
	}

	/** @return this spec, temporary. */
	public BreakpointSpec once() {
		return new BreakpointSpec(location, hardware, true, condition);
	}

	/** @return this spec with a condition. */
	public BreakpointSpec when(String condition) {
		return new BreakpointSpec(location, hardware, temporary, condition);
	}
}
