package toro.studio.ui.launch;

import static toro.studio.launch.LaunchAttributes.*;

import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import toro.studio.launch.LaunchSettings;
import toro.studio.qemu.Accel;
import toro.studio.qemu.Machine;
import toro.studio.qemu.NetBackend;
import toro.studio.qemu.QemuConfig;

/**
 * The QEMU tab: machine, cores, memory, accelerator, kernel command line, extra arguments, "why did it
 * die", and the Network group (backend, tap device name, port forwards bound to 127.0.0.1).
 */
public final class QemuTab extends AbstractLaunchConfigurationTab {
	/** The backends a launch offers: udp is a wire for tools and tests to carry, with nothing to set here. */
	private static final String[] BACKENDS = Arrays.stream(NetBackend.values()).filter(b -> b != NetBackend.UDP).map(Enum::name)
			.toArray(String[]::new);
	private Combo machine;
	private Spinner cpus;
	private Spinner memory;
	private Combo accel;
	private Text append;
	private Text extra;
	private Button whyDidItDie;
	private Combo backend;
	private Text tap;
	private ForwardsTable forwards;

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
		network(c);
		setControl(c);
	}

	/** The Network group: backend, tap name (tap only), forwards (user only). */
	private void network(Composite parent) {
		Group g = new Group(parent, SWT.NONE);
		g.setText("Network");
		g.setLayout(new GridLayout(2, false));
		g.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
		backend = choice(g, "Backend:", BACKENDS);
		backend.setToolTipText("NONE: no network device; USER: QEMU user networking (guest 10.0.2.15), reached through the forwards;"
				+ " TAP: a tap device you created beforehand");
		backend.addListener(SWT.Selection, e -> enableNetwork());
		tap = text(g, "Tap device:");
		tap.setMessage("an existing tap device, e.g. in a network namespace of its own");
		Label l = new Label(g, SWT.NONE);
		l.setText("Port forwards (user networking; host side always 127.0.0.1, host port 0 picks a free one):");
		l.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 2, 1));
		forwards = new ForwardsTable(g, this::updateLaunchConfigurationDialog);
	}

	/** Enables the tap device's name for TAP only, and the forwards for USER only. */
	private void enableNetwork() {
		tap.setEnabled(NetBackend.TAP.name().equals(backend.getText()));
		forwards.setEnabled(NetBackend.USER.name().equals(backend.getText()));
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
		config.setAttribute(NET_BACKEND, DEFAULT_NET_BACKEND);
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
		backend.setText(Attrs.get(config, NET_BACKEND, DEFAULT_NET_BACKEND));
		tap.setText(Attrs.get(config, NET_TAP, ""));
		forwards.set(Attrs.get(config, NET_FORWARDS, List.of()));
		enableNetwork();
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
		config.setAttribute(NET_BACKEND, backend.getText());
		config.setAttribute(NET_TAP, tap.getText().trim());
		config.setAttribute(NET_FORWARDS, forwards.get());
	}

	/** Valid when the network attributes make a network; the message says what to change. */
	@Override
	public boolean isValid(ILaunchConfiguration config) {
		try {
			LaunchSettings.network(config);
			setErrorMessage(null);
			return true;
		} catch (CoreException e) {
			setErrorMessage(e.getStatus().getMessage());
			return false;
		}
	}

	@Override
	public String getName() {
		return "QEMU";
	}
}
