package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.AbstractDebugContextProvider;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.IWorkbenchPartReference;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.console.TextConsole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

import toro.studio.core.KernelProjects;
import toro.studio.launch.CoreModelSources;
import toro.studio.launch.LaunchAttributes;
import toro.studio.launch.QemuLaunch;
import toro.studio.telemetry.CoreView;
import toro.studio.ui.ToroPerspective;
import toro.studio.ui.views.CoresView;
import toro.studio.ui.views.IdleView;

/**
 * Run mode end to end, with the real build engine, QEMU and kernel: a launch
 * with 2 cores shows `toro: ready cpus=2` in the console, the Cores view shows
 * both cores with data, the Idle view has samples, and terminating leaves no
 * QEMU process; a kernel fault ends with exit value 2 and a clear message.
 * Takes the screenshots of the views (for docs/images/: see Workbench.screenshots()).
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
public class RunTest {
	static final Duration LAUNCH = Duration.ofMinutes(5);
	static final Duration BOOT = Duration.ofSeconds(90);

	private IProject project;
	private ILaunch launch;
	private QemuLaunch session;
	private ILaunch busy;

	@BeforeAll
	void createProjectAndOpenPerspective() throws Exception {
		Workbench.noAutoBuild();
		project = Workbench.offUi(LAUNCH, () -> {
			IProject[] made = new IProject[1];
			ResourcesPlugin.getWorkspace().run(m -> made[0] = KernelProjects.createFromBundled("toro-run", m),
					ResourcesPlugin.getWorkspace().getRoot(), 0, null);
			return made[0];
		});
		PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().setBounds(0, 0, 1280, 1000);
		PlatformUI.getWorkbench().showPerspective(ToroPerspective.ID, PlatformUI.getWorkbench().getActiveWorkbenchWindow());
		Workbench.page().showView(CoresView.ID);
		Workbench.page().showView(IdleView.ID);
	}

	@AfterAll
	void stopEverything() {
		Launches.terminateAll();
	}

	@Test
	@Order(1)
	void runWithTwoCoresShowsReadyInTheConsoleAndFillsTheViews() throws Exception {
		ILaunchConfiguration config = Launches.config(project, "run-2-cores", "MICROVM", 2);
		launch = Workbench.offUi(LAUNCH, () -> config.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		session = (QemuLaunch) CoreModelSources.of(launch);
		assertNotNull(session, "the launch registered its QemuLaunch as core model source");
		IProcess process = launch.getProcesses()[0];
		Workbench.waitUntil("a console for the QEMU process", BOOT, () -> DebugUITools.getConsole(process) != null);
		TextConsole console = (TextConsole) DebugUITools.getConsole(process);
		Workbench.waitUntil("`toro: ready cpus=2` in the console", BOOT,
				() -> console.getDocument().get().contains("toro: ready cpus=2"));

		CoresView cores = (CoresView) Workbench.page().showView(CoresView.ID);
		IdleView idle = (IdleView) Workbench.page().showView(IdleView.ID);
		Workbench.waitUntil("the Cores view showing 2 cores with data", BOOT, () -> hasData(cores.cores(), 2));
		Workbench.waitUntil("the Idle view with at least 20 samples", BOOT, () -> idle.samples() >= 20);

	}

	@Test
	@Order(2)
	void terminateStopsQemuAndTheViewsKeepTheirData() throws Exception {
		IProcess process = launch.getProcesses()[0];
		long pid = session.qemu().pid();
		Path dir = session.qemu().endpoints().dir();
		assertTrue(Files.isDirectory(dir), dir + " holds the run's sockets");
		process.terminate();
		Workbench.waitUntil("the QEMU process to end", Duration.ofSeconds(30), process::isTerminated);
		assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "QEMU (pid " + pid + ") is gone");
		TextConsole console = (TextConsole) DebugUITools.getConsole(process);
		Workbench.waitUntil("the exit report in the console", Duration.ofSeconds(10),
				() -> console.getDocument().get().contains("[toro]"));
		Workbench.waitUntil("the run's private directory " + dir + " to be removed", Duration.ofSeconds(10),
				() -> !Files.exists(dir));
		Workbench.pump(500);
		CoresView cores = (CoresView) Workbench.page().showView(CoresView.ID);
		assertEquals(2, cores.cores().size(), "the Cores view keeps the last data of the ended launch");
		assertTrue(DebugPlugin.getDefault().getLaunchManager().getLaunches().length > 0);
	}

	@Test
	@Order(3)
	void aKernelFaultEndsWithItsExitValueAndAClearMessage() throws Exception {
		ILaunchConfigurationWorkingCopy wc = Launches.config(project, "run-fault", "MICROVM", 2).getWorkingCopy();
		wc.setAttribute(LaunchAttributes.APPEND, "fault=ud");
		ILaunchConfiguration config = wc.doSave();
		ILaunch crashed = Workbench.offUi(LAUNCH, () -> config.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		IProcess process = crashed.getProcesses()[0];
		Workbench.waitUntil("QEMU to end after the fault", BOOT, process::isTerminated);
		assertEquals(2, process.getExitValue(), "the guest's exit value is 2 (panic)");
		TextConsole console = (TextConsole) DebugUITools.getConsole(process);
		Workbench.waitUntil("the panic report in the console", Duration.ofSeconds(10),
				() -> console.getDocument().get().contains("The kernel exited with value 2: kernel panic"));
	}

	@Test
	@Order(4)
	void aBusyKernelShowsSwitchesAndThreadsAndIsPhotographed() throws Exception {
		ILaunchConfigurationWorkingCopy wc = Launches.config(project, "run-stress", "MICROVM", 4).getWorkingCopy();
		wc.setAttribute(LaunchAttributes.TARGET, "stress");
		wc.setAttribute(LaunchAttributes.APPEND, "telemetry=10 stress=30");
		ILaunchConfiguration config = wc.doSave();
		busy = Workbench.offUi(LAUNCH, () -> config.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		QemuLaunch q = (QemuLaunch) CoreModelSources.of(busy);
		CoresView cores = (CoresView) Workbench.page().showView(CoresView.ID);
		IdleView idle = (IdleView) Workbench.page().showView(IdleView.ID);
		Workbench.waitUntil("4 cores switching threads in the Cores view", BOOT, () -> cores.cores().size() == 4
				&& cores.cores().stream().filter(c -> c.contextSwitchesPerSec() > 0).count() >= 2);
		Workbench.waitUntil("10 s of idle history", BOOT, () -> q.history().count() >= 100);

		Path images = Workbench.screenshots();
		Workbench.screenshot(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
				images.resolve("ide-toro-perspective.png"));
		zoomed(cores, () -> Workbench.screenshot(cores.control(), images.resolve("ide-cores-view.png")));
		zoomed(idle, () -> Workbench.screenshot(idle.control(), images.resolve("ide-idle-view.png")));
		idle.exportPng(images.resolve("ide-idle-export.png"));
		Path csv = Files.createTempFile("toro-idle", ".csv");
		idle.exportCsv(csv);
		List<String> rows = Files.readAllLines(csv);
		Files.delete(csv);
		assertEquals("time_s,idle_cpu0,idle_cpu1,idle_cpu2,idle_cpu3,host_cpu_percent,halts_per_s,wakeups_per_s", rows.get(0));
		assertTrue(rows.size() > 100, "the CSV holds the whole history (" + rows.size() + " lines)");
		q.stop(Duration.ofSeconds(10));
		assertFalse(q.qemu().isAlive(), "QEMU is gone after stop");
	}

	@Test
	@Order(5)
	void theViewsFollowTheLaunchSelectedInTheDebugContext() throws Exception {
		// two kernels running at once (the platform removes terminated launches when a new one starts)
		ILaunch two = Workbench.offUi(LAUNCH, () -> Launches.config(project, "follow-2", "MICROVM", 2)
				.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		ILaunch three = Workbench.offUi(LAUNCH, () -> Launches.config(project, "follow-3", "MICROVM", 3)
				.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor()));
		CoresView cores = (CoresView) Workbench.page().showView(CoresView.ID);
		IViewPart idle = Workbench.page().showView(IdleView.ID);
		IDebugContextService contexts = DebugUITools.getDebugContextManager()
				.getContextService(PlatformUI.getWorkbench().getActiveWorkbenchWindow());
		Selector selector = new Selector(idle);
		contexts.addDebugContextProvider(selector);
		try {
			Workbench.page().activate(cores);
			Workbench.page().activate(idle);
			Supplier<String> state = () -> "debug context " + contexts.getActiveContext() + ", cores " + cores.cores().size();
			selector.select(two);
			Workbench.waitUntil(() -> "the Cores view showing the selected 2-core launch; " + state.get(), BOOT,
					() -> cores.cores().size() == 2);
			selector.select(three);
			Workbench.waitUntil(() -> "the Cores view showing the selected 3-core launch; " + state.get(), BOOT,
					() -> cores.cores().size() == 3);
			selector.select(two);
			Workbench.waitUntil(() -> "the Cores view back on the 2-core launch; " + state.get(), BOOT,
					() -> cores.cores().size() == 2);
		} finally {
			contexts.removeDebugContextProvider(selector);
			Launches.terminateAll();
		}
	}

	/** A debug context provider that selects a launch, as the Debug view does when the user clicks one. */
	private static final class Selector extends AbstractDebugContextProvider {
		private ISelection selection = TreeSelection.EMPTY;

		Selector(IWorkbenchPart part) {
			super(part);
		}

		void select(ILaunch l) {
			selection = new TreeSelection(new TreePath(new Object[] { l }));
			fire(new DebugContextEvent(this, selection, DebugContextEvent.ACTIVATED));
		}

		@Override
		public ISelection getActiveContext() {
			return selection;
		}
	}

	/** What a screenshot does. */
	private interface Shot {
		void take() throws Exception;
	}

	/** Takes {@code shot} with {@code view} maximized, so every column shows, after the next refresh. */
	private static void zoomed(IViewPart view, Shot shot) throws Exception {
		IWorkbenchPartReference ref = Workbench.page().getReference(view);
		Workbench.page().toggleZoom(ref);
		try {
			Workbench.pump(1000);
			shot.take();
		} finally {
			Workbench.page().toggleZoom(ref);
		}
	}

	/** True when there are {@code n} cores and the kernel reported activity on every one of them. */
	static boolean hasData(List<CoreView> cores, int n) {
		return cores.size() == n && cores.stream().allMatch(c -> c.idlePercent() > 0 || c.contextSwitchesPerSec() > 0);
	}
}
