package toro.studio.core;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.runtime.CoreException;

/**
 * The Toro kernel project nature: a project whose root holds a toro.build
 * descriptor. Configuring it installs the {@link ToroBuilder}.
 */
public final class ToroNature implements IProjectNature {
	/** The nature's id. */
	public static final String ID = "toro.studio.core.nature";

	private IProject project;

	/** Adds the Toro builder to the project's build spec unless it is there already. */
	@Override
	public void configure() throws CoreException {
		IProjectDescription desc = project.getDescription();
		ICommand[] commands = desc.getBuildSpec();
		for (ICommand c : commands) {
			if (ToroBuilder.ID.equals(c.getBuilderName()))
				return;
		}
		ICommand build = desc.newCommand();
		build.setBuilderName(ToroBuilder.ID);
		ICommand[] next = new ICommand[commands.length + 1];
		System.arraycopy(commands, 0, next, 0, commands.length);
		next[commands.length] = build;
		desc.setBuildSpec(next);
		project.setDescription(desc, null);
	}

	/** Removes the Toro builder from the project's build spec. */
	@Override
	public void deconfigure() throws CoreException {
		IProjectDescription desc = project.getDescription();
		desc.setBuildSpec(java.util.Arrays.stream(desc.getBuildSpec())
				.filter(c -> !ToroBuilder.ID.equals(c.getBuilderName())).toArray(ICommand[]::new));
		project.setDescription(desc, null);
	}

	@Override
	public IProject getProject() {
		return project;
	}

	@Override
	public void setProject(IProject project) {
		this.project = project;
	}

	/** True when {@code project} is open and has the Toro nature. */
	public static boolean has(IProject project) {
		try {
			return project.isOpen() && project.hasNature(ID);
		} catch (CoreException e) {
			return false;
		}
	}
}
