package toro.studio.debug.sourcelookup;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.sourcelookup.ISourceContainer;
import org.eclipse.debug.core.sourcelookup.ISourcePathComputerDelegate;
import org.eclipse.debug.core.sourcelookup.containers.ProjectSourceContainer;

import toro.studio.launch.LaunchAttributes;

/** The default source path of a Toro debug launch: the kernel project it builds, with referenced projects. */
public final class ToroSourcePathComputer implements ISourcePathComputerDelegate {

    /** The id of this computer (declared in plugin.xml). */
    public static final String ID = "toro.studio.debug.sourcePathComputer";

    @Override
    public ISourceContainer[] computeSourceContainers(ILaunchConfiguration config, IProgressMonitor monitor)
            throws CoreException {
        String name = config.getAttribute(LaunchAttributes.PROJECT, "");
        if (name.isBlank()) {
            return new ISourceContainer[0];
        }
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(name);
        return project.exists() ? new ISourceContainer[] { new ProjectSourceContainer(project, true) }
                : new ISourceContainer[0];
    }
}
