package toro.studio.ui.views;

import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Device;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Rectangle;

import toro.studio.launch.IdleHistory;
import toro.studio.launch.IdleHistory.Point;
import toro.studio.launch.IdleHistory.Window;

/**
 * Draws the Idle view's line chart with plain SWT: each core's idle % over
 * time (one colour per core), and the host CPU % of the QEMU process as a
 * black line, on a 0-100 % scale (host CPU above 100 % is clipped and
 * its true value is in the view's figures), and on request the application's
 * requests/s as a dark green line on its own scale (0 to the largest value on
 * show, written in the legend). The launch's stress windows (a load running
 * against the guest) are shaded behind the lines, so that the host CPU's rise
 * under load and its fall after it read at a glance. Used for the screen and
 * for PNG export alike.
 */
final class IdleChart {
	private static final int[][] PALETTE = { { 31, 119, 180 }, { 255, 127, 14 }, { 44, 160, 44 }, { 214, 39, 40 },
			{ 148, 103, 189 }, { 140, 86, 75 }, { 227, 119, 194 }, { 23, 190, 207 } };
	/** The requests/s overlay's colour: apart from the cores' palette and the host CPU's black. */
	private static final Color REQUESTS = new Color(0, 100, 0);
	/** The stress windows' shade: light, so that every line stays readable over it. */
	private static final Color STRESS = new Color(255, 228, 196);
	private static final int LEFT = 40, TOP = 8, RIGHT = 110, BOTTOM = 20;
	/** Horizontal pixels per point. */
	static final int STEP = 2;

	private IdleChart() {
	}

	/** The number of points that fit a chart {@code width} pixels wide. */
	static int capacity(int width) {
		return Math.max(2, (width - LEFT - RIGHT) / STEP + 1);
	}

	/**
	 * Paints {@code points} (oldest first) into {@code area}. The grid, scale
	 * and legend change only with the size and the number of cores, so they are
	 * drawn once into {@code background} and copied; only the lines are drawn
	 * on every refresh (text drawing is what costs on GTK).
	 */
	static void paint(GC gc, Rectangle area, List<Point> points, List<Window> stress, Background background,
			boolean requests) {
		int cores = points.stream().mapToInt(p -> p.idle().length).max().orElse(0);
		gc.drawImage(background.get(gc.getDevice(), area.width, area.height, cores, requests), area.x, area.y);
		gc.setAntialias(SWT.OFF);
		int x0 = area.x + LEFT, y0 = area.y + TOP;
		int w = Math.max(1, area.width - LEFT - RIGHT), h = Math.max(1, area.height - TOP - BOTTOM);
		shade(gc, points, stress, x0, y0, w, h);
		for (int c = 0; c < cores; c++) {
			gc.setForeground(color(c));
			int core = c;
			polyline(gc, points, x0, y0, w, h, p -> core < p.idle().length ? p.idle()[core] : Double.NaN);
		}
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
		polyline(gc, points, x0, y0, w, h, Point::hostCpu);
		if (requests)
			requests(gc, area, points, x0, y0, w, h, cores);
	}

	/**
	 * Shades each run of points that lies in a stress window, from its first
	 * point to its last, over the chart's whole height, under the lines.
	 */
	private static void shade(GC gc, List<Point> points, List<Window> stress, int x0, int y0, int w, int h) {
		if (stress.isEmpty())
			return;
		int first = Math.max(0, points.size() - capacity(w + LEFT + RIGHT));
		gc.setBackground(STRESS);
		int runStart = -1;
		for (int i = first; i <= points.size(); i++) {
			boolean in = i < points.size() && IdleHistory.stressed(stress, points.get(i).millis());
			if (in && runStart < 0)
				runStart = i;
			if (!in && runStart >= 0) {
				int xa = x0 + (runStart - first) * STEP, xb = x0 + (i - 1 - first) * STEP;
				gc.fillRectangle(xa, y0, Math.max(STEP, xb - xa), h);
				runStart = -1;
			}
		}
	}

