package toro.studio.debug.ui.launch;

import java.io.File;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import toro.studio.debug.launch.DebugAttributes;

/**
 * The Debugger tab of "Toro Kernel (QEMU)", used in debug mode: the gdb to run, the symbol to stop at once
 * the kernel boots (kmain), a hardware breakpoint for it (early boot code under KVM), gdb commands to run
 * before connecting, and how long to wait for QEMU's stub.
 */
public final class DebuggerTab extends AbstractLaunchConfigurationTab {

    private Text gdb;
    private Text stopAt;
    private Button hardware;
    private Text init;
    private Spinner timeout;

    @Override
    public void createControl(Composite parent) {
        Composite c = new Composite(parent, SWT.NONE);
        c.setLayout(new GridLayout(3, false));
        setControl(c);

        label(c, "gdb:");
        gdb = new Text(c, SWT.BORDER);
        gdb.setMessage("gdb from the Toro Tools preferences, else from the PATH");
        gdb.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        gdb.addModifyListener(e -> changed());
        Button browse = createPushButton(c, "Browse...", null);
        browse.addListener(SWT.Selection, e -> {
            FileDialog d = new FileDialog(getShell(), SWT.OPEN);
            d.setFilterPath("/usr/bin");
            String chosen = d.open();
            if (chosen != null) {
                gdb.setText(chosen);
            }
        });

        label(c, "Stop at:");
        stopAt = new Text(c, SWT.BORDER);
        stopAt.setMessage("empty: run until a breakpoint");
        stopAt.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        stopAt.addModifyListener(e -> changed());

        new Label(c, SWT.NONE);
        hardware = new Button(c, SWT.CHECK);
        hardware.setText("Use a hardware breakpoint for it (early boot code; needed under KVM before paging)");
        hardware.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        hardware.addListener(SWT.Selection, e -> changed());

        label(c, "Connection timeout (s):");
        timeout = new Spinner(c, SWT.BORDER);
        timeout.setValues(DebugAttributes.DEFAULT_TIMEOUT, 1, 600, 0, 1, 10);
        timeout.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false, 2, 1));
        timeout.addModifyListener(e -> changed());

        Label l = label(c, "Initialisation commands (gdb CLI, one per line, run before connecting):");
        l.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        init = new Text(c, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
        GridData g = new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1);
        g.heightHint = 80;
        init.setLayoutData(g);
        init.addModifyListener(e -> changed());
    }

    private static Label label(Composite c, String text) {
        Label l = new Label(c, SWT.NONE);
        l.setText(text);
        return l;
    }

    private void changed() {
        setDirty(true);
        updateLaunchConfigurationDialog();
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy config) {
        config.setAttribute(DebugAttributes.GDB, "");
        config.setAttribute(DebugAttributes.STOP_AT, DebugAttributes.DEFAULT_STOP_AT);
        config.setAttribute(DebugAttributes.HARDWARE, false);
        config.setAttribute(DebugAttributes.INIT_COMMANDS, "");
        config.setAttribute(DebugAttributes.TIMEOUT, DebugAttributes.DEFAULT_TIMEOUT);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration config) {
        try {
            gdb.setText(config.getAttribute(DebugAttributes.GDB, ""));
            stopAt.setText(config.getAttribute(DebugAttributes.STOP_AT, DebugAttributes.DEFAULT_STOP_AT));
            hardware.setSelection(config.getAttribute(DebugAttributes.HARDWARE, false));
            init.setText(config.getAttribute(DebugAttributes.INIT_COMMANDS, ""));
            timeout.setSelection(config.getAttribute(DebugAttributes.TIMEOUT, DebugAttributes.DEFAULT_TIMEOUT));
        } catch (CoreException e) {
            setErrorMessage("Could not read the configuration: " + e.getMessage());
        }
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy config) {
        config.setAttribute(DebugAttributes.GDB, gdb.getText().trim());
        config.setAttribute(DebugAttributes.STOP_AT, stopAt.getText().trim());
        config.setAttribute(DebugAttributes.HARDWARE, hardware.getSelection());
        config.setAttribute(DebugAttributes.INIT_COMMANDS, init.getText());
        config.setAttribute(DebugAttributes.TIMEOUT, timeout.getSelection());
    }

    /** Valid unless the gdb path names something that is not an executable file. */
    @Override
    public boolean isValid(ILaunchConfiguration config) {
        String path = gdb.getText().trim();
        if (!path.isEmpty() && !new File(path).canExecute()) {
            setErrorMessage("gdb '" + path + "' is not an executable file");
            return false;
        }
        if (stopAt.getText().trim().contains(" ")) {
            setErrorMessage("Stop at takes one symbol (a kernel function such as kmain), not '" + stopAt.getText().trim() + "'");
            return false;
        }
        setErrorMessage(null);
        return true;
    }

    @Override
    public String getName() {
        return "Debugger";
    }

    @Override
    public String getId() {
        return "toro.studio.debug.ui.debuggerTab";
    }
}
