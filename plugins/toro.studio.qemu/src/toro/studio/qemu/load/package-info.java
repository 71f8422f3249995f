/**
 * Load against a guest's forwarded port: {@link toro.studio.qemu.load.Wrk} runs Debian's wrk from an
 * argv list against 127.0.0.1 only, and {@link toro.studio.qemu.load.WrkResult} is its report read
 * back (throughput, latency percentiles, every kind of error). The HTTP benchmark and the IDE's
 * "Stress..." action share it.
 */
package toro.studio.qemu.load;
