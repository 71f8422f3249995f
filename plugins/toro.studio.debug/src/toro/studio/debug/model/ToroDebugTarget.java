package toro.studio.debug.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.core.resources.IMarkerDelta;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IMemoryBlock;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;

import toro.studio.debug.ToroDebug;
import toro.studio.debug.breakpoints.BreakpointSync;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.GdbThread;
import toro.studio.gdbmi.QemuDebugSession;
import toro.studio.gdbmi.RunState;
import toro.studio.gdbmi.StopEvent;
import toro.studio.launch.QemuLaunch;
import toro.studio.qemu.KvmInternalError;
import toro.studio.qemu.QemuProcess;

/**
 * The kernel running in QEMU, seen through gdb: one target per debug launch, one {@link VcpuThread} per vCPU.
 * The stub is all-stop, so the target and all its threads are suspended or running together. State changes
 * arrive from the {@link EventDispatcher}; user requests (resume, suspend, steps) go to gdb from here.
 */
public final class ToroDebugTarget extends ToroDebugElement implements IDebugTarget {

    private final ILaunch launch;
    private final QemuDebugSession debug;
    private final GdbSession session;
    private final QemuLaunch qemu;
    private final String name;
    private final EventDispatcher dispatcher;
    private final BreakpointSync breakpoints;
    private final Map<Integer, VcpuThread> threads = new LinkedHashMap<>();
    private final List<Consumer<String>> consoleListeners = new CopyOnWriteArrayList<>();
    /** Console output printed while no listener was registered yet. */
    private final StringBuilder backlog = new StringBuilder();
    /** QEMU's report once a vCPU stopped on a KVM internal error; it cannot run on. */
    private volatile KvmInternalError kvmError;
    private final Object execLock = new Object();
    private volatile boolean suspended;
    /** gdb's selected thread, which exec commands act on: the stopping thread after a stop. */
    private volatile int gdbThread = -1;
    private volatile boolean terminated;
    private volatile KernelSnapshot snapshot = KernelSnapshot.NONE;
    private final StoppedCoreSource cores;

    /**
     * Creates the target over an attached, stopped debug session and its QEMU launch, registers it with the launch and
     * starts dispatching gdb's events. Breakpoints of the workspace are installed by {@link #start()}.
     */
    public ToroDebugTarget(ILaunch launch, QemuDebugSession debug, QemuLaunch qemu, String name) {
        super(null);
        this.launch = launch;
        this.debug = debug;
        this.session = debug.gdb();
        this.qemu = qemu;
        this.name = name;
        this.breakpoints = new BreakpointSync(this);
        this.dispatcher = new EventDispatcher(this);
        this.cores = new StoppedCoreSource(qemu);
        this.suspended = true;
    }

    /**
     * Starts the target: event dispatch, the initial threads, the workspace's breakpoints in gdb, and a watch
     * on QEMU's exit so that a dying QEMU ends the launch. Called once, after gdb is connected and stopped.
     */
    public void start() {
        session.addListener(dispatcher);
        qemu.qemu().exit().whenComplete((status, failure) -> dispatcher.processGone("QEMU ended: "
                + (status != null ? status.detail() : String.valueOf(failure))));
        refreshThreads();
        breakpoints.start();
        fireCreationEvent();
    }

    // --- accessors used by the other model elements -----------------------------------------------------------

