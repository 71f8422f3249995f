/**
 * The QEMU runner: argv built as a list from a typed {@link toro.studio.qemu.QemuConfig}
 * ({@link toro.studio.qemu.QemuArgv}), COM1/COM2/QMP on Unix sockets in a private directory and the
 * GDB stub on 127.0.0.1 only ({@link toro.studio.qemu.Endpoints} says why), a QMP client
 * ({@link toro.studio.qemu.QmpClient}), and one process lifecycle ({@link toro.studio.qemu.QemuProcess})
 * that ends QEMU on every path and reads its exit as the guest's status ({@link toro.studio.qemu.ExitStatus}).
 */
package toro.studio.qemu;
