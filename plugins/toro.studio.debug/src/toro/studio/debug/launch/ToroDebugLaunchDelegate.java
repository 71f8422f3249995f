package toro.studio.debug.launch;

import java.time.Duration;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;

import toro.studio.debug.ToroDebug;
import toro.studio.debug.model.ToroDebugTarget;
import toro.studio.debug.sourcelookup.ToroSourceLookupDirector;
import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.MiError;
import toro.studio.gdbmi.QemuDebugSession;
import toro.studio.launch.QemuLaunch;

/**
 * Debug mode of "Toro Kernel (QEMU)": builds and boots the kernel like run mode but with QEMU halted and its
 * gdb stub on a Unix socket in the run's private directory, starts gdb on the image through the gdbmi library, connects, installs the
 * workspace's breakpoints and a temporary one at the stop symbol (kmain by default), and resumes. The
 * target appears in the Debug view and suspends at the stop symbol with its source shown.
 */
public final class ToroDebugLaunchDelegate extends LaunchConfigurationDelegate {

    /** Creates the launch with a Toro source lookup director that finds the kernel's sources. */
    @Override
    public ILaunch getLaunch(ILaunchConfiguration config, String mode) throws CoreException {
        return ToroSourceLookupDirector.newLaunch(config, mode);
    }

    /** No workspace-wide build: the launch builds just its own target. */
    @Override
    public boolean buildForLaunch(ILaunchConfiguration config, String mode, IProgressMonitor monitor) {
        return false;
    }

    @Override
    public void launch(ILaunchConfiguration config, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, "Debugging " + config.getName(), 10);
        DebugSettings debug = DebugSettings.of(config);
        QemuLaunch qemu = QemuLaunch.start(config, launch, true, sub.split(6));
        long booted = System.nanoTime();
        GdbSession gdb = null;
        ToroDebugTarget target = null;
        try {
            sub.subTask("Starting gdb on " + qemu.image().getFileName());
            gdb = GdbSession.start(debug.gdb(), qemu.image());
            for (String command : debug.initCommands()) {
                gdb.console(command);
            }
            long started = System.nanoTime();
            sub.subTask("Connecting gdb to QEMU's stub on " + qemu.qemu().gdbStub());
            // Under KVM breakpoints go into the debug registers (see GdbSession.breakpointsInDebugRegisters).
            // The session owns both processes from here on, and ends them (QEMU first) if attaching fails.
            QemuDebugSession session = QemuDebugSession.attach(qemu.qemu(), gdb, debug.timeout(), false);
            long connected = System.nanoTime();
            sub.worked(2);
            target = new ToroDebugTarget(launch, session, qemu, config.getName());
            launch.addDebugTarget(target);
            target.start();
            if (debug.stopAt() != null) {
                stopAt(session.gdb(), debug);
                target.resume();
            }
            target.consoleOutput(String.format(java.util.Locale.ROOT,
                    "[debug session up in %d ms: build and QEMU %d ms, gdb %d ms, connect %d ms, breakpoints %d ms]%n",
                    ms(qemu.startNanos(), System.nanoTime()), ms(qemu.startNanos(), booted), ms(booted, started),
                    ms(started, connected), ms(connected, System.nanoTime())));
            sub.worked(2);
        } catch (CoreException | RuntimeException e) {
            if (target != null) {
                target.terminate();
            } else {
                if (gdb != null) {
                    gdb.close();
                }
                qemu.stop(Duration.ofSeconds(5));
            }
            throw e instanceof CoreException c ? c
                    : ToroDebug.failure("The debug session did not start: " + e.getMessage(), e);
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** Inserts the temporary breakpoint at the stop symbol; an unknown symbol fails with what to change. */
    private static void stopAt(GdbSession gdb, DebugSettings debug) throws CoreException {
        try {
            gdb.insertBreakpoint(new BreakpointSpec(debug.stopAt(), debug.hardware(), true, null));
        } catch (MiError e) {
            throw ToroDebug.failure("Cannot stop at '" + debug.stopAt() + "': " + e.gdbMessage()
                    + " Enter a function of the kernel (or nothing) in 'Stop at' on the Debugger tab.", e);
        }
    }
}
