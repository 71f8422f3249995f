package toro.studio.gdbmi;

/** gdb answered {@code ^error}: {@link #gdbMessage()} is gdb's own msg, the message adds the command. */
public final class MiError extends GdbException {
	private static final long serialVersionUID = 1L;
	private final String gdbMessage;
	private final String command;

	public MiError(String command, String gdbMessage) {
		super(gdbMessage + " (gdb command: " + command + ")");
		this.command = command;
		this.gdbMessage = gdbMessage;
	}

	/** @return gdb's msg, e.g. {@code No symbol "x" in current context.} */
	public String gdbMessage() {
		return gdbMessage;
	}

	/** @return the MI command that failed, without its token. */
	public String command() {
		return command;
	}
}
