package toro.studio.ui.views;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewPart;

import toro.studio.launch.CoreModelSource;
import toro.studio.launch.CoreModelSources;

/**
 * Drives a Toro view: follows the launch selected in the Debug view (falling
 * back to the latest launch) and, {@value #PERIOD_MS} ms apart on the UI
 * thread, calls the view back when that launch's {@link CoreModelSource}
 * changed. Telemetry threads never touch the UI; the view reads the model
 * only when its version moved and it is visible, which keeps the UI thread's
 * cost small.
 */
final class SourceTracker implements IDebugContextListener {
	/** The refresh period: 10 Hz, the kernel's default telemetry rate. */
	static final int PERIOD_MS = 100;

	/** What a view does with a changed source. */
	interface Refresh {
		/** Shows {@code source} (never null); called on the UI thread. */
		void refresh(CoreModelSource source);
	}

	private final IDebugContextService contexts;
	private final Display display;
	private final Control control;
	private final Refresh view;
	private ILaunch selected;
	private CoreModelSource shown;
	private long shownVersion = -1;
	private final Runnable tick = this::tick;

	SourceTracker(IViewPart part, Control control, Refresh view) {
		this.control = control;
		this.display = control.getDisplay();
		this.view = view;
		this.contexts = DebugUITools.getDebugContextManager().getContextService(part.getSite().getWorkbenchWindow());
		contexts.addDebugContextListener(this);
		selected = launchOf(contexts.getActiveContext());
		display.timerExec(PERIOD_MS, tick);
	}

	/** The source on show, or null. */
	CoreModelSource shown() {
		return shown;
	}

	/** Stops following; call from the view's dispose(). */
	void dispose() {
		contexts.removeDebugContextListener(this);
		if (!display.isDisposed())
			display.timerExec(-1, tick);
	}

	@Override
	public void debugContextChanged(DebugContextEvent event) {
		ILaunch l = launchOf(event.getContext());
		if (l != null)
			selected = l;
	}

	private void tick() {
		if (control.isDisposed())
			return;
		CoreModelSource source = selected != null ? CoreModelSources.of(selected) : null;
		if (source == null)
			source = CoreModelSources.latest();
		if (source != null && control.isVisible() && (source != shown || source.version() != shownVersion)) {
			shown = source;
			shownVersion = source.version();
			view.refresh(source);
		}
		display.timerExec(PERIOD_MS, tick);
	}

	private static ILaunch launchOf(ISelection selection) {
		if (!(selection instanceof IStructuredSelection s) || s.isEmpty())
			return null;
		Object o = s.getFirstElement();
		if (o instanceof ILaunch l)
			return l;
		if (o instanceof IProcess p)
			return p.getLaunch();
		if (o instanceof IDebugElement d)
			return d.getLaunch();
		return Adapters.adapt(o, ILaunch.class);
	}
}
