package toro.studio.ui.launch;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import toro.studio.launch.StressRun;

/**
 * Asks how to stress a forwarded port: for how many seconds, with how many
 * connections, and which path. The values are bounded by the spinners, and
 * the path must start with '/', so OK always yields a valid {@link StressRun.Plan}.
 */
final class StressDialog extends Dialog {
	private final String url;
	private Spinner seconds, connections;
	private Text path;
	private Label problem;
	private StressRun.Plan plan;

	StressDialog(Shell parent, String url) {
		super(parent);
		this.url = url;
	}

	/** The plan the user accepted, or null before OK. */
	StressRun.Plan plan() {
		return plan;
	}

	@Override
	protected void configureShell(Shell shell) {
		super.configureShell(shell);
		shell.setText("Stress " + url);
	}

	@Override
	protected Control createDialogArea(Composite parent) {
		Composite c = (Composite) super.createDialogArea(parent);
		c.setLayout(new GridLayout(2, false));
		Label intro = new Label(c, SWT.WRAP);
		intro.setText("Runs wrk against " + url + " and shades the stress window on the Idle view's chart,\n"
				+ "so that the host CPU's rise under load and its fall after it show side by side.");
		intro.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
		seconds = spinner(c, "Seconds:", StressRun.Plan.DEFAULT_SECONDS, 1, StressRun.Plan.MAX_SECONDS);
		connections = spinner(c, "Connections:", StressRun.Plan.DEFAULT_CONNECTIONS, 1, StressRun.Plan.MAX_CONNECTIONS);
		new Label(c, SWT.NONE).setText("Path:");
		path = new Text(c, SWT.BORDER);
		path.setText("/");
		path.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		path.addModifyListener(e -> validate());
		problem = new Label(c, SWT.NONE);
		problem.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
		return c;
	}

	private static Spinner spinner(Composite c, String label, int value, int min, int max) {
		new Label(c, SWT.NONE).setText(label);
		Spinner s = new Spinner(c, SWT.BORDER);
		s.setValues(value, min, max, 0, 1, 10);
		return s;
	}

	/** Enables OK only for a path that starts with '/', and says why otherwise. */
	private void validate() {
		String why = StressRun.Plan.pathProblem(path.getText());
		problem.setText(why == null ? "" : why);
		if (getButton(IDialogConstants.OK_ID) != null)
			getButton(IDialogConstants.OK_ID).setEnabled(why == null);
	}

	@Override
	protected void okPressed() {
		plan = new StressRun.Plan(seconds.getSelection(), connections.getSelection(), path.getText());
		super.okPressed();
	}
}
