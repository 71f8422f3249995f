package toro.studio.gdbmi.mi;

/**
 * {@code ~"text"} (console), {@code @"text"} (target) or {@code &"text"} (log).
 *
 * @param kind '~', '@' or '&'
 * @param text the decoded c-string
 */
public record StreamRecord(char kind, String text) implements MiRecord {
}
