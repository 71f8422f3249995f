package toro.studio.gdbmi;

import toro.studio.gdbmi.mi.MiParseException;

/**
 * Session events. Every method is called from the session's one dispatcher
 * thread, in the order gdb reported the events; a listener may call the
 * session's synchronous methods from here.
 */
public interface GdbListener {
	/** The target stopped (breakpoint, step end, signal, or no reason at all). */
	default void stopped(StopEvent e) {
	}

	/** The target resumed; {@code threadIdOrAll} is a gdb thread id, or -1 for all threads. */
	default void running(int threadIdOrAll) {
	}

	/** The session ended (gdb exited or died, or the target went away); {@code why} says which. */
	default void exited(String why) {
	}

	/** Stream output: '~' console, '@' target, '&' gdb's log. */
	default void output(char stream, String text) {
	}

	/** gdb announced a new thread (a vCPU). */
	default void threadCreated(int id) {
	}

	/** A breakpoint was created or changed (hit count, enabled, ...). */
	default void breakpointChanged(Breakpoint b) {
	}

	/** A breakpoint was deleted. */
	default void breakpointDeleted(int number) {
	}

	/** A line of gdb output was not valid MI; it was skipped. */
	default void parseError(String line, MiParseException error) {
	}
}
