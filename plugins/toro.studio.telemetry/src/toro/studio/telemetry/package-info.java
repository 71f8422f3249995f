/**
 * The kernel's COM2 telemetry (kernel-src/docs/telemetry.md): {@link toro.studio.telemetry.TelemetryDecoder}
 * turns bytes into {@link toro.studio.telemetry.Sample}s, {@link toro.studio.telemetry.CoreModel} turns
 * samples into per-core views with rates, {@link toro.studio.telemetry.TelemetryPump} and
 * {@link toro.studio.telemetry.TelemetryShare} move the bytes, and {@link toro.studio.telemetry.HostCpuSampler}
 * measures what QEMU costs the host.
 */
package toro.studio.telemetry;
