package toro.studio.core;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;

/** Finding and creating Toro kernel projects in the workspace. */
public final class KernelProjects {
	/** The build descriptor that marks the root of a kernel tree. */
	public static final String DESCRIPTOR = "toro.build";

	private KernelProjects() {
	}

	/**
	 * Returns the open project whose location is {@code location}, or null.
	 */
	public static IProject find(Path location) {
		IPath wanted = IPath.fromPath(location.toAbsolutePath().normalize());
		for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
			if (p.isOpen() && wanted.equals(p.getLocation()))
				return p;
		}
		return null;
	}

	/**
	 * Makes the kernel tree at {@code location} a Toro kernel project and
	 * returns it: the project already there (given the Toro nature if it lacked
	 * it), or a new one named {@code name} (with a numeric suffix if the name is
	 * taken). Must run inside a workspace operation that holds the root rule.
	 */
	public static IProject adopt(String name, Path location, IProgressMonitor monitor) throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Adopting " + location, 3);
		IProject project = find(location);
		if (project == null) {
			IWorkspace ws = ResourcesPlugin.getWorkspace();
			project = ws.getRoot().getProject(name);
			for (int i = 2; project.exists(); i++)
				project = ws.getRoot().getProject(name + "-" + i);
			IProjectDescription desc = ws.newProjectDescription(project.getName());
			IPath path = IPath.fromPath(location.toAbsolutePath().normalize());
			if (!path.equals(ws.getRoot().getLocation().append(project.getName())))
				desc.setLocation(path);
			project.create(desc, sub.split(1));
			project.open(sub.split(1));
		}
		addNature(project, sub.split(1));
		return project;
	}

	/**
	 * Creates the project {@code name} in the workspace's default location
	 * from a copy of the kernel sources bundled with Toro Studio
	 * ({@link KernelSources#bundled()}). Must run inside a workspace operation
	 * that holds the root rule.
	 */
	public static IProject createFromBundled(String name, IProgressMonitor monitor) throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Creating " + name, 2);
		IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
		if (project.exists())
			throw new CoreException(Status.error("A project named " + name + " already exists; choose another name."));
		Path location = ResourcesPlugin.getWorkspace().getRoot().getLocation().append(name).toPath();
		try {
			sub.subTask("Copying the kernel sources");
			KernelSources.copy(KernelSources.bundled(), location);
		} catch (IOException e) {
			throw new CoreException(Status.error("Copying the kernel sources failed: " + e.getMessage(), e));
		}
		sub.worked(1);
		return adopt(name, location, sub.split(1));
	}

	/** Gives {@code project} the Toro nature (and so its builder) unless it has it. */
	public static void addNature(IProject project, IProgressMonitor monitor) throws CoreException {
		if (project.hasNature(ToroNature.ID))
			return;
		IProjectDescription desc = project.getDescription();
		String[] ids = desc.getNatureIds();
		String[] next = new String[ids.length + 1];
		System.arraycopy(ids, 0, next, 0, ids.length);
		next[ids.length] = ToroNature.ID;
		desc.setNatureIds(next);
		project.setDescription(desc, monitor);
	}
}
