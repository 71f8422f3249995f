package toro.studio.telemetry;

/**
 * The stream's HELLO frame: what the kernel says about itself.
 *
 * @param ncpus         cores online
 * @param rateHz        samples per second
 * @param tscKhz        calibrated TSC frequency
 * @param version       the kernel's version string
 * @param netdevs       network devices registered (0 in a version-1 stream)
 * @param streamVersion the telemetry format version of the frame (1 or 2)
 */
public record Hello(int ncpus, int rateHz, long tscKhz, String version, int netdevs, int streamVersion) {
}
