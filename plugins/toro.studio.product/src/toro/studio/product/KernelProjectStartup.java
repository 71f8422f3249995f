package toro.studio.product;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.ui.IStartup;

import toro.studio.core.KernelProjects;

/**
 * On start-up, makes the kernel tree named by the system property
 * {@value #KERNEL_SRC_PROPERTY} a project of the workspace, unless a project
 * already stands at that location. `toro studio` sets the property to the
 * repository's kernel-src/, so a fresh workspace opens with the kernel in it.
 */
public final class KernelProjectStartup implements IStartup {
	/** The system property naming the kernel tree to adopt. */
	public static final String KERNEL_SRC_PROPERTY = "toro.kernelSrc";

	@Override
	public void earlyStartup() {
		String dir = System.getProperty(KERNEL_SRC_PROPERTY);
		if (dir == null || dir.isBlank())
			return;
		Path location = Path.of(dir).toAbsolutePath().normalize();
		if (!Files.isRegularFile(location.resolve(KernelProjects.DESCRIPTOR))) {
			log(Status.warning("Not a Toro kernel tree (no " + KernelProjects.DESCRIPTOR + "): " + location
					+ ". Start Toro Studio with -D" + KERNEL_SRC_PROPERTY + "=<kernel tree>."));
			return;
		}
		Job job = Job.create("Opening the Toro kernel project", monitor -> {
			IWorkspaceRunnable adopt = m -> KernelProjects.adopt("kernel-src", location, m);
			try {
				ResourcesPlugin.getWorkspace().run(adopt, monitor);
			} catch (CoreException e) {
				return e.getStatus();
			}
			return Status.OK_STATUS;
		});
		job.setRule(ResourcesPlugin.getWorkspace().getRoot());
		job.schedule();
	}

	private static void log(IStatus status) {
		ILog.of(KernelProjectStartup.class).log(status);
	}

}
