package toro.studio.gdbmi;

/**
 * A local or an argument.
 *
 * @param name         its name (at -O2 also {@code n@entry}, the value on entry)
 * @param value        gdb's rendering of the value
 * @param optimizedOut true when gdb says {@code <optimized out>}
 */
public record Variable(String name, String value, boolean optimizedOut) {
}
