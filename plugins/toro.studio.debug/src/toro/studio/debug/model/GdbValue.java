package toro.studio.debug.model;

import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * A value as gdb printed it (aggregates in gdb's own {@code {a = 1, b = 2}} form). A value the compiler
 * optimized out reads "&lt;optimized out&gt;": shown as such, never as a guess.
 */
public final class GdbValue extends ToroDebugElement implements IValue {

    /** What the views show for a value the compiler did not keep. */
    public static final String OPTIMIZED_OUT = "<optimized out>";

    private final String text;
    private final boolean optimizedOut;

    /** Creates the value text of target; optimizedOut marks a value gdb could not read for that reason. */
    public GdbValue(ToroDebugTarget target, String text, boolean optimizedOut) {
        super(target);
        this.optimizedOut = optimizedOut || OPTIMIZED_OUT.equals(text);
        this.text = this.optimizedOut ? OPTIMIZED_OUT : text == null ? "" : text;
    }

    /** Returns true when the compiler optimized the value out at this point. */
    public boolean isOptimizedOut() {
        return optimizedOut;
    }

    @Override
    public String getReferenceTypeName() {
        return "";
    }

    @Override
    public String getValueString() {
        return text;
    }

    @Override
    public boolean isAllocated() {
        return !optimizedOut;
    }

    @Override
    public IVariable[] getVariables() {
        return new IVariable[0];
    }

    @Override
    public boolean hasVariables() {
        return false;
    }
}
