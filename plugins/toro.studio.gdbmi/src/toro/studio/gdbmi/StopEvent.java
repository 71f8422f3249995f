package toro.studio.gdbmi;

import java.util.Map;

/**
 * A {@code *stopped} record.
 *
 * @param reason   gdb's reason (breakpoint-hit, end-stepping-range, function-finished,
 *                 signal-received, exited-normally, ...), or null: QEMU's first stop has none
 * @param threadId the thread (vCPU) that stopped, or -1
 * @param core     that vCPU's index (CPU#k), or -1 if unknown
 * @param frame    where it stopped, or null
 * @param fields   every constant field of the record (bkptno, signal-name, ...)
 */
public record StopEvent(String reason, int threadId, int core, Frame frame, Map<String, String> fields) {
	public StopEvent {
		fields = Map.copyOf(fields);
	}
}
