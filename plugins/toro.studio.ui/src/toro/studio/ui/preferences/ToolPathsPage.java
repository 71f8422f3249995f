package toro.studio.ui.preferences;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.osgi.service.prefs.BackingStoreException;

import toro.studio.core.ToolPaths;

/**
 * Preferences > Toro Tools: the paths of nasm, gcc, ld, qemu and gdb. Each is
 * detected on the PATH when left empty (the detected path is shown), and
 * every entry is checked as it is typed.
 */
public final class ToolPathsPage extends PreferencePage implements IWorkbenchPreferencePage {
	private final Map<String, Text> fields = new LinkedHashMap<>();

	@Override
	public void init(IWorkbench workbench) {
		setDescription("Leave a path empty to use the program found on the PATH.");
	}

	@Override
	protected Control createContents(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		c.setLayout(new GridLayout(2, false));
		for (String tool : ToolPaths.TOOLS) {
			new Label(c, SWT.NONE).setText(tool + ":");
			Text t = new Text(c, SWT.BORDER);
			t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
			t.setText(ToolPaths.configured(tool));
			Path found = ToolPaths.detect(tool);
			t.setMessage(found == null ? ToolPaths.programOf(tool) + " not found on the PATH" : "detected: " + found);
			t.addModifyListener(e -> validate());
			fields.put(tool, t);
		}
		validate();
		return c;
	}

	/** Shows the first problem among the entries; the page is valid when there is none. */
	private void validate() {
		for (Map.Entry<String, Text> f : fields.entrySet()) {
			String problem = ToolPaths.validate(f.getKey(), f.getValue().getText());
			if (problem != null) {
				setErrorMessage(problem);
				setValid(!f.getValue().getText().isBlank());
				return;
			}
		}
		setErrorMessage(null);
		setValid(true);
	}

	@Override
	protected void performDefaults() {
		fields.values().forEach(t -> t.setText(""));
		super.performDefaults();
	}

	@Override
	public boolean performOk() {
		try {
			for (Map.Entry<String, Text> f : fields.entrySet())
				ToolPaths.configure(f.getKey(), f.getValue().getText());
			return true;
		} catch (BackingStoreException e) {
			setErrorMessage("The tool paths could not be saved: " + e.getMessage());
			return false;
		}
	}
}
