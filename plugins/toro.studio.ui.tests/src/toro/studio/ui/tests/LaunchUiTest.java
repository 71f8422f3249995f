package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.console.TextConsole;
import org.junit.jupiter.api.Test;

import toro.studio.core.KernelProjects;
import toro.studio.core.ToolPaths;
import toro.studio.launch.LaunchAttributes;
import toro.studio.launch.LaunchSettings;
import toro.studio.qemu.Forward;
import toro.studio.qemu.Network;
import toro.studio.ui.launch.KernelLaunchShortcut;
import toro.studio.ui.launch.MainTab;
import toro.studio.ui.launch.OpenInBrowserItems;
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
		in.setAttribute(LaunchAttributes.NET_BACKEND, "USER");
		in.setAttribute(LaunchAttributes.NET_TAP, "toro-tap0");
		in.setAttribute(LaunchAttributes.NET_FORWARDS, List.of("8080:80", "0:443", "udp:5353:53"));
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
			assertTrue(qemu.isValid(in), () -> "the QEMU tab accepts user networking with forwards: " + qemu.getErrorMessage());
			main.performApply(out);
			qemu.performApply(out);
		} finally {
			shell.dispose();
		}
		assertEquals(in.getAttributes(), out.getAttributes(), "the tabs write back what they read");
	}

	/** A configuration from before networks has none, and the tab writes NONE with no forwards back. */
	@Test
	void anOldConfigurationHasNoNetwork() throws Exception {
		ILaunchConfigurationWorkingCopy old = DebugPlugin.getDefault().getLaunchManager()
				.getLaunchConfigurationType(LaunchAttributes.TYPE_ID).newInstance(null, "old");
		assertEquals(Network.NONE, LaunchSettings.network(old));
		Shell shell = new Shell(Workbench.display());
		try {
			QemuTab qemu = new QemuTab();
			qemu.createControl(shell);
			qemu.initializeFrom(old);
			qemu.performApply(old);
			assertEquals("NONE", old.getAttribute(LaunchAttributes.NET_BACKEND, "?"));
			assertEquals(List.of(), old.getAttribute(LaunchAttributes.NET_FORWARDS, List.of("?")));
			assertTrue(qemu.isValid(old));
		} finally {
			shell.dispose();
		}
	}

	/** The Network group as a user works it: Add gives a row 0:80; a forward without user networking is refused with the fix. */
	@Test
	void theNetworkGroupAddsForwardsAndRefusesBadOnes() throws Exception {
		ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
				.getLaunchConfigurationType(LaunchAttributes.TYPE_ID).newInstance(null, "net");
		wc.setAttribute(LaunchAttributes.NET_BACKEND, "USER");
		Shell shell = new Shell(Workbench.display());
		try {
			QemuTab qemu = new QemuTab();
			qemu.createControl(shell);
			qemu.initializeFrom(wc);
			Button add = button((Composite) qemu.getControl(), "Add");
			assertTrue(add.isEnabled(), "forwards can be added with user networking");
			add.notifyListeners(SWT.Selection, new Event());
			qemu.performApply(wc);
			assertEquals(List.of("0:80"), wc.getAttribute(LaunchAttributes.NET_FORWARDS, List.of()));
			assertEquals(Network.user(List.of(Forward.tcp(0, 80))), LaunchSettings.network(wc));

			wc.setAttribute(LaunchAttributes.NET_BACKEND, "TAP");
			qemu.initializeFrom(wc);
			assertFalse(add.isEnabled(), "no forwards with tap");
			assertFalse(qemu.isValid(wc));
			assertTrue(qemu.getErrorMessage().contains("choose the user backend, or remove the forwards")
					|| qemu.getErrorMessage().contains("create the tap device first"), qemu.getErrorMessage());
			wc.setAttribute(LaunchAttributes.NET_FORWARDS, List.of());
			assertFalse(qemu.isValid(wc), "tap needs a device name");
			assertTrue(qemu.getErrorMessage().contains("create the tap device first"), qemu.getErrorMessage());
			wc.setAttribute(LaunchAttributes.NET_TAP, "toro-tap0");
			assertTrue(qemu.isValid(wc), qemu::getErrorMessage);
			assertEquals(Network.tap("toro-tap0"), LaunchSettings.network(wc));

			wc.setAttribute(LaunchAttributes.NET_BACKEND, "USER");
			wc.setAttribute(LaunchAttributes.NET_FORWARDS, List.of("8080:80", "8080:81"));
			assertFalse(qemu.isValid(wc));
			assertTrue(qemu.getErrorMessage().contains("host port 8080 is forwarded twice"), qemu.getErrorMessage());
			wc.setAttribute(LaunchAttributes.NET_FORWARDS, List.of("80:x"));
			assertFalse(qemu.isValid(wc));
			assertTrue(qemu.getErrorMessage().contains("'x' is not a port number"), qemu.getErrorMessage());
		} finally {
			shell.dispose();
		}
	}

	/**
	 * The delegate reads the network into QEMU's argv: a launch with user networking and the forward
	 * 0:80 runs QEMU with a hostfwd on 127.0.0.1 at a chosen port, which slirp accepts on, which the
	 * console names, and which "Open in Browser" offers (real build, QEMU and kernel).
	 */
	@Test
	void aLaunchWithAForwardPassesItToQemu() throws Exception {
		IProject project = project("toro-forward");
		ILaunchConfigurationWorkingCopy wc = Launches.config(project, "net-forward", "MICROVM", 1).getWorkingCopy();
		wc.setAttribute(LaunchAttributes.NET_BACKEND, "USER");
		wc.setAttribute(LaunchAttributes.NET_FORWARDS, List.of("0:80"));
		ILaunchConfiguration config = wc.doSave();
		ILaunch launch = Workbench.offUi(Duration.ofMinutes(5), () -> config.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		try {
			IProcess process = launch.getProcesses()[0];
			String forwards = process.getAttribute(LaunchAttributes.PROCESS_FORWARDS);
			assertTrue(forwards != null && forwards.matches("\\d+:80") && !forwards.startsWith("0:"), "the chosen port: " + forwards);
			int port = Integer.parseInt(forwards.substring(0, forwards.indexOf(':')));
			String cmdline = process.getAttribute(IProcess.ATTR_CMDLINE);
			assertTrue(cmdline.contains(" user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:80 "), cmdline);
			assertTrue(cmdline.contains(" virtio-net-device,netdev=n0"), cmdline);
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			}
			List<OpenInBrowserItems.Page> pages = OpenInBrowserItems.pages(launch);
			assertEquals(List.of(new OpenInBrowserItems.Page(new URL("http://127.0.0.1:" + port + "/"), 80)), pages);
			Workbench.waitUntil("a console for the QEMU process", Duration.ofSeconds(90), () -> DebugUITools.getConsole(process) != null);
			TextConsole console = (TextConsole) DebugUITools.getConsole(process);
			Workbench.waitUntil("the forward named in the console", Duration.ofSeconds(90),
					() -> console.getDocument().get().contains("Forwarding tcp 127.0.0.1:" + port + " to guest port 80"));
			String item = "Open in Browser: http://127.0.0.1:" + port + "/ (guest port 80)";
			assertTrue(Launches.debugViewMenu(launch).contains(item), () -> item + " in the Debug view's menu");
			process.terminate();
			Workbench.waitUntil("the QEMU process to end", Duration.ofSeconds(30), process::isTerminated);
			assertEquals(List.of(), OpenInBrowserItems.pages(launch), "nothing to open once QEMU has ended");
			assertFalse(Launches.debugViewMenu(launch).stream().anyMatch(l -> l.startsWith("Open in Browser")), "no item once QEMU has ended");
		} finally {
			Launches.terminateAll();
		}
	}

	/** @return the push button labelled {@code text} under {@code c}, searched depth first. */
	private static Button button(Composite c, String text) {
		for (Control k : c.getChildren()) {
			if (k instanceof Button b && text.equals(b.getText()))
				return b;
			if (k instanceof Composite sub) {
				Button b = button(sub, text);
				if (b != null)
					return b;
			}
		}
		return null;
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
