/**
 * The GDB/MI output grammar: one parsed line is one immutable {@link toro.studio.gdbmi.mi.MiRecord}.
 * Nothing here knows about processes or sessions.
 */
package toro.studio.gdbmi.mi;
