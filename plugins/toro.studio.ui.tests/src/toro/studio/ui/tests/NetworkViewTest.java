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
import org.eclipse.core.runtime.jobs.Job;
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
import toro.studio.launch.IdleHistory;
import toro.studio.launch.StressRun;
import toro.studio.launch.LaunchAttributes;
import toro.studio.launch.QemuLaunch;
import toro.studio.telemetry.ConnSample;
import toro.studio.telemetry.TcpState;
import toro.studio.ui.ToroPerspective;
import toro.studio.ui.launch.OpenInBrowserItems;
import toro.studio.ui.launch.StressItems;
import toro.studio.ui.views.CoresView;
import toro.studio.ui.views.IdleView;
import toro.studio.ui.views.NetworkView;

/**
 * The Network view, the Cores view's network columns and the Idle view's requests/s overlay on a running
 * kernel: the httpd kernel behind a forward with a real client, and the test-only fakenetstats target
 * (made-up counters, TCP slots and a fake device), live from their telemetry v2 streams in real QEMU.
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

	/**
	 * The real thing: the httpd kernel launched from a configuration with a forward (user networking,
	 * host port 0), a client on the host that GETs / through 127.0.0.1 and keeps its connection open,
	 * and the Network view listing that connection as ESTABLISHED on the guest's port 80.
	 */
	@Test
	void aLaunchWithAForwardServesAndTheNetworkViewListsTheConnection() throws Exception {
		ILaunch launch = httpdWithAForward("httpd-forward");
		QemuLaunch q = (QemuLaunch) CoreModelSources.of(launch);
		String forwards = launch.getProcesses()[0].getAttribute(LaunchAttributes.PROCESS_FORWARDS);
		int port = Integer.parseInt(forwards.substring(0, forwards.indexOf(':')));
		NetworkView net = (NetworkView) Workbench.page().showView(NetworkView.ID);
		Workbench.waitUntil(() -> "the httpd kernel listening: " + net.connections(), BOOT,
				() -> net.connections().stream().anyMatch(c -> c.state() == TcpState.LISTEN));
		try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
			client.setSoTimeout(30_000);
			client.getOutputStream().write("GET / HTTP/1.1\r\nHost: toro\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			byte[] head = new byte[15];
			int n = client.getInputStream().readNBytes(head, 0, head.length);
			assertEquals("HTTP/1.1 200 OK", new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
			Workbench.waitUntil(() -> "the client's connection in the Network view: " + net.connections(), BOOT,
					() -> net.connections().stream().anyMatch(c -> c.state() == TcpState.ESTABLISHED && "10.0.2.15:80".equals(c.local())));
		} finally {
			q.stop(Duration.ofSeconds(10));
		}
	}

	/**
	 * "Stress..." from the Debug view on a running httpd launch: real wrk through the forward for 3 s;
	 * the Idle view shades one closed window that long, the kernel counted the requests inside it, the
	 * console has wrk's figures, and the chart exports with the shade.
	 */
	@Test
	void stressFromTheDebugViewShadesItsWindowOnTheIdleChart() throws Exception {
		ILaunch launch = httpdWithAForward("httpd-stress");
		QemuLaunch q = QemuLaunch.of(launch);
		try {
			OpenInBrowserItems.Page page = OpenInBrowserItems.pages(launch).get(0);
			assertTrue(Launches.debugViewMenu(launch).contains(StressItems.label(page)), "the Debug view offers the stress item");
			NetworkView net = (NetworkView) Workbench.page().showView(NetworkView.ID);
			Workbench.waitUntil(() -> "the httpd kernel listening: " + net.connections(), BOOT,
					() -> net.connections().stream().anyMatch(c -> c.state() == TcpState.LISTEN));
			IdleView idle = (IdleView) Workbench.page().showView(IdleView.ID);
			idle.setRequestsOverlay(true);
			StringBuffer messages = new StringBuffer();
			q.process().getStreamsProxy().getErrorStreamMonitor().addListener((text, monitor) -> messages.append(text));
			Job job = StressItems.schedule(launch, page.url().getPort(), new StressRun.Plan(3, 4, "/"));
			Workbench.waitUntil("the stress job to end", Duration.ofSeconds(60), () -> job.getResult() != null);
			assertTrue(job.getResult().isOK(), String.valueOf(job.getResult()));
			Workbench.waitUntil(() -> "one closed stress window in the Idle view: " + idle.stressWindows(), BOOT,
					() -> idle.stressWindows().size() == 1 && !idle.stressWindows().get(0).open());
			IdleHistory.Window w = idle.stressWindows().get(0);
			assertTrue(w.endMillis() - w.startMillis() >= 3000, "the window spans wrk's 3 s: " + w);
			assertTrue(q.history().last(IdleHistory.CAPACITY).stream()
					.anyMatch(p -> IdleHistory.stressed(List.of(w), p.millis()) && p.requests() > 0),
					() -> "the kernel's own requests/s are up inside " + w + ": " + q.history().last(IdleHistory.CAPACITY).stream()
							.filter(p -> p.millis() > w.startMillis() - 2000 && p.millis() < w.endMillis() + 2000)
							.map(p -> p.millis() + "=" + p.requests()).toList());
			assertTrue(messages.toString().matches("(?s).*stress: .*requests/s.* 0 errors.*"), messages::toString);
			Path csv = Files.createTempFile("toro-idle-stress", ".csv");
			idle.exportCsv(csv);
			List<String> rows = Files.readAllLines(csv);
			Files.delete(csv);
			assertTrue(rows.get(0).endsWith(",requests_per_s,stress"), rows.get(0));
			assertTrue(rows.stream().anyMatch(r -> r.endsWith(",1")), "some rows are inside the window");
			Workbench.pump(1000);
			idle.exportPng(Workbench.screenshots().resolve("ide-idle-stress.png"));
		} finally {
			q.stop(Duration.ofSeconds(10));
		}
	}

	/** Runs the httpd kernel on 2 cores (microvm) from configuration {@code name}, its port 80 forwarded from a free host port. */
	private ILaunch httpdWithAForward(String name) throws Exception {
		ILaunchConfigurationWorkingCopy wc = Launches.config(project, name, "MICROVM", 2).getWorkingCopy();
		wc.setAttribute(LaunchAttributes.TARGET, "httpd");
		wc.setAttribute(LaunchAttributes.NET_BACKEND, "USER");
		wc.setAttribute(LaunchAttributes.NET_FORWARDS, List.of("0:80"));
		return Workbench.offUi(LAUNCH, () -> wc.doSave().launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
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
