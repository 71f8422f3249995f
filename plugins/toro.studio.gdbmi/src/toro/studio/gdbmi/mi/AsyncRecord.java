package toro.studio.gdbmi.mi;

/**
 * {@code [token]*class,results} (exec), {@code +class,...} (status) or
 * {@code =class,...} (notify): something that happened, not an answer.
 *
 * @param token      the token gdb echoed, usually {@link MiRecord#NO_TOKEN}
 * @param kind       '*', '+' or '='
 * @param asyncClass e.g. stopped, running, thread-created, breakpoint-modified
 * @param results    the named results, in order; empty when there are none
 */
public record AsyncRecord(long token, char kind, String asyncClass, MiTuple results) implements MiRecord {
}
