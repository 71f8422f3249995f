package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import toro.studio.core.KernelProjects;
import toro.studio.launch.CoreModelSources;
import toro.studio.launch.LaunchAttributes;
import toro.studio.launch.QemuLaunch;
import toro.studio.telemetry.ConnSample;
import toro.studio.telemetry.TcpState;
import toro.studio.ui.ToroPerspective;
import toro.studio.ui.views.CoresView;
import toro.studio.ui.views.IdleView;
import toro.studio.ui.views.NetworkView;

/**
 * The Network view, the Cores view's network columns and the Idle view's requests/s overlay on a running
 * kernel: the test-only fakenetstats target (made-up counters, TCP slots and a fake device, no network),
 * live from its telemetry v2 stream in real QEMU.
 */
@TestInstance(Lifecycle.PER_CLASS)
public class NetworkViewTest {
	private static final Duration LAUNCH = Duration.ofMinutes(5), BOOT = Duration.ofSeconds(90);
	private IProject project;

	@BeforeAll
	void createProject() throws Exception {
		Workbench.noAutoBuild();
		project = Workbench.offUi(LAUNCH, () -> {
			IProject[] made = new IProject[1];
			ResourcesPlugin.getWorkspace().run(m -> made[0] = KernelProjects.createFromBundled("toro-net", m),
					ResourcesPlugin.getWorkspace().getRoot(), 0, null);
			return made[0];
		});
		PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().setBounds(0, 0, 1280, 1000);
		PlatformUI.getWorkbench().showPerspective(ToroPerspective.ID, PlatformUI.getWorkbench().getActiveWorkbenchWindow());
	}

	@AfterAll
	void stopEverything() {
		Launches.terminateAll();
	}

	@Test
	void theNetworkViewShowsCountersAndConnectionsOfARunningKernel() throws Exception {
		ILaunchConfigurationWorkingCopy wc = Launches.config(project, "net-2-cores", "MICROVM", 2).getWorkingCopy();
		wc.setAttribute(LaunchAttributes.TARGET, "fakenetstats");
		ILaunch launch = Workbench.offUi(LAUNCH, () -> wc.doSave().launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		QemuLaunch q = (QemuLaunch) CoreModelSources.of(launch);
		NetworkView net = (NetworkView) Workbench.page().showView(NetworkView.ID);
		Workbench.waitUntil(() -> "the Network view with 2 cores moving and 3 connections: " + net.cores() + " " + net.connections(),
				BOOT, () -> net.cores().size() == 2 && net.connections().size() == 3
						&& net.cores().stream().allMatch(n -> n.rxPacketsPerSec() > 0 && n.requestsPerSec() > 0));
		List<ConnSample> conns = net.connections();
		assertEquals(List.of(TcpState.LISTEN, TcpState.ESTABLISHED, TcpState.TIME_WAIT), conns.stream().map(ConnSample::state).toList());
		assertEquals("10.0.2.15:80", conns.get(1).local());
		assertEquals("10.0.2.2:40000", conns.get(1).remote());
		Workbench.waitUntil(() -> "the fake device in the Network view: " + net.status(), BOOT, () -> net.status()
				.equals("net0 02:00:00:00:00:01 mtu 1500 on cpu 0 (fake: fakenetstats); 3 TCP slots in use."));

		CoresView cores = (CoresView) Workbench.page().showView(CoresView.ID);
		Workbench.waitUntil(() -> "network columns in the Cores view: " + cores.net(), BOOT,
				() -> cores.net().size() == 2 && cores.net().stream().allMatch(n -> n.txPacketsPerSec() > 0));

		IdleView idle = (IdleView) Workbench.page().showView(IdleView.ID);
		idle.setRequestsOverlay(true);
		Workbench.waitUntil(() -> "requests/s in the Idle view: " + idle.requestsPerSec(), BOOT, () -> idle.requestsPerSec() > 0);
		assertTrue(idle.requestsOverlay());
		Path csv = Files.createTempFile("toro-idle-net", ".csv");
		idle.exportCsv(csv);
		String header = Files.readAllLines(csv).get(0);
		Files.delete(csv);
		assertTrue(header.endsWith(",wakeups_per_s,requests_per_s"), header);

		Path images = Workbench.screenshots();
		Workbench.page().showView(NetworkView.ID);
		Workbench.pump(500);
		Workbench.screenshot(net.control(), images.resolve("ide-network-view.png"));
		Workbench.page().showView(IdleView.ID);
		Workbench.pump(500);
		idle.exportPng(images.resolve("ide-idle-requests.png"));
		q.stop(Duration.ofSeconds(10));
	}
}
