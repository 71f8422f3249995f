package toro.studio.debug.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Benchmark figures: printed as "BENCH name value" and appended to target/benchmarks.txt of this bundle. */
final class Bench {
    private Bench() {
    }

    static void print(String name, double value) {
        String line = String.format(Locale.ROOT, "BENCH %s %.1f%n", name, value);
        System.out.print(line);
        try {
            Path file = Path.of(System.getProperty("toro.root", "."), "plugins", "toro.studio.debug.tests", "target", "benchmarks.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("benchmark not recorded: " + e.getMessage());
        }
    }
}
