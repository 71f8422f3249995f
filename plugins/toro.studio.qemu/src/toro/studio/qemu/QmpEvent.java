package toro.studio.qemu;

import java.util.Map;

/**
 * An asynchronous QMP event, e.g. STOP, RESUME, RESET, SHUTDOWN.
 *
 * @param name          the event name
 * @param data          its data member (empty if none)
 * @param timestampMicros QEMU's timestamp, in microseconds since the epoch
 */
public record QmpEvent(String name, Map<String, Object> data, long timestampMicros) {
}
