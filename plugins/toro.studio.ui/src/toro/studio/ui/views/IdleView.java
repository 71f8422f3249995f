package toro.studio.ui.views;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;

import toro.studio.launch.CoreModelSource;
import toro.studio.launch.IdleHistory;
import toro.studio.launch.IdleHistory.Point;
import toro.studio.launch.IdleHistory.Window;

/**
 * The Idle view: each core's idle % over time as a live line chart, with the
 * host CPU of the QEMU process beside it (the figure top shows) and the
 * halts/s and wake-ups/s of all cores; a toolbar toggle overlays the
 * application's requests/s (from toro_net_stats.requests); the launch's
 * stress windows ("Stress for N s" in the Debug view) are shaded; the history
 * exports to CSV and PNG.
 */
public final class IdleView extends ViewPart {
	/** The view's id. */
	public static final String ID = "toro.studio.ui.views.idle";

	private static final int FIGURES_PERIOD_MS = 500;

	private Label figures;
	private long figuresNanos;
	private Canvas canvas;
	private SourceTracker tracker;
	private IdleHistory history;
	private List<Point> points = List.of();
	private List<Window> stress = List.of();
	private final IdleChart.Background background = new IdleChart.Background();
	private boolean requests;
	private Action requestsToggle;

	@Override
	public void createPartControl(Composite parent) {
		parent.setLayout(new GridLayout(1, false));
		figures = new Label(parent, SWT.NONE);
		figures.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
		figures.setText("No Toro launch yet: run a kernel (Run As > Toro Kernel).");
		canvas = new Canvas(parent, SWT.NO_BACKGROUND);
		canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
		canvas.addPaintListener(e -> IdleChart.paint(e.gc, canvas.getClientArea(), points, stress, background, requests));
		IToolBarManager bar = getViewSite().getActionBars().getToolBarManager();
		requestsToggle = new Action("Requests/s", IAction.AS_CHECK_BOX) {
			@Override
			public void run() {
				setRequestsOverlay(isChecked());
			}
		};
		requestsToggle.setToolTipText("Overlay the application's requests per second (all cores) on the chart");
		bar.add(requestsToggle);
		bar.add(new Action("Export CSV...") {
			@Override
			public void run() {
				export("*.csv", IdleView.this::exportCsv);
			}
		});
		bar.add(new Action("Export PNG...") {
			@Override
			public void run() {
				export("*.png", IdleView.this::exportPng);
			}
		});
		tracker = new SourceTracker(this, canvas, this::show);
	}

	/** Shows the source's latest figures and redraws the chart (UI thread). */
	private void show(CoreModelSource source) {
		history = source.history();
		points = history.last(IdleChart.capacity(canvas.getClientArea().width));
		stress = history.windows();
		if (!points.isEmpty()) {
			Point p = points.get(points.size() - 1);
			double idle = 0;
			for (double v : p.idle())
				idle += v;
			setFigures(String.format(Locale.ROOT, "host CPU (qemu): %s   mean idle: %.1f %%   halts/s: %.0f   wake-ups/s: %.0f%s",
					Double.isNaN(p.hostCpu()) ? "-" : String.format(Locale.ROOT, "%.1f %%", p.hostCpu()),
					p.idle().length == 0 ? 0 : idle / p.idle().length, p.halts(), p.wakeups(),
					Double.isNaN(p.requests()) ? "" : String.format(Locale.ROOT, "   requests/s: %.0f", p.requests())));
		}
		canvas.redraw();
	}

	/**
	 * Sets the figures line, at most every {@value #FIGURES_PERIOD_MS} ms: a
	 * label change costs a text layout, and numbers changing faster cannot be
	 * read anyway (the chart still moves at the telemetry's rate).
	 */
	private void setFigures(String text) {
		long now = System.nanoTime();
		if (now - figuresNanos < FIGURES_PERIOD_MS * 1_000_000L || text.equals(figures.getText()))
			return;
		figuresNanos = now;
		figures.setText(text);
	}

	/** Shows or hides the requests/s overlay, as the toolbar toggle does. UI thread only. */
	public void setRequestsOverlay(boolean on) {
		requests = on;
		requestsToggle.setChecked(on);
		canvas.redraw();
	}

	/** Whether the requests/s overlay is on. */
	public boolean requestsOverlay() {
		return requests;
	}

	/** The requests/s of the latest point on show, NaN when there is none or the kernel shows no network. */
	public double requestsPerSec() {
		return points.isEmpty() ? Double.NaN : points.get(points.size() - 1).requests();
	}

	/** The stress windows on show, oldest first. */
	public List<Window> stressWindows() {
		return stress;
	}

	/** The number of samples in the history on show (0 if none). */
	public long samples() {
		return history == null ? 0 : history.count();
	}

	/** Writes the whole history on show to {@code file} as CSV. */
	public void exportCsv(Path file) throws IOException {
		Files.writeString(file, history == null ? "" : history.toCsv(), StandardCharsets.UTF_8);
	}

	/** Writes the chart, as shown, to {@code file} as PNG. UI thread only. */
	public void exportPng(Path file) throws IOException {
		Rectangle area = canvas.getClientArea();
		Image image = new Image(canvas.getDisplay(), Math.max(area.width, 100), Math.max(area.height, 60));
		GC gc = new GC(image);
		IdleChart.Background own = new IdleChart.Background();
		try {
			IdleChart.paint(gc, image.getBounds(), points, stress, own, requests);
		} finally {
			gc.dispose();
			own.dispose();
		}
		try {
			ImageData data = image.getImageData();
			ImageLoader loader = new ImageLoader();
			loader.data = new ImageData[] { data };
			loader.save(file.toString(), SWT.IMAGE_PNG);
		} finally {
			image.dispose();
		}
	}

	/** What an export writes. */
	private interface Exporter {
		void write(Path file) throws IOException;
	}

	private void export(String extension, Exporter exporter) {
		FileDialog dialog = new FileDialog(canvas.getShell(), SWT.SAVE);
		dialog.setFilterExtensions(new String[] { extension });
		dialog.setOverwrite(true);
		String name = dialog.open();
		if (name == null)
			return;
		try {
			exporter.write(Path.of(name));
		} catch (IOException | RuntimeException e) {
			MessageDialog.openError(canvas.getShell(), "Export failed", "Could not write " + name + ": " + e.getMessage());
		}
	}

	/** The view's top control (for screenshots). */
	public Control control() {
		return canvas.getParent();
	}

	@Override
	public void setFocus() {
		canvas.setFocus();
	}

	@Override
	public void dispose() {
		if (tracker != null)
			tracker.dispose();
		background.dispose();
		super.dispose();
	}
}
