/**
 * The decoder of the kernel's COM2 telemetry stream into a per-core model, and the host CPU sampler.
 */
package toro.studio.telemetry;
