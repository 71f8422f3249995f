package toro.studio.debug.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.ui.PlatformUI;

import toro.studio.core.KernelProjects;
import toro.studio.core.ToroBuilder;
import toro.studio.debug.launch.DebugAttributes;
import toro.studio.launch.LaunchAttributes;

/** The real kernel tree of the checkout as a workspace project, and debug configurations on it. */
final class Kernel {
    private Kernel() {
    }

    /**
     * Prepares the workbench for unattended debugging: the Debug perspective opens on launch and on suspend
     * without asking, and the window fills the screen (for screenshots).
     */
    static void prepareWorkbench() {
        var prefs = InstanceScope.INSTANCE.getNode("org.eclipse.debug.ui");
        prefs.put("org.eclipse.debug.ui.switch_perspective_on_suspend", "always");
        prefs.put("org.eclipse.debug.ui.switch_to_perspective", "always");
        prefs.putBoolean("DEBUG.consoleOpenOnOut", false); // QEMU's output must not cover the views shot
        prefs.putBoolean("DEBUG.consoleOpenOnErr", false);
        PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().setBounds(0, 0, 1280, 1024);
    }

    /** Returns the checkout's kernel-src/ (from the toro.root system property that the build passes). */
    static Path tree() {
        return Path.of(System.getProperty("toro.root", "../..")).toAbsolutePath().normalize().resolve("kernel-src");
    }

    /**
     * Returns a copy of the kernel tree (without its build outputs) as a Toro project, built with the debug
     * profile; made once per test run, in a temporary directory, so the checkout gets no project files.
     */
    static synchronized IProject project() throws CoreException, IOException {
        if (copy == null) {
            copy = Files.createTempDirectory("toro-debug-tests-");
            copyTree(tree(), copy.resolve("kernel-src"));
            Path made = copy;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
        }
        IProject[] made = new IProject[1];
        ResourcesPlugin.getWorkspace().run(m -> made[0] = KernelProjects.adopt("toro-kernel", copy.resolve("kernel-src"), m),
                ResourcesPlugin.getWorkspace().getRoot(), 0, new NullProgressMonitor());
        made[0].build(IncrementalProjectBuilder.INCREMENTAL_BUILD, ToroBuilder.ID,
                Map.of(ToroBuilder.PROFILE, "debug"), new NullProgressMonitor());
        // a launch waits for the workspace's auto-build: let it finish so that timings measure the launch
        Ui.waitFor("the workspace's auto-build", java.time.Duration.ofSeconds(300),
                () -> Job.getJobManager().find(ResourcesPlugin.FAMILY_AUTO_BUILD).length == 0);
        return made[0];
    }

    private static Path copy;

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = from.relativize(p);
                if (rel.startsWith("build") || rel.startsWith(".project") || rel.startsWith(".settings")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    /** Returns a debug configuration of the default target, debug profile, 2 vCPUs, stopping at kmain. */
    static ILaunchConfigurationWorkingCopy config(IProject project, String name) throws CoreException {
        ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = manager.getLaunchConfigurationType(LaunchAttributes.TYPE_ID);
        ILaunchConfigurationWorkingCopy wc = type.newInstance(null, name);
        wc.setAttribute(LaunchAttributes.PROJECT, project.getName());
        wc.setAttribute(LaunchAttributes.PROFILE, "debug");
        wc.setAttribute(LaunchAttributes.CPUS, 2);
        wc.setAttribute(LaunchAttributes.ACCEL, "TCG");
        wc.setAttribute(DebugAttributes.STOP_AT, DebugAttributes.DEFAULT_STOP_AT);
        return wc;
    }

    /** Returns the gdb and QEMU processes this test JVM started that are still alive, as "pid command". */
    static List<String> childTools() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(p.info().command().orElse("?")))
                .filter(c -> c.contains("qemu") || c.contains("gdb")).toList();
    }

    /** Describes every launch of the workbench (configuration, terminated or not), for failure messages. */
    static String launches() {
        StringBuilder b = new StringBuilder();
        for (var l : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
            b.append(l.getLaunchConfiguration() == null ? "?" : l.getLaunchConfiguration().getName())
                    .append(l.isTerminated() ? " (terminated) " : " (live) ");
        }
        return b.toString();
    }

    /** Returns the 1-based line of the first line of file that contains text; fails if none does. */
    static int lineOf(IFile file, String text) {
        try {
            List<String> lines = Files.readAllLines(file.getLocation().toPath());
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            fail("cannot read " + file + ": " + e);
        }
        fail(file + " has no line containing " + text);
        return -1;
    }
}
