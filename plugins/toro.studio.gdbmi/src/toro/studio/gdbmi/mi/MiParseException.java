package toro.studio.gdbmi.mi;

/** A line that is not valid MI output; the message names the column and what was expected. */
public final class MiParseException extends Exception {
	private static final long serialVersionUID = 1L;
	private final int column;

	public MiParseException(String message, int column) {
		super(message);
		this.column = column;
	}

	/** @return the 0-based column where parsing failed. */
	public int column() {
		return column;
	}
}
