package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;

import toro.studio.core.KernelProjects;
import toro.studio.core.ToolPaths;
import toro.studio.launch.LaunchAttributes;
import toro.studio.ui.launch.KernelLaunchShortcut;
import toro.studio.ui.launch.MainTab;
import toro.studio.ui.launch.QemuTab;

/** The launch tabs keep what they are given, the Run As shortcut reuses its configuration, tool paths are checked. */
public class LaunchUiTest {
	@Test
	void tabsRoundTripEveryAttribute() throws Exception {
		IProject project = project("toro-tabs");
		ILaunchConfigurationWorkingCopy in = DebugPlugin.getDefault().getLaunchManager()
				.getLaunchConfigurationType(LaunchAttributes.TYPE_ID).newInstance(null, "tabs");
		in.setAttribute(LaunchAttributes.PROJECT, project.getName());
		in.setAttribute(LaunchAttributes.TARGET, "pingpong");
		in.setAttribute(LaunchAttributes.PROFILE, "debug");
		in.setAttribute(LaunchAttributes.BUILD_FIRST, false);
		in.setAttribute(LaunchAttributes.MACHINE, "Q35");
		in.setAttribute(LaunchAttributes.CPUS, 3);
		in.setAttribute(LaunchAttributes.MEMORY, 256);
		in.setAttribute(LaunchAttributes.ACCEL, "TCG");
		in.setAttribute(LaunchAttributes.APPEND, "telemetry=5 idle=poll");
		in.setAttribute(LaunchAttributes.EXTRA_ARGS, "-rtc base=utc");
		in.setAttribute(LaunchAttributes.WHY_DID_IT_DIE, true);
		ILaunchConfigurationWorkingCopy out = in.copy("tabs-out");
		for (String a : in.getAttributes().keySet())
			out.removeAttribute(a);
		assertEquals(Map.of(), out.getAttributes(), "the tabs start from an empty configuration");
		Shell shell = new Shell(Workbench.display());
		try {
			MainTab main = new MainTab();
			QemuTab qemu = new QemuTab();
			main.createControl(shell);
			qemu.createControl(shell);
			main.initializeFrom(in);
			qemu.initializeFrom(in);
			assertTrue(main.isValid(in), () -> "the Main tab accepts a Toro project: " + main.getErrorMessage());
			main.performApply(out);
			qemu.performApply(out);
		} finally {
			shell.dispose();
		}
		assertEquals(in.getAttributes(), out.getAttributes(), "the tabs write back what they read");
	}

	@Test
	void runAsShortcutMakesOneConfigurationPerProjectAndImage() throws Exception {
		IProject project = project("toro-shortcut");
		ILaunchConfiguration first = KernelLaunchShortcut.configurationFor(project);
		assertEquals(project.getName(), first.getAttribute(LaunchAttributes.PROJECT, ""));
		assertTrue(first.getAttribute(LaunchAttributes.BUILD_FIRST, false), "on a project the shortcut builds first");
		assertEquals(first, KernelLaunchShortcut.configurationFor(project), "the second Run As reuses the configuration");
		ILaunchConfiguration image = KernelLaunchShortcut.configurationFor(project.getFile("toro.build"));
		assertEquals(first, image, "a file that is not an image runs the project");
	}

	@Test
	void toolPathsAreDetectedAndCheckedWithClearMessages() {
		assertNotNull(ToolPaths.detect("qemu"), "qemu-system-x86_64 is found on the PATH");
		assertNull(ToolPaths.validate("gcc", ""), "an empty entry is fine when gcc is on the PATH");
		assertEquals("nasm: /no/such/nasm does not exist.", ToolPaths.validate("nasm", "/no/such/nasm"));
		assertEquals("ld: enter an absolute path (got ld).", ToolPaths.validate("ld", "ld"));
		assertEquals("gdb: /etc is not an executable file.", ToolPaths.validate("gdb", "/etc"));
	}

	private static IProject project(String name) throws Exception {
		Workbench.noAutoBuild();
		return Workbench.offUi(Duration.ofMinutes(2), () -> {
			IProject[] made = new IProject[1];
			ResourcesPlugin.getWorkspace().run(m -> made[0] = KernelProjects.createFromBundled(name, m),
					ResourcesPlugin.getWorkspace().getRoot(), 0, null);
			return made[0];
		});
	}
}
