package toro.studio.gdbmi;

/**
 * A debugger operation failed: gdb could not start, died, timed out, or the
 * target is gone. The message says what happened and what to do. Unchecked so
 * that a debug model can let it reach its one error handler.
 */
public class GdbException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public GdbException(String message) {
		super(message);
	}

	public GdbException(String message, Throwable cause) {
		super(message, cause);
	}
}
