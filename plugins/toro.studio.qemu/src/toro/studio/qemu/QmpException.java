package toro.studio.qemu;

/**
 * A QMP command failed: QEMU answered with an error (its class and description are in the
 * message), it did not answer in time, or the connection is gone. Unchecked, because every
 * QMP call can meet a QEMU that has just exited.
 */
public class QmpException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public QmpException(String message) {
		super(message);
	}

	public QmpException(String message, Throwable cause) {
		super(message, cause);
	}
}
