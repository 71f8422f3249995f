package toro.studio.qemu.load;

/** wrk is missing, could not run, or wrote a report that cannot be read; the message says what to do. */
public final class WrkException extends Exception {
	private static final long serialVersionUID = 1L;

	public WrkException(String message) {
		super(message);
	}

	public WrkException(String message, Throwable cause) {
		super(message, cause);
	}
}
