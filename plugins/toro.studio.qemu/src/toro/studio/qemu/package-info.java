/**
 * The QEMU runner: argv built from a typed configuration, loopback-only sockets, QMP, clean shutdown.
 */
package toro.studio.qemu;
