package toro.studio.debug.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;

import toro.studio.core.ToolPaths;
import toro.studio.debug.ToroDebug;

/**
 * The Debugger tab's values of a launch configuration, read and checked once.
 *
 * @param gdb the gdb executable (the tab's path, else the tool preference, else the PATH)
 * @param stopAt the symbol to stop at, or null to run until a breakpoint
 * @param hardware whether the stop symbol gets a hardware breakpoint
 * @param initCommands gdb CLI commands to run before connecting
 * @param timeout how long to wait for QEMU's stub
 */
public record DebugSettings(Path gdb, String stopAt, boolean hardware, List<String> initCommands, Duration timeout) {

    /** Reads config; throws with a message that names the bad field and what to enter. */
    public static DebugSettings of(ILaunchConfiguration config) throws CoreException {
        String gdb = config.getAttribute(DebugAttributes.GDB, "").trim();
        Path gdbPath = gdb.isEmpty() ? ToolPaths.resolve("gdb") : Path.of(gdb);
        if (gdbPath == null || !Files.isExecutable(gdbPath)) {
            throw ToroDebug.failure("gdb " + (gdb.isEmpty() ? "was not found (neither in the preferences nor on the PATH)" : "'" + gdb + "' is not an executable file")
                    + ": install gdb (apt-get install gdb) or set its path on the Debugger tab.", null);
        }
        int timeout = config.getAttribute(DebugAttributes.TIMEOUT, DebugAttributes.DEFAULT_TIMEOUT);
        if (timeout < 1 || timeout > 600) {
            throw ToroDebug.failure("The connection timeout must be 1 to 600 seconds (got " + timeout
                    + "): fix it on the Debugger tab.", null);
        }
        String stop = config.getAttribute(DebugAttributes.STOP_AT, DebugAttributes.DEFAULT_STOP_AT).trim();
        List<String> init = Arrays.stream(config.getAttribute(DebugAttributes.INIT_COMMANDS, "").split("\\R"))
                .map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        return new DebugSettings(gdbPath, stop.isEmpty() ? null : stop, config.getAttribute(DebugAttributes.HARDWARE, false),
                init, Duration.ofSeconds(timeout));
    }
}
