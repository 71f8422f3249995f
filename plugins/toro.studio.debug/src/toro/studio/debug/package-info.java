/**
 * The Toro debug model on the Eclipse Debug Platform over the GDB/MI client. This package holds the identifiers
 * shared with the presentation; {@code model} holds the debug elements, {@code breakpoints} the line breakpoints
 * and their synchronisation with gdb, {@code launch} the debug-mode launch delegate, and {@code sourcelookup} the
 * mapping from gdb's file names to workspace or file-system sources. No UI is imported here.
 */
package toro.studio.debug;
