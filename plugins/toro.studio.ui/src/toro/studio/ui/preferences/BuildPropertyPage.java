package toro.studio.ui.preferences;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.dialogs.PropertyPage;
import org.osgi.service.prefs.BackingStoreException;

import toro.studio.build.BuildDescriptor;
import toro.studio.build.BuildException;
import toro.studio.core.ProjectSettings;

/** Project > Properties > Toro Build: the build profile of the project (debug, release, ...). */
public final class BuildPropertyPage extends PropertyPage {
	private static final String DEFAULT = "(the descriptor's default)";
	private Combo profile;

	@Override
	protected Control createContents(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		c.setLayout(new GridLayout(2, false));
		new Label(c, SWT.NONE).setText("Build profile:");
		profile = new Combo(c, SWT.READ_ONLY);
		profile.add(DEFAULT);
		IProject project = project();
		try {
			BuildDescriptor d = BuildDescriptor.load(project.getLocation().toPath());
			d.profiles().forEach(profile::add);
			profile.setItem(0, "(default: " + d.defaultProfile() + ")");
		} catch (BuildException e) {
			setErrorMessage("toro.build cannot be read: " + e.getMessage());
		}
		String current = ProjectSettings.profile(project);
		int i = current == null ? 0 : profile.indexOf(current);
		profile.select(Math.max(0, i));
		return c;
	}

	private IProject project() {
		return Adapters.adapt(getElement(), IProject.class);
	}

	@Override
	public boolean performOk() {
		try {
			ProjectSettings.setProfile(project(), profile.getSelectionIndex() <= 0 ? null : profile.getText());
			return true;
		} catch (BackingStoreException e) {
			setErrorMessage("The profile could not be saved: " + e.getMessage());
			return false;
		}
	}
}
