package toro.studio.gdbmi.mi;

/** The {@code (gdb)} line. It does not end a response: records may follow it. */
public record Prompt() implements MiRecord {
	/** The one prompt value. */
	public static final Prompt INSTANCE = new Prompt();
}
