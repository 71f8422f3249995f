package toro.studio.ui.launch;

import static toro.studio.launch.LaunchAttributes.*;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.ILaunchShortcut;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.PlatformUI;

/**
 * Run As > Toro Kernel, on a Toro project (boots its default target, built
 * first) or on a kernel image (.elf, booted as it is). Reuses the launch
 * configuration made earlier for the same project and image.
 */
public final class KernelLaunchShortcut implements ILaunchShortcut {
	@Override
	public void launch(ISelection selection, String mode) {
		if (selection instanceof IStructuredSelection s && !s.isEmpty())
			launch(Adapters.adapt(s.getFirstElement(), IResource.class), mode);
	}

	@Override
	public void launch(IEditorPart editor, String mode) {
		launch(Adapters.adapt(editor.getEditorInput(), IResource.class), mode);
	}

	private static void launch(IResource resource, String mode) {
		if (resource == null)
			return;
		try {
			DebugUITools.launch(configurationFor(resource), mode);
		} catch (CoreException e) {
			ErrorDialog.openError(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "Toro Kernel",
					"Cannot create a launch configuration for " + resource.getFullPath(), e.getStatus());
		}
	}

	/**
	 * The configuration for {@code resource}: for an .elf file one that boots
	 * it, otherwise one that builds and boots the project's default target.
	 */
	public static ILaunchConfiguration configurationFor(IResource resource) throws CoreException {
		IProject project = resource.getProject();
		String image = resource instanceof IFile f && "elf".equals(f.getFileExtension()) ? f.getFullPath().toString() : "";
		ILaunchManager manager = DebugPlugin.getDefault().getLaunchManager();
		ILaunchConfigurationType type = manager.getLaunchConfigurationType(TYPE_ID);
		for (ILaunchConfiguration c : manager.getLaunchConfigurations(type)) {
			if (project.getName().equals(c.getAttribute(PROJECT, "")) && image.equals(c.getAttribute(IMAGE, "")))
				return c;
		}
		String name = manager.generateLaunchConfigurationName(image.isEmpty() ? project.getName() : resource.getName());
		ILaunchConfigurationWorkingCopy wc = type.newInstance(null, name);
		wc.setAttribute(PROJECT, project.getName());
		wc.setAttribute(IMAGE, image);
		wc.setAttribute(BUILD_FIRST, image.isEmpty());
		wc.setAttribute(MACHINE, DEFAULT_MACHINE);
		wc.setAttribute(CPUS, DEFAULT_CPUS);
		wc.setAttribute(MEMORY, DEFAULT_MEMORY);
		wc.setAttribute(ACCEL, DEFAULT_ACCEL);
		wc.setMappedResources(new IResource[] { resource });
		return wc.doSave();
	}
}
