package toro.studio.telemetry;

/**
 * The stream's HELLO frame: what the kernel says about itself.
 *
 * @param ncpus   cores online
 * @param rateHz  samples per second
 * @param tscKhz  calibrated TSC frequency
 * @param version the kernel's version string
 */
public record Hello(int ncpus, int rateHz, long tscKhz, String version) {
}
