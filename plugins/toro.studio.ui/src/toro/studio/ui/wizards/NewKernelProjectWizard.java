package toro.studio.ui.wizards;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.wizard.Wizard;
import org.eclipse.ui.INewWizard;
import org.eclipse.ui.IWorkbench;

import toro.studio.core.KernelProjects;

/**
 * New > Toro Kernel Project: a project holding a copy of the kernel sources
 * bundled with Toro Studio, or a project over an existing kernel tree
 * (adopted in place). Either way the project gets the Toro nature and builder.
 */
public final class NewKernelProjectWizard extends Wizard implements INewWizard {
	/** The wizard's id. */
	public static final String ID = "toro.studio.ui.wizards.newKernelProject";

	private final NewKernelProjectPage page = new NewKernelProjectPage();
	private IProject created;

	public NewKernelProjectWizard() {
		setWindowTitle("New Toro Kernel Project");
		setNeedsProgressMonitor(true);
	}

	@Override
	public void init(IWorkbench workbench, IStructuredSelection selection) {
	}

	@Override
	public void addPages() {
		addPage(page);
	}

	/** The wizard's page, so callers (and tests) can fill it in. */
	public NewKernelProjectPage page() {
		return page;
	}

	/** The project made by the last finish, or null. */
	public IProject created() {
		return created;
	}

	@Override
	public boolean performFinish() {
		String name = page.projectName();
		Path existing = page.existingTree();
		IWorkspaceRunnable op = monitor -> created = existing == null ? KernelProjects.createFromBundled(name, monitor)
				: KernelProjects.adopt(name, existing, monitor);
		try {
			getContainer().run(true, false, monitor -> {
				try {
					ResourcesPlugin.getWorkspace().run(op, ResourcesPlugin.getWorkspace().getRoot(), 0, monitor);
				} catch (CoreException e) {
					throw new InvocationTargetException(e);
				}
			});
			return true;
		} catch (InvocationTargetException e) {
			CoreException ce = e.getCause() instanceof CoreException c ? c : null;
			if (ce != null)
				ErrorDialog.openError(getShell(), "New Toro Kernel Project", "The project could not be created.", ce.getStatus());
			else
				page.setErrorMessage("The project could not be created: " + e.getCause());
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
