package toro.studio.debug.model;

import java.util.List;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;

import toro.studio.gdbmi.Frame;
import toro.studio.gdbmi.GdbThread;

/**
 * One vCPU of the guest, which gdb reports as one thread ("Thread 1.N", details "CPU#k [state]"). Its label
 * names the core and the kernel thread that runs on it. The stub is all-stop, so a vCPU is suspended exactly
 * when its target is; stepping one vCPU lets the others run until the step ends.
 */
public final class VcpuThread extends ToroDebugElement implements IThread {

    private final int id;
    private volatile int core = -1;
    private volatile String details = "";
    /** The frames of this stop (null until read); kept after a resume to be reused at the next stop. */
    private volatile GdbStackFrame[] frames;
    private volatile boolean framesCurrent;
    private volatile IBreakpoint[] hit = new IBreakpoint[0];

    /** Creates the thread of gdb thread id in target. */
    VcpuThread(ToroDebugTarget target, int id) {
        super(target);
        this.id = id;
    }

    /** Returns gdb's thread id. */
    public int gdbId() {
        return id;
    }

    /** Returns the vCPU index (k of "CPU#k"), or -1 if gdb did not name it. */
    public int core() {
        return core;
    }

    /** Takes the core and details from gdb's latest -thread-info entry of this thread. */
    void update(GdbThread g) {
        core = g.core();
        details = g.details() == null ? "" : g.details();
    }

    /** Marks the stack and breakpoints of the previous stop stale and fires a resume event with detail. */
    void resumed(int detail) {
        framesCurrent = false;
        hit = new IBreakpoint[0];
        fireResumeEvent(detail);
    }

    /**
     * Records a stop of the target on this vCPU (the stopping one, or gdb's selected one after a refused
     * command): hit is the breakpoint it stopped at, or null. The stack is read now, before the other reads
     * of the stop queue up in gdb, then the suspend event follows: the Debug view selects the top frame and
     * shows its source.
     */
    void stoppedHere(int detail, IBreakpoint hit) {
        framesCurrent = false;
        this.hit = hit == null ? new IBreakpoint[0] : new IBreakpoint[] { hit };
        try {
            getStackFrames();
        } catch (DebugException e) {
            // the Debug view asks again and shows gdb's message
        }
        fireSuspendEvent(detail);
    }

    /**
     * Records a stop of the target that happened on another vCPU (the stub is all-stop): a content change
     * only, so that this vCPU does not compete for the selection. Its frame objects are dropped: the Debug
     * view saved its selection when the vCPU resumed, and would restore it on a reused frame object, after
     * (and over) the stopping vCPU's frame.
     */
    void stoppedAlong() {
        synchronized (this) {
            framesCurrent = false;
            frames = null;
        }
        fireChangeEvent(DebugEvent.CONTENT);
    }

    // --- IThread --------------------------------------------------------------------------------------------

    @Override
    public IStackFrame[] getStackFrames() throws DebugException {
        if (!isSuspended()) {
            return new IStackFrame[0];
        }
        synchronized (this) {
            if (!framesCurrent) {
                List<Frame> stack = read("the stack of vCPU " + core, () -> gdb().stack(id));
                frames = matchFrames(frames == null ? new GdbStackFrame[0] : frames, stack);
                framesCurrent = true;
            }
            return frames.clone();
        }
    }

    /**
     * Builds this stop's frames, reusing the previous stop's frame objects where the stack is unchanged:
     * matched from the outermost frame inwards, a frame of the same function at the same depth is the same
     * frame (as after a step within a function), updated with its new line and PC. The views keep their
     * selection on a reused frame and show its new line.
     */
    private GdbStackFrame[] matchFrames(GdbStackFrame[] old, List<Frame> stack) {
        GdbStackFrame[] now = new GdbStackFrame[stack.size()];
        boolean same = true;
        for (int k = 1; k <= now.length; k++) {
            Frame f = stack.get(now.length - k);
            GdbStackFrame o = k <= old.length ? old[old.length - k] : null;
            same = same && o != null && java.util.Objects.equals(o.frame().func(), f.func());
            if (same) {
                o.update(f);
                now[now.length - k] = o;
            } else {
                now[now.length - k] = new GdbStackFrame(this, f);
            }
        }
        return now;
    }

    @Override
    public boolean hasStackFrames() throws DebugException {
        return isSuspended();
    }

    @Override
    public int getPriority() {
        return 0;
    }

    @Override
    public IStackFrame getTopStackFrame() throws DebugException {
        IStackFrame[] f = getStackFrames();
        return f.length == 0 ? null : f[0];
    }

    /**
     * Returns "vCPU k", "halted" when QEMU reports the vCPU in hlt, then the kernel thread the vCPU runs at
     * this stop, read from the kernel's tables (e.g. "vCPU 1 halted: idle").
     */
    @Override
    public String getName() {
        StringBuilder b = new StringBuilder("vCPU ").append(core < 0 ? "?" : String.valueOf(core));
        if (details.contains("[halted]")) {
            b.append(" halted");
        }
        String running = target().snapshot().threadOnCore(core);
        if (running != null) {
            b.append(": ").append(running);
        }
        return b.toString();
    }

    @Override
    public IBreakpoint[] getBreakpoints() {
        return hit;
    }

    // --- ISuspendResume, ITerminate: the whole target ---------------------------------------------------------

    @Override
    public boolean canResume() {
        return getDebugTarget().canResume();
    }

    @Override
    public boolean canSuspend() {
        return getDebugTarget().canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return getDebugTarget().isSuspended();
    }

    @Override
    public void resume() throws DebugException {
        getDebugTarget().resume();
    }

    @Override
    public void suspend() throws DebugException {
        getDebugTarget().suspend();
    }

    @Override
    public boolean canTerminate() {
        return getDebugTarget().canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return getDebugTarget().isTerminated();
    }

    @Override
    public void terminate() throws DebugException {
        getDebugTarget().terminate();
    }

    // --- IStep, plus instruction steps --------------------------------------------------------------------------

    @Override
    public boolean canStepInto() {
        return isSuspended();
    }

    @Override
    public boolean canStepOver() {
        return isSuspended();
    }

    @Override
    public boolean canStepReturn() {
        return isSuspended();
    }

    @Override
    public boolean isStepping() {
        return false;
    }

    @Override
    public void stepInto() throws DebugException {
        target().execute(id, DebugEvent.STEP_INTO, "step into", gdb()::step);
    }

    @Override
    public void stepOver() throws DebugException {
        target().execute(id, DebugEvent.STEP_OVER, "step over", gdb()::next);
    }

    @Override
    public void stepReturn() throws DebugException {
        target().execute(id, DebugEvent.STEP_RETURN, "step return", gdb()::finish);
    }

    /** Executes exactly one machine instruction on this vCPU, entering calls (gdb's -exec-step-instruction). */
    public void stepInstruction() throws DebugException {
        target().execute(id, DebugEvent.STEP_INTO, "step one instruction", gdb()::stepInstruction);
    }

    /** Executes one machine instruction on this vCPU, running calls to their end (-exec-next-instruction). */
    public void nextInstruction() throws DebugException {
        target().execute(id, DebugEvent.STEP_OVER, "step over one instruction", gdb()::nextInstruction);
    }
}
