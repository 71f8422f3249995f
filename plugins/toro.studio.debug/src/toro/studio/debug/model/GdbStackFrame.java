package toro.studio.debug.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;

import toro.studio.gdbmi.Frame;
import toro.studio.gdbmi.Variable;

/**
 * One frame of a vCPU's stack, as gdb's -stack-list-frames gave it at the latest stop. A frame that is still
 * on the stack at the next stop (same function, same depth) is the same object, updated (see
 * {@link VcpuThread}). Its arguments, locals and registers are read on first use after each stop.
 */
public final class GdbStackFrame extends ToroDebugElement implements IStackFrame {

    private final VcpuThread thread;
    private volatile Frame frame;
    private IVariable[] variables;
    private IRegisterGroup[] groups;
    /** Values read at the previous stop (this frame object lives on while its function does), to mark changes. */
    private Map<String, String> lastVariables = Map.of();
    private Map<Integer, String> lastRegisters = Map.of();

    /** Creates the frame of thread described by gdb's frame. */
    GdbStackFrame(VcpuThread thread, Frame frame) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.frame = frame;
    }

    /** Takes gdb's description of this frame at a new stop and forgets the values read at the previous one. */
    synchronized void update(Frame f) {
        frame = f;
        variables = null;
        groups = null;
    }

    /** Returns gdb's frame (level, address, function, file as compiled, full path, line). */
    public Frame frame() {
        return frame;
    }

    /** Returns the source file gdb names: the full path when gdb resolved one, else the compiled name, or null. */
    public String sourcePath() {
        return frame.fullname() != null ? frame.fullname() : frame.file();
    }

    @Override
    public IThread getThread() {
        return thread;
    }

    /** Returns the arguments first, then the locals; optimized-out values are kept and shown as such. */
    @Override
    public synchronized IVariable[] getVariables() throws DebugException {
        if (variables == null) {
            String where = "the variables of " + getName();
            List<Variable> args = read(where, () -> gdb().arguments(thread.gdbId(), frame.level()));
            List<Variable> locals = read(where, () -> gdb().locals(thread.gdbId(), frame.level()));
            List<IVariable> all = new ArrayList<>();
            Map<String, String> now = new HashMap<>();
            for (Variable v : args) {
                all.add(new GdbVariable(this, v, true, changed(v)));
                now.put(v.name(), v.value());
            }
            for (Variable v : locals) {
                all.add(new GdbVariable(this, v, false, changed(v)));
                now.put(v.name(), v.value());
            }
            variables = all.toArray(new IVariable[0]);
            lastVariables = now;
        }
        return variables;
    }

    private boolean changed(Variable v) {
        return lastVariables.containsKey(v.name()) && !java.util.Objects.equals(lastVariables.get(v.name()), v.value());
    }

    @Override
    public boolean hasVariables() throws DebugException {
        return isSuspended();
    }

    @Override
    public int getLineNumber() {
        return frame.line() > 0 ? frame.line() : -1;
    }

    @Override
    public int getCharStart() {
        return -1;
    }

    @Override
    public int getCharEnd() {
        return -1;
    }

    /** Returns "func() at file:line", or "func() at 0xADDR" when the frame has no line information. */
    @Override
    public String getName() {
        String func = frame.func() == null || frame.func().isEmpty() ? "??" : frame.func();
        if (frame.file() != null && frame.line() > 0) {
            return func + "() at " + frame.file() + ":" + frame.line();
        }
        return func + "() at 0x" + Long.toHexString(frame.addr());
    }

    /** Returns the register groups (general, segment, control, vector, other) read in this frame. */
    @Override
    public synchronized IRegisterGroup[] getRegisterGroups() throws DebugException {
        if (groups == null) {
            List<String> names = read("the register names", () -> gdb().registerNames());
            var values = read("the registers of " + getName(), () -> gdb().registerValues(thread.gdbId(), frame.level()));
            groups = GdbRegisterGroup.build(this, names, values, lastRegisters);
            lastRegisters = values;
        }
        return groups;
    }

    @Override
    public boolean hasRegisterGroups() throws DebugException {
        return isSuspended();
    }

    /** Evaluates a C expression in this frame's scope and returns gdb's printed value. */
    public String evaluate(String expression) throws DebugException {
        return read("the value of " + expression, () -> gdb().evaluate(expression, thread.gdbId(), frame.level()));
    }

    // --- stepping, suspend/resume, terminate: the thread's ------------------------------------------------------

    @Override
    public boolean canStepInto() {
        return thread.canStepInto();
    }

    @Override
    public boolean canStepOver() {
        return thread.canStepOver();
    }

    @Override
    public boolean canStepReturn() {
        return thread.canStepReturn();
    }

    @Override
    public boolean isStepping() {
        return thread.isStepping();
    }

    @Override
    public void stepInto() throws DebugException {
        thread.stepInto();
    }

    @Override
    public void stepOver() throws DebugException {
        thread.stepOver();
    }

    @Override
    public void stepReturn() throws DebugException {
        thread.stepReturn();
    }

    @Override
    public boolean canResume() {
        return thread.canResume();
    }

    @Override
    public boolean canSuspend() {
        return thread.canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return thread.isSuspended();
    }

    @Override
    public void resume() throws DebugException {
        thread.resume();
    }

    @Override
    public void suspend() throws DebugException {
        thread.suspend();
    }

    @Override
    public boolean canTerminate() {
        return thread.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return thread.isTerminated();
    }

    @Override
    public void terminate() throws DebugException {
        thread.terminate();
    }
}
