/**
 * Guests other than Toro for comparisons: {@link toro.studio.qemu.guest.LinuxGuest} is a Linux kernel and
 * busybox httpd from Debian's packages, fetched with apt-get download and never installed, booted from an
 * initramfs written here ({@link toro.studio.qemu.guest.Cpio}), serving the same bytes as Toro's httpd.
 */
package toro.studio.qemu.guest;
