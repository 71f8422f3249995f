package toro.studio.debug.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Test;

import toro.studio.debug.launch.DebugAttributes;
import toro.studio.debug.ui.launch.DebuggerTab;
import toro.studio.launch.LaunchAttributes;

/** The Debugger tab: defaults (kmain, 10 s), a round trip of its fields, and a bad gdb path refused. */
class DebuggerTabTest {

    @Test
    void defaultsRoundTripAndValidation() throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(LaunchAttributes.TYPE_ID).newInstance(null, "tab test");
        Shell shell = new Shell(SWT.NONE);
        try {
            DebuggerTab tab = new DebuggerTab();
            tab.createControl(shell);
            tab.setDefaults(wc);
            assertEquals("kmain", wc.getAttribute(DebugAttributes.STOP_AT, ""));
            assertEquals(10, wc.getAttribute(DebugAttributes.TIMEOUT, 0));
            tab.initializeFrom(wc);
            assertTrue(tab.isValid(wc), tab.getErrorMessage());

            Text gdb = (Text) find(tab.getControl(), 0);
            gdb.setText("/no/such/gdb");
            assertFalse(tab.isValid(wc), "a gdb path that is not executable is refused");
            assertTrue(tab.getErrorMessage().contains("/no/such/gdb"), tab.getErrorMessage());

            gdb.setText("/usr/bin/gdb");
            tab.performApply(wc);
            assertEquals("/usr/bin/gdb", wc.getAttribute(DebugAttributes.GDB, ""));
            assertTrue(tab.isValid(wc), tab.getErrorMessage());
        } finally {
            shell.dispose();
        }
    }

    /** Returns the index-th Text of the tab (0 = gdb path, 1 = stop symbol, 2 = initialisation commands). */
    private static Control find(Control root, int index) {
        int seen = 0;
        for (Control c : ((org.eclipse.swt.widgets.Composite) root).getChildren()) {
            if (c instanceof Text t && seen++ == index) {
                return t;
            }
        }
        throw new AssertionError("the tab has no Text #" + index);
    }
}
