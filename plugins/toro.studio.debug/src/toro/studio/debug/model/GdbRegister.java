package toro.studio.debug.model;

import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IValue;

/** One register of a frame with the value gdb gave at this stop. Read-only (use the gdb console to set one). */
public final class GdbRegister extends ReadOnlyVariable implements IRegister {

    private final GdbRegisterGroup group;
    private final String name;
    private final GdbValue value;

    /** Creates register name of group with gdb's value text; changed: it differs from the previous stop's. */
    GdbRegister(GdbRegisterGroup group, String name, String value, boolean changed) {
        super(group.getDebugTarget(), changed);
        this.group = group;
        this.name = name;
        this.value = new GdbValue(target(), value, false);
    }

    @Override
    public IRegisterGroup getRegisterGroup() {
        return group;
    }

    @Override
    public IValue getValue() {
        return value;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getReferenceTypeName() {
        return "register";
    }

    @Override
    String setCommand() {
        return "set $" + name + " = ...";
    }
}
