package toro.studio.debug.launch;

/**
 * The Debugger tab's attributes of a "Toro Kernel (QEMU)" launch configuration, read by the debug-mode
 * delegate. The other attributes (project, target, profile, QEMU) are the launch type's own
 * ({@code toro.studio.launch.LaunchAttributes}).
 */
public final class DebugAttributes {
    private static final String P = "toro.studio.debug.";

    /** String: the gdb executable ("" = gdb on the PATH). */
    public static final String GDB = P + "gdb";
    /** String: the symbol to stop at after boot ("" = do not stop, run until a breakpoint). */
    public static final String STOP_AT = P + "stopAt";
    /** Boolean: use a hardware breakpoint for the stop symbol (early boot code, KVM). */
    public static final String HARDWARE = P + "hardware";
    /** String: gdb CLI commands run before connecting, one per line. */
    public static final String INIT_COMMANDS = P + "initCommands";
    /** Integer: seconds to wait for QEMU's gdb stub to accept the connection. */
    public static final String TIMEOUT = P + "timeout";

    /** Default of {@link #STOP_AT}. */
    public static final String DEFAULT_STOP_AT = "kmain";
    /** Default of {@link #TIMEOUT}. */
    public static final int DEFAULT_TIMEOUT = 10;

    private DebugAttributes() {
    }
}
