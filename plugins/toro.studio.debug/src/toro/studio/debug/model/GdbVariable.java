package toro.studio.debug.model;

import org.eclipse.debug.core.model.IValue;

import toro.studio.gdbmi.Variable;

/** An argument or local of a frame, with the value gdb printed for it at this stop. Read-only. */
public final class GdbVariable extends ReadOnlyVariable {

    private final Variable variable;
    private final boolean argument;
    private final GdbValue value;

    /**
     * Creates the variable of frame; argument tells a function argument from a local, changed a value that
     * differs from the previous stop's.
     */
    GdbVariable(GdbStackFrame frame, Variable variable, boolean argument, boolean changed) {
        super(frame.getDebugTarget(), changed);
        this.variable = variable;
        this.argument = argument;
        this.value = new GdbValue(target(), variable.value(), variable.optimizedOut());
    }

    /** Returns true for a function argument, false for a local. */
    public boolean isArgument() {
        return argument;
    }

    @Override
    public IValue getValue() {
        return value;
    }

    @Override
    public String getName() {
        return variable.name();
    }

    @Override
    public String getReferenceTypeName() {
        return argument ? "argument" : "local";
    }

    @Override
    String setCommand() {
        return "set var " + getName() + " = ...";
    }
}
