package toro.studio.gdbmi.mi;

/** A value in MI output: a c-string constant, a tuple or a list. */
public sealed interface MiValue permits MiConst, MiTuple, MiList {
}
