package toro.studio.qemu;

/** QEMU could not be started or driven; the message says what failed and what to do. */
public class QemuException extends Exception {
	private static final long serialVersionUID = 1L;

	public QemuException(String message) {
		super(message);
	}

	public QemuException(String message, Throwable cause) {
		super(message, cause);
	}
}
