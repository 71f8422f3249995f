package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import toro.studio.core.KernelProjects;
import toro.studio.core.ToroBuilder;
import toro.studio.launch.CoreModelSources;
import toro.studio.launch.QemuLaunch;
import toro.studio.ui.ToroPerspective;
import toro.studio.ui.views.CoresView;
import toro.studio.ui.views.IdleView;

/**
 * The IDE's benchmarks, printed as "BENCH ..." lines and appended to
 * target/ide-bench.txt: the builder's no-op on an up-to-date project, the
 * time from the launch call to `toro: ready` (microvm, TCG, 4 cores, image up
 * to date), and the UI thread's CPU time while the Cores and Idle views update
 * at 10 Hz against a window with the views closed. The figures are reported,
 * not asserted (the machine is shared): what is asserted is the behaviour
 * behind each (the no-op leaves the image alone, every launch reaches ready
 * or the wait for it fails, the open views show every core while the kernel runs).
 */
@TestInstance(Lifecycle.PER_CLASS)
public class BenchTest {
	private static final int RUNS = 3;
	private static final Duration WINDOW = Duration.ofSeconds(5);
	private static final int ROUNDS = 4;
	private IProject project;

	@BeforeAll
	void createProject() throws Exception {
		Workbench.noAutoBuild();
		project = Workbench.offUi(RunTest.LAUNCH, () -> {
			IProject[] made = new IProject[1];
			ResourcesPlugin.getWorkspace().run(m -> made[0] = KernelProjects.createFromBundled("toro-bench", m),
					ResourcesPlugin.getWorkspace().getRoot(), 0, null);
			made[0].build(IncrementalProjectBuilder.FULL_BUILD, new NullProgressMonitor());
			return made[0];
		});
		PlatformUI.getWorkbench().showPerspective(ToroPerspective.ID, PlatformUI.getWorkbench().getActiveWorkbenchWindow());
	}

	@AfterAll
	void stopEverything() {
		Launches.terminateAll();
	}

	@Test
	void builderNoOpReadyTimeAndUiThreadCost() throws Exception {
		List<Double> noop = new ArrayList<>();
		Path image = project.getLocation().toPath().resolve("build/release/toro.elf");
		FileTime built = Files.getLastModifiedTime(image);
		for (int i = 0; i < 5; i++) {
			noop.add(Workbench.offUi(RunTest.LAUNCH, () -> {
				long t0 = System.nanoTime();
				project.build(IncrementalProjectBuilder.INCREMENTAL_BUILD, ToroBuilder.ID, Map.of(), new NullProgressMonitor());
				return (System.nanoTime() - t0) / 1e6;
			}));
		}
		report("builder no-op (up-to-date project, project.build of the Toro builder): runs ms " + fmt(noop) + ", median "
				+ fmt(median(noop)) + " ms (goal <= 20 ms)");
		assertEquals(built, Files.getLastModifiedTime(image), "the no-op builds nothing: the image is untouched");

		ILaunch last = null;
		for (String machine : List.of("PC", "MICROVM")) {
			ILaunchConfiguration config = Launches.config(project, "bench-4-cores-" + machine, machine, 4);
			List<Double> ready = new ArrayList<>(), ours = new ArrayList<>();
			for (int i = 0; i < RUNS; i++) {
				if (last != null)
					((QemuLaunch) CoreModelSources.of(last)).stop(Duration.ofSeconds(10));
				last = launchAndWaitReady(config, ready, ours);
			}
			report("launch call -> `toro: ready` in the console (" + machine.toLowerCase(Locale.ROOT)
					+ ", TCG, 4 cores, image up to date): runs ms " + fmt(ready) + ", median " + fmt(median(ready))
					+ " ms (goal <= 1000 ms on microvm); of which launch call -> QEMU started (settings, builder no-op, QEMU spawn, sockets): "
					+ fmt(ours) + " ms");
		}

		QemuLaunch running = (QemuLaunch) CoreModelSources.of(last);
		Workbench.waitUntil("telemetry", RunTest.BOOT, () -> running.history().count() >= 10);
		double without = 0, withViews = 0;
		for (int i = 0; i < ROUNDS; i++) {
			hide(CoresView.ID);
			hide(IdleView.ID);
			without += uiCpuPercent() / ROUNDS;
			CoresView cores = (CoresView) Workbench.page().showView(CoresView.ID);
			Workbench.page().showView(IdleView.ID);
			withViews += uiCpuPercent() / ROUNDS;
			assertTrue(RunTest.hasData(cores.cores(), 4), "the open Cores view shows all 4 cores with data");
		}
		hide(IdleView.ID);
		double coresOnly = uiCpuPercent();
		hide(CoresView.ID);
		Workbench.page().showView(IdleView.ID);
		double idleOnly = uiCpuPercent();
		Workbench.page().showView(CoresView.ID);
		assertTrue(running.qemu().isAlive(), "the kernel kept running through all windows");
		report(String.format(Locale.ROOT,
				"UI thread CPU, %d s windows (closed/open alternating %d times), 4-core kernel on microvm, telemetry 10 Hz, %% of one core: views closed %.2f, Cores+Idle open %.2f (views' cost %.2f, goal <= 2), Cores alone %.2f, Idle alone %.2f",
				WINDOW.toSeconds(), ROUNDS, without, withViews, withViews - without, coresOnly, idleOnly));

	}

	/**
	 * Launches {@code config}, waits for `toro: ready`, adds the time since the
	 * launch call to {@code ready} and the part until QEMU had started to {@code ours}.
	 */
	private static ILaunch launchAndWaitReady(ILaunchConfiguration config, List<Double> ready, List<Double> ours) throws Exception {
		long[] t0 = new long[1];
		ILaunch launch = Workbench.offUi(RunTest.LAUNCH, () -> {
			t0[0] = System.nanoTime();
			return config.launch(ILaunchManager.RUN_MODE, new NullProgressMonitor());
		});
		QemuLaunch q = (QemuLaunch) CoreModelSources.of(launch);
		Workbench.waitUntil("toro: ready", RunTest.BOOT, () -> q.readyNanos() != 0);
		ready.add((q.readyNanos() - t0[0]) / 1e6);
		ours.add((q.qemuStartedNanos() - t0[0]) / 1e6);
		return launch;
	}

	private static void hide(String viewId) {
		IViewPart v = Workbench.page().findView(viewId);
		if (v != null)
			Workbench.page().hideView(v);
	}

	/** The UI thread's CPU time over {@link #WINDOW} while it processes events, in % of one core. */
	private static double uiCpuPercent() {
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		long cpu0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
		Workbench.pump(WINDOW.toMillis());
		return 100.0 * (mx.getCurrentThreadCpuTime() - cpu0) / (System.nanoTime() - t0);
	}

	private static void report(String line) throws Exception {
		System.out.println("BENCH " + line);
		Path file = Path.of("target", "ide-bench.txt");
		Files.createDirectories(file.getParent());
		Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	private static double median(List<Double> values) {
		List<Double> s = new ArrayList<>(values);
		Collections.sort(s);
		return s.get(s.size() / 2);
	}

	private static String fmt(double v) {
		return String.format(Locale.ROOT, "%.1f", v);
	}

	private static String fmt(List<Double> values) {
		return values.stream().map(BenchTest::fmt).toList().toString();
	}
}
