package toro.studio.build;

/**
 * A build that cannot start: a mistake in toro.build (message
 * {@code toro.build:LINE: what is wrong; what to write instead}), a missing
 * tree, an unknown profile or target, or an I/O failure on the build directory.
 */
public final class BuildException extends Exception {
	private static final long serialVersionUID = 1L;
	private final int line;

	public BuildException(String message) {
		this(message, 0, null);
	}

	public BuildException(String message, Throwable cause) {
		this(message, 0, cause);
	}

	/** An error at {@code line} of toro.build (0 when no line applies). */
	public BuildException(String message, int line, Throwable cause) {
		super(message, cause);
		this.line = line;
	}

	/** @return the line of toro.build at fault, or 0. */
	public int line() {
		return line;
	}
}
