/**
 * The GDB/MI client: output parser, token-correlated commands, event dispatch, run state, typed operations.
 */
package toro.studio.gdbmi;
