package toro.studio.core;

import java.nio.file.Path;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
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
	 * Makes the kernel tree at {@code location} a workspace project and returns
	 * it: the project already there, or a new one named {@code name} (with a
	 * numeric suffix if the name is taken). Must run inside a workspace
	 * operation that holds the root rule.
	 */
	public static IProject adopt(String name, Path location, IProgressMonitor monitor) throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Adopting " + location, 2);
		IProject existing = find(location);
		if (existing != null)
			return existing;
		IWorkspace ws = ResourcesPlugin.getWorkspace();
		IProject project = ws.getRoot().getProject(name);
		for (int i = 2; project.exists(); i++)
			project = ws.getRoot().getProject(name + "-" + i);
		IProjectDescription desc = ws.newProjectDescription(project.getName());
		IPath path = IPath.fromPath(location.toAbsolutePath().normalize());
		if (!path.equals(ws.getRoot().getLocation().append(project.getName())))
			desc.setLocation(path);
		project.create(desc, sub.split(1));
		project.open(sub.split(1));
		return project;
	}
}
