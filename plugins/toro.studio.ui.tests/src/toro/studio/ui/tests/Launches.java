package toro.studio.ui.tests;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.resources.IProject;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.AbstractDebugView;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;

import toro.studio.launch.CoreModelSources;
import toro.studio.launch.LaunchAttributes;
import toro.studio.launch.QemuLaunch;

/** Launch configurations for tests, and the clean-up that leaves no QEMU behind. */
final class Launches {
	private Launches() {
	}

	/** A saved configuration of {@code project} with {@code cpus} cores on {@code machine} (TCG, telemetry at 10 Hz). */
	static ILaunchConfiguration config(IProject project, String name, String machine, int cpus) throws Exception {
		ILaunchManager m = DebugPlugin.getDefault().getLaunchManager();
		ILaunchConfigurationWorkingCopy wc = m.getLaunchConfigurationType(LaunchAttributes.TYPE_ID).newInstance(null,
				m.generateLaunchConfigurationName(name));
		wc.setAttribute(LaunchAttributes.PROJECT, project.getName());
		wc.setAttribute(LaunchAttributes.CPUS, cpus);
		wc.setAttribute(LaunchAttributes.MACHINE, machine);
		wc.setAttribute(LaunchAttributes.ACCEL, "TCG");
		wc.setAttribute(LaunchAttributes.APPEND, "telemetry=10");
		return wc.doSave();
	}

	/** Stops every launch's QEMU and waits for each to end (kills it if it does not). */
	static void terminateAll() {
		for (ILaunch l : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
			if (CoreModelSources.of(l) instanceof QemuLaunch q) {
				q.stop(Duration.ofSeconds(10));
				ProcessHandle.of(q.qemu().pid()).ifPresent(ProcessHandle::destroyForcibly);
			}
			for (IProcess p : l.getProcesses()) {
				try {
					if (!p.isTerminated())
						p.terminate();
				} catch (Exception e) {
					// the process ended meanwhile
				}
			}
		}
	}

	/** @return the labels of the Debug view's context menu with {@code launch} selected there, as a right-click shows them. */
	static List<String> debugViewMenu(ILaunch launch) throws Exception {
		AbstractDebugView view = (AbstractDebugView) Workbench.page().showView(IDebugUIConstants.ID_DEBUG_VIEW);
		Viewer viewer = view.getViewer();
		Workbench.waitUntil("the launch selected in the Debug view", Duration.ofSeconds(30), () -> {
			viewer.setSelection(new TreeSelection(new TreePath(new Object[] { launch })), true);
			return DebugUITools.getDebugContext() == launch;
		});
		Menu menu = viewer.getControl().getMenu();
		menu.notifyListeners(SWT.Show, new Event());
		try {
			return Arrays.stream(menu.getItems()).map(MenuItem::getText).toList();
		} finally {
			menu.notifyListeners(SWT.Hide, new Event());
		}
	}
}
