package toro.studio.cli;

import java.io.PrintStream;

/**
 * The command's view of the terminal: results on {@link #out}, progress and
 * errors on {@link #err}, so that piped output stays machine-readable.
 */
public final class Terminal {
	/** Results: what a script may parse. */
	public final PrintStream out;
	/** Progress lines, warnings and errors. */
	public final PrintStream err;

	public Terminal(PrintStream out, PrintStream err) {
		this.out = out;
		this.err = err;
	}

	/** Prints a progress line on stderr, prefixed so it reads apart from tool output. */
	public void progress(String line) {
		err.println("toro: " + line);
	}
}
