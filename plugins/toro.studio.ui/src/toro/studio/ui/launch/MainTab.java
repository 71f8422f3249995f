package toro.studio.ui.launch;

import static toro.studio.launch.LaunchAttributes.*;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import toro.studio.build.BuildDescriptor;
import toro.studio.build.BuildException;
import toro.studio.core.ToroNature;

/** The Main tab: which project, target and profile to boot, and whether to build first. */
public final class MainTab extends AbstractLaunchConfigurationTab {
	private Combo project;
	private Combo target;
	private Combo profile;
	private Button build;

	@Override
	public void createControl(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		c.setLayout(new GridLayout(2, false));
		project = combo(c, "Project:");
		for (IProject p : ResourcesPlugin.getWorkspace().getRoot().getProjects()) {
			if (ToroNature.has(p))
				project.add(p.getName());
		}
		project.addModifyListener(e -> {
			fillChoices();
			updateLaunchConfigurationDialog();
		});
		target = combo(c, "Target:");
		profile = combo(c, "Profile:");
		build = new Button(c, SWT.CHECK);
		build.setText("Build before launch");
		build.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
		build.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
		setControl(c);
	}

	private Combo combo(Composite parent, String label) {
		new Label(parent, SWT.NONE).setText(label);
		Combo combo = new Combo(parent, SWT.DROP_DOWN);
		combo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		combo.addModifyListener(e -> updateLaunchConfigurationDialog());
		return combo;
	}

	/** Offers the targets and profiles of the chosen project's descriptor ("" = its default). */
	private void fillChoices() {
		List<String> targets = new ArrayList<>(), profiles = new ArrayList<>();
		IProject p = selectedProject();
		if (p != null && p.getLocation() != null) {
			try {
				BuildDescriptor d = BuildDescriptor.load(p.getLocation().toPath());
				targets.addAll(d.targets());
				profiles.addAll(d.profiles());
			} catch (BuildException e) {
				setErrorMessage("The project's toro.build cannot be read: " + e.getMessage());
			}
		}
		refill(target, targets);
		refill(profile, profiles);
	}

	private static void refill(Combo combo, List<String> items) {
		String text = combo.getText();
		combo.removeAll();
		combo.add("");
		items.forEach(combo::add);
		combo.setText(text);
	}

	private IProject selectedProject() {
		String name = project.getText().trim();
		return name.isEmpty() ? null : ResourcesPlugin.getWorkspace().getRoot().getProject(name);
	}

	@Override
	public void setDefaults(ILaunchConfigurationWorkingCopy config) {
		config.setAttribute(BUILD_FIRST, true);
	}

	@Override
	public void initializeFrom(ILaunchConfiguration config) {
		project.setText(Attrs.get(config, PROJECT, ""));
		fillChoices();
		target.setText(Attrs.get(config, TARGET, ""));
		profile.setText(Attrs.get(config, PROFILE, ""));
		build.setSelection(Attrs.get(config, BUILD_FIRST, true));
	}

	@Override
	public void performApply(ILaunchConfigurationWorkingCopy config) {
		config.setAttribute(PROJECT, project.getText().trim());
		config.setAttribute(TARGET, target.getText().trim());
		config.setAttribute(PROFILE, profile.getText().trim());
		config.setAttribute(BUILD_FIRST, build.getSelection());
	}

	@Override
	public boolean isValid(ILaunchConfiguration config) {
		setErrorMessage(null);
		IProject p = selectedProject();
		if (p == null) {
			setErrorMessage("Choose the Toro kernel project to launch.");
			return false;
		}
		if (!ToroNature.has(p)) {
			setErrorMessage(p.getName() + " is not an open Toro kernel project.");
			return false;
		}
		return true;
	}

	@Override
	public String getName() {
		return "Main";
	}
}
