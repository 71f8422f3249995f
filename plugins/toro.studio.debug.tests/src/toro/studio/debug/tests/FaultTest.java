package toro.studio.debug.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.eclipse.core.resources.IProject;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import toro.studio.debug.model.GdbStackFrame;
import toro.studio.debug.model.ToroDebugTarget;

/**
 * Faults end a debug launch cleanly: QEMU killed under a suspended target ends gdb and the launch, gdb
 * killed ends QEMU and the launch, and an unknown stop symbol fails the launch with a message naming the Debugger tab, leaving no process behind.
 * The first test also measures the Debug click on an already built kernel ("BENCH ...").
 */
class FaultTest {

    private ILaunch launch;

    @org.junit.jupiter.api.BeforeEach
    void prepare() {
        Kernel.prepareWorkbench();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ILaunch l : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
            if (!l.isTerminated()) {
                l.terminate();
            }
        }
    }

    /** Returns true when the Debug view has selected kmain's frame of a live launch of config. */
    private static boolean stoppedAtKmain(ILaunchConfiguration config) {
        return DebugUITools.getDebugContext() instanceof GdbStackFrame f && "kmain".equals(f.frame().func())
                && !f.isTerminated() && config.equals(f.getLaunch().getLaunchConfiguration());
    }

    @Test
    void qemuDyingEndsTheLaunchAndGdb() throws Exception {
        IProject project = Kernel.project();
        ILaunchConfiguration config = Kernel.config(project, "Fault QEMU").doSave();
        long t0 = System.nanoTime();
        DebugUITools.launch(config, ILaunchManager.DEBUG_MODE);
        Ui.waitFor("the target to stop at kmain", Duration.ofSeconds(120), () -> stoppedAtKmain(config)
                && page().getActiveEditor() != null && "main.c".equals(page().getActiveEditor().getEditorInput().getName()));
        Bench.print("debug-click-to-kmain-shown-ms", (System.nanoTime() - t0) / 1e6);
        ToroDebugTarget target = (ToroDebugTarget) ((GdbStackFrame) DebugUITools.getDebugContext()).getDebugTarget();
        String console = toro.studio.debug.ui.console.GdbConsoles.of(target).getDocument().get();
        System.out.println("BENCH-PHASES " + console.lines().filter(l -> l.startsWith("[debug session up")).findFirst().orElse("?"));
        launch = target.getLaunch();
        long gdb = target.session().pid();
        long qemu = target.qemu().qemu().pid();
        java.nio.file.Path dir = target.qemu().qemu().endpoints().dir();
        assertTrue(DebugSessionTest.alive(qemu) && DebugSessionTest.alive(gdb));

        ProcessHandle.of(qemu).ifPresent(ProcessHandle::destroyForcibly);
        endsCleanly(target, "QEMU died", gdb, dir);
    }

    @Test
    void gdbDyingEndsTheLaunchAndQemu() throws Exception {
        ILaunchConfiguration config = Kernel.config(Kernel.project(), "Fault gdb").doSave();
        DebugUITools.launch(config, ILaunchManager.DEBUG_MODE);
        Ui.waitFor("the target to stop at kmain", Duration.ofSeconds(120), () -> stoppedAtKmain(config));
        ToroDebugTarget target = (ToroDebugTarget) ((GdbStackFrame) DebugUITools.getDebugContext()).getDebugTarget();
        launch = target.getLaunch();
        long qemu = target.qemu().qemu().pid();
        java.nio.file.Path dir = target.qemu().qemu().endpoints().dir();

        ProcessHandle.of(target.session().pid()).ifPresent(ProcessHandle::destroyForcibly);
        endsCleanly(target, "gdb died", qemu, dir);
    }

    /**
     * After one of its processes was killed: the launch ends, the other process (pid) is gone, no gdb or
     * QEMU is left, the run's private directory is removed and the target is terminated.
     */
    private void endsCleanly(ToroDebugTarget target, String what, long other, java.nio.file.Path dir) {
        Ui.waitFor("the launch to end after " + what, Duration.ofSeconds(30), launch::isTerminated);
        Ui.waitFor("process " + other + " to be gone", Duration.ofSeconds(15), () -> !DebugSessionTest.alive(other));
        Ui.waitFor("no gdb or QEMU left", Duration.ofSeconds(15), () -> Kernel.childTools().isEmpty(),
                () -> "left: " + Kernel.childTools() + "; launches: " + Kernel.launches());
        Ui.waitFor("the run's private directory " + dir + " to be removed", Duration.ofSeconds(15),
                () -> !java.nio.file.Files.exists(dir));
        assertTrue(target.isTerminated());
    }

    @Test
    void unknownStopSymbolFailsTheLaunchWithoutLeavingProcesses() throws Exception {
        IProject project = Kernel.project();
        var wc = Kernel.config(project, "Fault symbol");
        wc.setAttribute(toro.studio.debug.launch.DebugAttributes.STOP_AT, "no_such_function");
        ILaunchConfiguration config = wc.doSave();
        try {
            launch = config.launch(ILaunchManager.DEBUG_MODE, null);
            throw new AssertionError("the launch should have failed");
        } catch (org.eclipse.core.runtime.CoreException e) {
            assertTrue(e.getMessage().contains("no_such_function") && e.getMessage().contains("Debugger tab"), e.getMessage());
        }
        for (ILaunch l : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
            if (config.equals(l.getLaunchConfiguration())) {
                launch = l;
                Ui.waitFor("the failed launch to be terminated", Duration.ofSeconds(15), l::isTerminated);
            }
        }
        Ui.waitFor("no gdb or QEMU left", Duration.ofSeconds(15), () -> Kernel.childTools().isEmpty(),
                () -> "left: " + Kernel.childTools() + "; launches: " + Kernel.launches());
    }

    private static org.eclipse.ui.IWorkbenchPage page() {
        return org.eclipse.ui.PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
    }
}