	/** The requests/s line, scaled so that the largest value on show is the top of the chart. */
	private static void requests(GC gc, Rectangle area, List<Point> points, int x0, int y0, int w, int h, int cores) {
		int first = Math.max(0, points.size() - capacity(w + LEFT + RIGHT));
		double max = 0;
		for (int i = first; i < points.size(); i++)
			if (points.get(i).requests() > max)
				max = points.get(i).requests();
		double top = max > 0 ? max : 1;
		gc.setForeground(REQUESTS);
		gc.setLineWidth(2);
		polyline(gc, points, x0, y0, w, h, p -> p.requests() * 100 / top);
		gc.setLineWidth(0);
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
		String label = points.stream().allMatch(p -> Double.isNaN(p.requests())) ? "no network"
				: String.format(java.util.Locale.ROOT, "max %.0f/s", max);
		gc.drawString(label, area.x + area.width - RIGHT + 32, y0 + (cores + 2) * 16, true);
	}

	/** The chart's static part (grid, scale, legend), redrawn only when its size or core count changes. */
	static final class Background {
		private Image image;
		private int width, height, cores;
		private boolean requests;

		Image get(Device device, int w, int h, int n, boolean withRequests) {
			w = Math.max(w, 1);
			h = Math.max(h, 1);
			if (image == null || w != width || h != height || n != cores || withRequests != requests) {
				dispose();
				image = new Image(device, w, h);
				width = w;
				height = h;
				cores = n;
				requests = withRequests;
				GC gc = new GC(image);
				try {
					draw(gc, new Rectangle(0, 0, w, h), n, withRequests);
				} finally {
					gc.dispose();
				}
			}
			return image;
		}

		void dispose() {
			if (image != null)
				image.dispose();
			image = null;
		}
	}

	private static void draw(GC gc, Rectangle area, int cores, boolean requests) {
		gc.setBackground(gc.getDevice().getSystemColor(SWT.COLOR_WHITE));
		gc.fillRectangle(area);
		int x0 = area.x + LEFT, y0 = area.y + TOP;
		int w = Math.max(1, area.width - LEFT - RIGHT), h = Math.max(1, area.height - TOP - BOTTOM);
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_GRAY));
		for (int pct = 0; pct <= 100; pct += 25) {
			int y = y0 + h - pct * h / 100;
			gc.drawLine(x0, y, x0 + w, y);
			gc.drawString(pct + "%", area.x + 4, y - 7, true);
		}
		gc.drawString("idle % per core; host CPU of QEMU (black)" + (requests ? "; requests/s (green, own scale)" : "")
				+ "; stress shaded", x0,
				y0 + h + 3, true);
		int lx = area.x + area.width - RIGHT + 8;
		for (int c = 0; c < cores; c++)
			legend(gc, lx, y0 + c * 16, color(c), "cpu " + c);
		legend(gc, lx, y0 + cores * 16, gc.getDevice().getSystemColor(SWT.COLOR_BLACK), "host CPU");
		if (requests)
			legend(gc, lx, y0 + (cores + 1) * 16, REQUESTS, "requests/s");
	}

	private static void polyline(GC gc, List<Point> points, int x0, int y0, int w, int h,
			java.util.function.ToDoubleFunction<Point> value) {
		int first = Math.max(0, points.size() - capacity(w + LEFT + RIGHT));
		int[] xy = new int[(points.size() - first) * 2];
		int n = 0;
		for (int i = first; i < points.size(); i++) {
			double v = value.applyAsDouble(points.get(i));
			if (Double.isNaN(v)) {
				n = flush(gc, xy, n);
				continue;
			}
			xy[n++] = x0 + (i - first) * STEP;
			xy[n++] = y0 + h - (int) Math.round(Math.max(0, Math.min(100, v)) * h / 100);
		}
		flush(gc, xy, n);
	}

	/** Draws the pending run of coordinates and returns 0, the new run's length. */
	private static int flush(GC gc, int[] xy, int n) {
		if (n >= 4)
			gc.drawPolyline(java.util.Arrays.copyOf(xy, n));
		return 0;
	}

	private static void legend(GC gc, int x, int y, Color color, String label) {
		gc.setForeground(color);
		gc.drawLine(x, y + 7, x + 20, y + 7);
		gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
		gc.drawString(label, x + 24, y, true);
	}

	private static Color color(int core) {
		int[] rgb = PALETTE[core % PALETTE.length];
		return new Color(rgb[0], rgb[1], rgb[2]);
	}
}
