package toro.studio.gdbmi.mi;

/**
 * One {@code name=value} pair. Inside a list of plain values the name is null.
 */
public record MiResult(String name, MiValue value) {
}