    @Override
    public IDebugTarget getDebugTarget() {
        return this;
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    /** Returns the gdb session of this target (for the breakpoint synchroniser and the presentation). */
    public GdbSession session() {
        return session;
    }

    /** Returns the QEMU run under this target (process, console, telemetry, image). */
    public QemuLaunch qemu() {
        return qemu;
    }

    /** Returns the synchroniser of workspace breakpoints with gdb. */
    public BreakpointSync breakpointSync() {
        return breakpoints;
    }

    /** Returns the kernel's statistics read at the last stop ({@link KernelSnapshot#NONE} while running). */
    public KernelSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Returns the vCPU the target last stopped on (gdb's selected thread, which exec commands act on), or
     * null before the first stop is known. The Debug view's selection policy keeps the selection there.
     */
    public VcpuThread stoppedThread() {
        synchronized (threads) {
            return threads.get(gdbThread);
        }
    }

    /** Returns the thread of the given vCPU index, or null if gdb reported none. */
    public VcpuThread threadOfCore(int core) {
        synchronized (threads) {
            for (VcpuThread t : threads.values()) {
                if (t.core() == core) {
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * Registers a listener for gdb's console output (the ~ stream, and what CLI commands print). The first
     * listener also gets what was printed before it came (the console appears after the target does).
     */
    public void addConsoleListener(Consumer<String> listener) {
        String early;
        synchronized (backlog) {
            consoleListeners.add(listener);
            early = backlog.toString();
            backlog.setLength(0);
        }
        if (!early.isEmpty()) {
            listener.accept(early);
        }
    }

    /** Removes a listener added with {@link #addConsoleListener}. */
    public void removeConsoleListener(Consumer<String> listener) {
        consoleListeners.remove(listener);
    }

    /**
     * Runs a CLI command through {@code -interpreter-exec console} and returns what it printed. Commands that
     * resume the target (continue, step) change the state through gdb's events as any other resume does.
     */
    public String console(String command) throws DebugException {
        return read("the console command '" + command + "'", () -> session.console(command));
    }

    // --- IDebugTarget ---------------------------------------------------------------------------------------

    @Override
    public IProcess getProcess() {
        return qemu.process();
    }

    @Override
    public IThread[] getThreads() {
        synchronized (threads) {
            return threads.values().toArray(new IThread[0]);
        }
    }

    @Override
    public boolean hasThreads() {
        return !terminated && !threads.isEmpty();
    }

    @Override
    public String getName() {
        KvmInternalError k = kvmError;
        return k == null ? name : name + " [" + k.summary() + "]";
    }

    @Override
    public boolean supportsBreakpoint(IBreakpoint breakpoint) {
        return ToroDebug.MODEL_ID.equals(breakpoint.getModelIdentifier());
    }

    @Override
    public void breakpointAdded(IBreakpoint breakpoint) {
        breakpoints.added(breakpoint);
    }

    @Override
    public void breakpointRemoved(IBreakpoint breakpoint, IMarkerDelta delta) {
        breakpoints.removed(breakpoint);
    }

    @Override
    public void breakpointChanged(IBreakpoint breakpoint, IMarkerDelta delta) {
        breakpoints.changed(breakpoint);
    }

    @Override
    public boolean canTerminate() {
        return !terminated;
    }

    @Override
    public boolean isTerminated() {
        return terminated;
    }

    /** Ends the session: gdb and QEMU are stopped (killed if they do not quit), then the target is terminated. */
    @Override
    public void terminate() {
        shutDown("terminated by the user");
    }

    @Override
    public boolean canResume() {
        return !terminated && suspended;
    }

    @Override
    public boolean canSuspend() {
        return !terminated && !suspended;
    }

    @Override
    public boolean isSuspended() {
        return suspended;
    }

    @Override
    public void resume() throws DebugException {
        execute(0, DebugEvent.CLIENT_REQUEST, "resume", session::cont);
    }

    @Override
    public void suspend() throws DebugException {
        read("an interrupt of the target", () -> {
            session.interrupt();
            return null;
        });
    }

    @Override
    public boolean canDisconnect() {
        return false;
    }

    @Override
    public void disconnect() throws DebugException {
        notSupported("Disconnecting leaves QEMU stopped with nobody to resume it; use Terminate.", null);
    }

    @Override
    public boolean isDisconnected() {
        return false;
    }

    @Override
    public boolean supportsStorageRetrieval() {
        return true;
    }

    @Override
    public IMemoryBlock getMemoryBlock(long startAddress, long length) throws DebugException {
        if (length <= 0 || length > GdbMemoryBlock.MAX_LENGTH) {
            requestFailed("A memory block must be 1 to " + GdbMemoryBlock.MAX_LENGTH + " bytes long, not " + length, null);
        }
        return new GdbMemoryBlock(this, startAddress, (int) length);
    }

    // --- execution control, used by the threads ---------------------------------------------------------------

    /**
     * Resumes the target through one gdb exec command run on the given thread (0 = gdb's current thread):
     * selects the thread, fires the resume events with detail, then runs the command. All vCPUs resume.
     */
    void execute(int threadId, int detail, String what, GdbAction command) throws DebugException {
        if (!suspended || terminated) {
            requestFailed("Cannot " + what + ": the target is " + (terminated ? "terminated" : "running"), null);
        }
        breakpoints.flush();
        synchronized (execLock) {
            try {
                if (threadId > 0 && threadId != gdbThread) {
                    session.selectThread(threadId);
                    gdbThread = threadId;
                }
                resumed(detail);
                command.run();
            } catch (Exception e) {
                refused();
                requestFailed("gdb refused to " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Runs action with the target stopped: when it is running, interrupts it, runs action, and resumes it,
     * without the user seeing a suspension (used to insert breakpoints while the kernel runs). When the stop
     * that comes is not the interrupt but the kernel's own (a breakpoint hit racing it), that stop is the
     * user's: the action runs and the target stays stopped there.
     */
    public void whileStopped(GdbAction action) throws Exception {
        synchronized (execLock) {
            if (suspended || terminated || session.state() != RunState.RUNNING) {
                action.run();
                return;
            }
            dispatcher.expectInternalStop();
            session.interrupt();
            StopEvent stop = session.waitForStop(Duration.ofSeconds(10));
            boolean ours = EventDispatcher.isModelInterrupt(stop);
            try {
                action.run();
            } finally {
                if (ours) {
                    session.cont();
                }
            }
        }
    }

    // --- state changes, called by the EventDispatcher (on the session's event thread) and by execute() ---------

    /** Marks the target and all threads running and fires their resume events (once per resumption). */
    synchronized void resumed(int detail) {
        if (!suspended) {
            return;
        }
        suspended = false;
        snapshot = KernelSnapshot.NONE;
        cores.resumed();
        for (IThread t : getThreads()) {
            ((VcpuThread) t).resumed(detail);
        }
        fireResumeEvent(detail);
    }

    /**
     * Marks the target suspended after gdb's stop e. The other vCPUs get a content change, then the stopping
     * vCPU (the first one when gdb names none) its suspend event, last, so that no refresh of another vCPU
     * restores an older selection: the Debug view selects the stopping vCPU's top frame and shows the source.
     * Then the slower reads follow: every vCPU's state from -thread-info and the kernel's per-CPU statistics,
     * which relabel the threads and feed the Cores view.
     */
    void stopped(StopEvent e, int detail) {
        suspended = true;
        noteKvmInternalError(e);
        gdbThread = e.threadId();
        VcpuThread focus = thread(e.threadId());
        if (focus == null) {
            refreshThreads();
            focus = thread(e.threadId());
        }
        fireSuspendEvent(detail);
        suspendThreads(focus, detail, e.fields() == null ? null : breakpoints.byGdbNumber(e.fields().get("bkptno")));
        refreshThreads();
        snapshot = KernelSnapshot.read(session);
        cores.stopped(snapshot);
        for (IThread t : getThreads()) {
            ((VcpuThread) t).fireChangeEvent(DebugEvent.STATE);
        }
    }

    /**
     * gdb reports a vCPU that KVM could not run on as SIGABRT; QEMU's stderr says what it was. The console
     * then says exactly that, with the RIP and what to do, and the target's label carries it.
     */
    private void noteKvmInternalError(StopEvent e) {
        if (!"SIGABRT".equals(e.fields().get("signal-name"))) {
            return;
        }
        KvmInternalError k = qemu.qemu().kvmInternalError(QemuProcess.KVM_REPORT_WAIT);
        if (k != null) {
            kvmError = k;
            consoleOutput("[" + k.summary() + ": " + KvmInternalError.ADVICE + "]\n");
            fireChangeEvent(DebugEvent.STATE);
        }
    }

    /** Shows the target stopped again after gdb refused to resume it: the threads resumed in vain. */
    private void refused() {
        suspended = true;
        fireSuspendEvent(DebugEvent.CLIENT_REQUEST);
        suspendThreads(thread(gdbThread), DebugEvent.CLIENT_REQUEST, null);
    }

    /** Marks every vCPU stopped: the others along with focus first, then focus (if any) at breakpoint hit. */
    private void suspendThreads(VcpuThread focus, int detail, IBreakpoint hit) {
        for (IThread t : getThreads()) {
            if (t != focus) {
                ((VcpuThread) t).stoppedAlong();
            }
        }
        if (focus != null) {
            focus.stoppedHere(detail, hit);
        }
    }

    /** Returns the thread with gdb id, else the first thread, else null. */
    private VcpuThread thread(int id) {
        synchronized (threads) {
            return threads.getOrDefault(id, threads.isEmpty() ? null : threads.values().iterator().next());
        }
    }

    /** Passes text (gdb's output, or a note of the model's own) on to the console listeners. */
    public void consoleOutput(String text) {
        synchronized (backlog) {
            if (consoleListeners.isEmpty()) {
                backlog.append(text);
                return;
            }
        }
        for (Consumer<String> l : consoleListeners) {
            l.accept(text);
        }
    }

    /**
     * Ends the session once, whoever asks first (user, dying gdb, dying QEMU): stops listening to breakpoints,
     * ends the debug session (QEMU first, then gdb: see QemuDebugSession), and fires the terminate events.
     */
    void shutDown(String why) {
        synchronized (this) {
            if (terminated) {
                return;
            }
            terminated = true;
        }
        suspended = false;
        breakpoints.dispose();
        consoleOutput("[" + name + " " + why + "]\n");
        debug.close();
        for (IThread t : getThreads()) {
            ((VcpuThread) t).fireTerminateEvent();
        }
        fireTerminateEvent();
    }

    /** Rebuilds the vCPU thread list from gdb's -thread-info, keeping the existing thread objects by id. */
    private void refreshThreads() {
        List<GdbThread> now;
        try {
            now = session.threads();
        } catch (RuntimeException e) {
            consoleOutput("Could not list the vCPU threads: " + e.getMessage() + "\n");
            return;
        }
        List<VcpuThread> created = new ArrayList<>();
        synchronized (threads) {
            Map<Integer, VcpuThread> old = new LinkedHashMap<>(threads);
            threads.clear();
            for (GdbThread g : now) {
                VcpuThread t = old.get(g.id());
                if (t == null) {
                    t = new VcpuThread(this, g.id());
                    created.add(t);
                }
                t.update(g);
                threads.put(g.id(), t);
            }
        }
        for (VcpuThread t : created) {
            t.fireCreationEvent();
        }
        if (!created.isEmpty()) {
            fireChangeEvent(DebugEvent.CONTENT); // the Debug view re-reads the thread list
        }
    }
}
