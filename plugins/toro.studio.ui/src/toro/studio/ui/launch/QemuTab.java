package toro.studio.ui.launch;

import static toro.studio.launch.LaunchAttributes.*;

import java.util.Arrays;

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
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import toro.studio.qemu.Accel;
import toro.studio.qemu.Machine;
import toro.studio.qemu.QemuConfig;

/** The QEMU tab: machine, cores, memory, accelerator, kernel command line, extra arguments, "why did it die". */
public final class QemuTab extends AbstractLaunchConfigurationTab {
	private Combo machine;
	private Spinner cpus;
	private Spinner memory;
	private Combo accel;
	private Text append;
	private Text extra;
	private Button whyDidItDie;

	@Override
	public void createControl(Composite parent) {
		Composite c = new Composite(parent, SWT.NONE);
		c.setLayout(new GridLayout(2, false));
		machine = choice(c, "Machine:", Arrays.stream(Machine.values()).map(Enum::name).toArray(String[]::new));
		cpus = spinner(c, "Cores:", 1, QemuConfig.MAX_CPUS);
		memory = spinner(c, "Memory (MiB):", 16, 65536);
		accel = choice(c, "Accelerator:", Arrays.stream(Accel.values()).map(Enum::name).toArray(String[]::new));
		append = text(c, "Kernel command line:");
		append.setMessage("e.g. telemetry=10 idle=halt");
		extra = text(c, "Extra QEMU arguments:");
		whyDidItDie = new Button(c, SWT.CHECK);
		whyDidItDie.setText("Why did it die: log interrupts and CPU resets (-d int,cpu_reset)");
		whyDidItDie.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
		whyDidItDie.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
		setControl(c);
	}

	private Combo choice(Composite parent, String label, String[] items) {
		new Label(parent, SWT.NONE).setText(label);
		Combo combo = new Combo(parent, SWT.READ_ONLY);
		combo.setItems(items);
		combo.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
		return combo;
	}

	private Spinner spinner(Composite parent, String label, int min, int max) {
		new Label(parent, SWT.NONE).setText(label);
		Spinner s = new Spinner(parent, SWT.BORDER);
		s.setMinimum(min);
		s.setMaximum(max);
		s.addModifyListener(e -> updateLaunchConfigurationDialog());
		return s;
	}

	private Text text(Composite parent, String label) {
		new Label(parent, SWT.NONE).setText(label);
		Text t = new Text(parent, SWT.BORDER);
		t.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
		t.addModifyListener(e -> updateLaunchConfigurationDialog());
		return t;
	}

	@Override
	public void setDefaults(ILaunchConfigurationWorkingCopy config) {
		config.setAttribute(MACHINE, DEFAULT_MACHINE);
		config.setAttribute(CPUS, DEFAULT_CPUS);
		config.setAttribute(MEMORY, DEFAULT_MEMORY);
		config.setAttribute(ACCEL, DEFAULT_ACCEL);
	}

	@Override
	public void initializeFrom(ILaunchConfiguration config) {
		machine.setText(Attrs.get(config, MACHINE, DEFAULT_MACHINE));
		cpus.setSelection(Attrs.get(config, CPUS, DEFAULT_CPUS));
		memory.setSelection(Attrs.get(config, MEMORY, DEFAULT_MEMORY));
		accel.setText(Attrs.get(config, ACCEL, DEFAULT_ACCEL));
		append.setText(Attrs.get(config, APPEND, ""));
		extra.setText(Attrs.get(config, EXTRA_ARGS, ""));
		whyDidItDie.setSelection(Attrs.get(config, WHY_DID_IT_DIE, false));
	}

	@Override
	public void performApply(ILaunchConfigurationWorkingCopy config) {
		config.setAttribute(MACHINE, machine.getText());
		config.setAttribute(CPUS, cpus.getSelection());
		config.setAttribute(MEMORY, memory.getSelection());
		config.setAttribute(ACCEL, accel.getText());
		config.setAttribute(APPEND, append.getText().trim());
		config.setAttribute(EXTRA_ARGS, extra.getText().trim());
		config.setAttribute(WHY_DID_IT_DIE, whyDidItDie.getSelection());
	}

	@Override
	public String getName() {
		return "QEMU";
	}
}
