/**
 * Presentation of the Toro debug model: {@code presentation} (labels, editors), {@code launch} (the Debugger
 * tab), {@code breakpoints} (toggling in the C and NASM editors, hardware switch), {@code cores} (from the
 * Cores view to a vCPU stack), {@code console} (the gdb
 * console), {@code disassembly} (the Disassembly view).
 */
package toro.studio.debug.ui;
