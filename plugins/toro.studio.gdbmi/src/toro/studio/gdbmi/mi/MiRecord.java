package toro.studio.gdbmi.mi;

/**
 * One line of gdb's MI output. Result, async and stream records plus the
 * {@code (gdb)} prompt, which carries no meaning for a client (records may
 * follow it) and is kept only so that a parser consumer can skip it.
 */
public sealed interface MiRecord permits ResultRecord, AsyncRecord, StreamRecord, Prompt {
	/** The token value of a record that carried none. */
	long NO_TOKEN = -1;
}
