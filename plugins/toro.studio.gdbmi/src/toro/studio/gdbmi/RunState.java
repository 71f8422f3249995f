package toro.studio.gdbmi;

/** Where the target is, as the session last learnt from gdb's records (not from its prompt). */
public enum RunState {
	/** Resumed ({@code ^running} / {@code *running}); only interrupt and breakpoint edits make sense. */
	RUNNING,
	/** Stopped ({@code *stopped}); every vCPU is stopped (all-stop). */
	STOPPED,
	/** gdb has exited or died; the session is over. */
	EXITED,
	/** No target yet, or the target went away (QEMU exited or was killed). */
	DISCONNECTED
}
