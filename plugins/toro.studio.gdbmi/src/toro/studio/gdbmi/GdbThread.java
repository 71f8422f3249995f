package toro.studio.gdbmi;

/**
 * A thread as gdb sees it; on QEMU's stub each thread is a vCPU.
 *
 * @param id       gdb's thread id
 * @param targetId e.g. "Thread 1.3"
 * @param core     the vCPU index from details "CPU#k", else gdb's core field, else -1
 * @param details  e.g. "CPU#2 [halted ]" (QEMU's vCPU state, not gdb's)
 * @param frame    its innermost frame, or null while running
 */
public record GdbThread(int id, String targetId, int core, String details, Frame frame) {
}
