package toro.studio.qemu;

/**
 * One virtual CPU as QMP {@code query-cpus-fast} reports it.
 *
 * @param index    the vCPU index (0 = boot CPU)
 * @param threadId the host thread id running it (a TID under /proc/PID/task), or -1 if unknown
 * @param qomPath  its QOM path
 */
public record VcpuInfo(int index, long threadId, String qomPath) {
}
