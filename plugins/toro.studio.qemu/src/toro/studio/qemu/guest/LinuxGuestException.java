package toro.studio.qemu.guest;

/**
 * The Linux guest could not be prepared; the message says exactly what is missing and the command
 * that fixes it. {@link #packagesUnavailable()} tells a missing download (no network to the Debian
 * mirrors, no apt lists, no apt-get) from a guest that was obtained but cannot be built.
 */
public final class LinuxGuestException extends Exception {
	private static final long serialVersionUID = 1L;

	private final boolean packagesUnavailable;

	LinuxGuestException(String message, boolean packagesUnavailable) {
		super(message);
		this.packagesUnavailable = packagesUnavailable;
	}

	LinuxGuestException(String message, Throwable cause) {
		super(message, cause);
		this.packagesUnavailable = false;
	}

	/** @return whether the Debian packages could not be obtained on this machine (as opposed to a broken build). */
	public boolean packagesUnavailable() {
		return packagesUnavailable;
	}
}
