package toro.studio.debug.ui.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.eclipse.debug.core.DebugException;
import org.eclipse.ui.console.IOConsole;
import org.eclipse.ui.console.IOConsoleOutputStream;

import toro.studio.debug.model.ToroDebugTarget;

/**
 * The gdb console of one Toro debug target in the Console view: shows what gdb prints, and runs each line
 * typed into it as a gdb CLI command (through {@code -interpreter-exec console}), e.g. {@code info registers},
 * {@code x/8gx $rsp}, {@code monitor info cpus}.
 */
public final class GdbConsole extends IOConsole {

    /** The console type, so that the Console view can tell these consoles apart. */
    static final String TYPE = "toro.studio.debug.ui.gdbConsole";

    private final ToroDebugTarget target;
    private final IOConsoleOutputStream out;
    private final Consumer<String> printer;

    GdbConsole(ToroDebugTarget target) {
        super("gdb: " + target.getName(), TYPE, null, StandardCharsets.UTF_8.name(), true);
        this.target = target;
        this.out = newOutputStream();
        this.printer = this::print;
        target.addConsoleListener(printer);
        Thread reader = new Thread(this::readCommands, "Toro gdb console: " + target.getName());
        reader.setDaemon(true);
        reader.start();
    }

    /** Returns the target whose gdb this console talks to. */
    public ToroDebugTarget target() {
        return target;
    }

    /** Marks the console ended: its name says so and typed lines are no longer sent. */
    void ended() {
        target.removeConsoleListener(printer);
        setName("<terminated> gdb: " + target.getName());
    }

    private void print(String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            // the console was closed by the user: nothing left to show the text in
        }
    }

    /** Sends each typed line to gdb until the console's input ends; gdb's answer arrives as output. */
    private void readCommands() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                if (line.isBlank()) {
                    continue;
                }
                if (target.isTerminated()) {
                    print("The debug session has ended; start a new one to use gdb.\n");
                    continue;
                }
                try {
                    target.console(line.trim());
                } catch (DebugException e) {
                    print(e.getStatus().getMessage() + "\n");
                }
            }
        } catch (IOException e) {
            // the console was disposed
        }
    }
}
