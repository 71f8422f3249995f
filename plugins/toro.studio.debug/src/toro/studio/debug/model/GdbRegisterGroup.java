package toro.studio.debug.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;

/**
 * A named group of x86-64 registers of one frame (General, Segment, Control, Vector, Other), grouped by
 * gdb's register names so that the Registers view starts with what matters for a kernel: rip, rsp, rflags.
 */
public final class GdbRegisterGroup extends ToroDebugElement implements IRegisterGroup {

    /** The groups in display order; a register joins the first whose pattern matches its whole name. */
    private static final Map<String, Pattern> GROUPS = new LinkedHashMap<>();
    static {
        GROUPS.put("General", Pattern.compile("r[a-d]x|r[sd]i|r[bs]p|r([89]|1[0-5])|rip|eflags"));
        GROUPS.put("Segment", Pattern.compile("[c-gs]s|fs_base|gs_base|k_gs_base"));
        GROUPS.put("Control", Pattern.compile("cr[0-8]|efer"));
        GROUPS.put("Vector", Pattern.compile("([xy]mm|zmm|k)\\d+.*|mxcsr|st\\d|f(ctrl|stat|tag|iseg|ioff|oseg|ooff|op)"));
        GROUPS.put("Other", Pattern.compile(".*"));
    }

    private final String name;
    private final List<IRegister> registers = new ArrayList<>();

    private GdbRegisterGroup(GdbStackFrame frame, String name) {
        super(frame.getDebugTarget());
        this.name = name;
    }

    /**
     * Builds the non-empty groups of frame from gdb's register names (index = register number; empty names
     * are unused numbers) and the values read in that frame (number to value); a register whose value is
     * not the one in previous (the frame's values at the previous stop, empty if none) is marked changed.
     */
    static IRegisterGroup[] build(GdbStackFrame frame, List<String> names, Map<Integer, String> values,
            Map<Integer, String> previous) {
        Map<String, GdbRegisterGroup> groups = new LinkedHashMap<>();
        for (String g : GROUPS.keySet()) {
            groups.put(g, new GdbRegisterGroup(frame, g));
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String v = values.get(i);
            if (n == null || n.isEmpty() || v == null) {
                continue;
            }
            for (Map.Entry<String, Pattern> g : GROUPS.entrySet()) {
                if (g.getValue().matcher(n).matches()) {
                    GdbRegisterGroup group = groups.get(g.getKey());
                    boolean changed = previous.containsKey(i) && !v.equals(previous.get(i));
                    group.registers.add(new GdbRegister(group, n, v, changed));
                    break;
                }
            }
        }
        groups.values().removeIf(g -> g.registers.isEmpty());
        return groups.values().toArray(new IRegisterGroup[0]);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public IRegister[] getRegisters() {
        return registers.toArray(new IRegister[0]);
    }

    @Override
    public boolean hasRegisters() {
        return !registers.isEmpty();
    }
}
