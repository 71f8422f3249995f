/**
 * The Toro Kernel (QEMU) launch configuration type and its run-mode delegate.
 */
package toro.studio.launch;
