package toro.studio.debug.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.widgets.Display;

/** Waiting in a UI test without freezing the workbench, and screenshots of the Xvfb screen. */
final class Ui {
    private Ui() {
    }

    /**
     * Runs the UI event loop until condition holds; fails naming what was awaited after timeout. Tests run on
     * the UI thread, so a plain sleep would stop the Debug view, the editors and source display.
     */
    static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        waitFor(what, timeout, condition, () -> "");
    }

    /** Like {@link #waitFor(String, Duration, BooleanSupplier)}; on timeout the message ends with state. */
    static void waitFor(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        Display display = Display.getCurrent();
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what + "; " + state.get());
            }
            if (!display.readAndDispatch()) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted waiting for " + what);
                }
            }
        }
    }

    /** Lets the UI process its pending events for about ms milliseconds. */
    static void settle(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        Display display = Display.getCurrent();
        while (System.nanoTime() < end) {
            if (!display.readAndDispatch()) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Saves the whole X screen as NAME.png in the directory the system property toro.screenshots names
     * (the build: target/screenshots; -Dtoro.screenshots=$PWD/docs/images refreshes the README's), with
     * ImageMagick's import. Returns
     * quietly when there is no display or no import, so that the test's real checks decide its outcome.
     */
    static void screenshot(String name) {
        String display = System.getenv("DISPLAY");
        if (display == null) {
            return;
        }
        settle(400);
        Path dir = Path.of(System.getProperty("toro.screenshots", Path.of(System.getProperty("toro.root", "."), "target", "screenshots").toString()));
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder(List.of("import", "-window", "root", dir.resolve(name + ".png").toString()))
                    .redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("screenshot " + name + " not taken: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
