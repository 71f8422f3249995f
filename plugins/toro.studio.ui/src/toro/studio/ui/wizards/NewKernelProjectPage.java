package toro.studio.ui.wizards;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

import toro.studio.core.KernelProjects;
import toro.studio.core.KernelSources;

/** The page of the new-project wizard: a name, and the bundled sources or an existing tree. */
public final class NewKernelProjectPage extends WizardPage {
	private Text name;
	private Button bundled;
	private Button adopt;
	private Text tree;
	private Button browse;

	NewKernelProjectPage() {
		super("kernelProject");
		setTitle("Toro Kernel Project");
		setDescription("Start from the kernel sources bundled with Toro Studio, or adopt an existing kernel tree.");
	}

	@Override
	public void createControl(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		c.setLayout(new GridLayout(3, false));
		new Label(c, SWT.NONE).setText("Project name:");
		name = new Text(c, SWT.BORDER);
		name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
		name.setText("toro");
		bundled = new Button(c, SWT.RADIO);
		bundled.setText("Copy the kernel sources bundled with Toro Studio into the workspace");
		bundled.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
		bundled.setSelection(true);
		adopt = new Button(c, SWT.RADIO);
		adopt.setText("Adopt an existing kernel tree (a directory holding toro.build):");
		adopt.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
		new Label(c, SWT.NONE).setText("Directory:");
		tree = new Text(c, SWT.BORDER);
		tree.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		browse = new Button(c, SWT.PUSH);
		browse.setText("Browse...");
		browse.addListener(SWT.Selection, e -> {
			String dir = new DirectoryDialog(getShell()).open();
			if (dir != null)
				tree.setText(dir);
		});
		name.addModifyListener(e -> validate());
		tree.addModifyListener(e -> validate());
		adopt.addListener(SWT.Selection, e -> validate());
		setControl(c);
		validate();
	}

	/** Fills the page in: {@code existing} null means the bundled sources. */
	public void fill(String projectName, Path existing) {
		name.setText(projectName);
		adopt.setSelection(existing != null);
		bundled.setSelection(existing == null);
		tree.setText(existing == null ? "" : existing.toString());
		validate();
	}

	String projectName() {
		return name.getText().trim();
	}

	/** The tree to adopt, or null to copy the bundled sources. */
	Path existingTree() {
		return adopt.getSelection() ? Path.of(tree.getText().trim()).toAbsolutePath().normalize() : null;
	}

	/** Checks the inputs; the message says what to fix. */
	private void validate() {
		tree.setEnabled(adopt.getSelection());
		browse.setEnabled(adopt.getSelection());
		setPageComplete(false);
		IStatus ok = ResourcesPlugin.getWorkspace().validateName(projectName(), IResource.PROJECT);
		if (!ok.isOK()) {
			setErrorMessage(ok.getMessage());
			return;
		}
		if (ResourcesPlugin.getWorkspace().getRoot().getProject(projectName()).exists()) {
			setErrorMessage("A project named " + projectName() + " already exists.");
			return;
		}
		if (adopt.getSelection()) {
			if (tree.getText().isBlank()) {
				setErrorMessage("Enter the directory of the kernel tree to adopt.");
				return;
			}
			if (!Files.isRegularFile(existingTree().resolve(KernelProjects.DESCRIPTOR))) {
				setErrorMessage(existingTree() + " has no " + KernelProjects.DESCRIPTOR + ": choose the root of a kernel tree.");
				return;
			}
		} else {
			try {
				KernelSources.bundled();
			} catch (org.eclipse.core.runtime.CoreException e) {
				setErrorMessage(e.getMessage());
				return;
			}
		}
		setErrorMessage(null);
		setPageComplete(true);
	}
}
