package toro.studio.ui.launch;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.jface.window.Window;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.CompoundContributionItem;

import toro.studio.launch.CoreModelSources;
import toro.studio.launch.QemuLaunch;
import toro.studio.launch.StressRun;

/**
 * "Stress..." in the Debug view's context menu: one item per TCP port forward of the selected launch's
 * running QEMU (the same forwards "Open in Browser" offers). It asks for a {@link StressRun.Plan} and runs
 * it as a cancellable job; the Idle view shades the stress window, and the result goes to the launch's
 * console.
 */
public final class StressItems extends CompoundContributionItem {
	@Override
	protected IContributionItem[] getContributionItems() {
		ILaunch launch = OpenInBrowserItems.launchOf(DebugUITools.getDebugContext());
		List<IContributionItem> items = new ArrayList<>();
		for (OpenInBrowserItems.Page p : OpenInBrowserItems.pages(launch)) {
			Action a = new Action(label(p)) {
				@Override
				public void run() {
					StressDialog d = new StressDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(),
							p.url().toString());
					if (d.open() == Window.OK)
						schedule(launch, p.url().getPort(), d.plan());
				}
			};
			items.add(new ActionContributionItem(a));
		}
		return items.toArray(IContributionItem[]::new);
	}

	/** The menu label of the stress item for {@code page}. */
	public static String label(OpenInBrowserItems.Page page) {
		return "Stress...: " + page.url() + " (guest port " + page.guestPort() + ")";
	}

	/**
	 * Runs {@code plan} against 127.0.0.1:{@code port} of {@code launch} as a job, and returns the job
	 * (already scheduled). A launch whose views are not fed by a {@link QemuLaunch} has no history to
	 * mark, so the job ends with an error saying so.
	 */
	public static Job schedule(ILaunch launch, int port, StressRun.Plan plan) {
		Job job = new Job("Stress 127.0.0.1:" + port + " for " + plan.seconds() + " s") {
			@Override
			protected IStatus run(IProgressMonitor monitor) {
				QemuLaunch q = QemuLaunch.of(launch);
				if (q == null)
					return Status.error("The launch has no running QEMU to stress.");
				try {
					StressRun.Outcome o = StressRun.run(q, port, plan, monitor::isCanceled);
					return o.cancelled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
				} catch (Exception e) {
					q.message("stress: " + e.getMessage());
					return Status.error("Stress failed: " + e.getMessage(), e);
				}
			}
		};
		job.setUser(true);
		job.schedule();
		return job;
	}
}
