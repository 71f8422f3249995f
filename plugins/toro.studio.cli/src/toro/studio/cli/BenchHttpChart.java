package toro.studio.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code toro bench http} chart: QEMU's host CPU over time, one line per system, with the stress
 * shaded. It is the seed's {@code top} listing as a picture. Times are aligned on the start of the
 * stress; each point is the mean over {@link #SMOOTH_SECONDS} s (/proc's 10 ms ticks make single
 * 100 ms samples jump in steps of 10 %).
 */
final class BenchHttpChart {
	/** The window each plotted point averages, about top's own refresh. */
	static final double SMOOTH_SECONDS = 0.5;
	private static final Color[] LINES = { new Color(0x2b6cb0), new Color(0xdd6b20), new Color(0x2f855a), new Color(0x805ad5) };
	private static final Color STRESS = new Color(0xfde8d0);

	private BenchHttpChart() {
	}

	/** Writes the chart of the measured {@code rows} to {@code png}. */
	static void write(List<BenchHttpCommand.Row> rows, BenchHttpCommand.Setup setup, Path png) throws IOException {
		List<BenchHttpCommand.Row> measured = rows.stream().filter(BenchHttpCommand.Row::measured).toList();
		double before = BenchHttpCommand.QUIET_BEFORE_SECONDS, after = BenchHttpCommand.QUIET_AFTER_SECONDS;
		double stress = measured.stream().mapToDouble(r -> r.stressEnd() - r.stressStart()).max().orElse(setup.seconds());
		double x0 = -before, x1 = stress + after;
		double max = 100;
		for (BenchHttpCommand.Row r : measured)
			for (CpuTrace.Sample s : r.samples())
				max = Math.max(max, s.percent());
		max = Math.ceil(max / 50) * 50;
		int w = 900, h = 460, left = 70, right = w - 190, top = 60, bottom = h - 60;
		BufferedImage img = Png.canvas(w, h);
		Graphics2D g = Png.graphics(img);
		g.setColor(STRESS);
		g.fillRect(x(0, x0, x1, left, right), top, x(stress, x0, x1, left, right) - x(0, x0, x1, left, right), bottom - top);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		g.drawString("Host CPU of QEMU: HTTP stress (shaded), then idle", left, 24);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		g.drawString(String.format("%% of one host core, %.1f s means; wrk on %s, %s, %d vCPUs, %s", SMOOTH_SECONDS, setup.path(),
				setup.machine().name().toLowerCase(), setup.cpus(), setup.accel().name().toLowerCase()), left, 42);
		for (int k = 0; k <= 5; k++) {
			int y = bottom - (int) ((bottom - top) * k / 5.0);
			g.setColor(new Color(0xdddddd));
			g.drawLine(left, y, right, y);
			g.setColor(Color.DARK_GRAY);
			g.drawString(String.format("%.0f", max * k / 5), left - 35, y + 4);
		}
		for (double t = Math.ceil(x0 / 5) * 5; t <= x1; t += 5) {
			int x = x(t, x0, x1, left, right);
			g.drawLine(x, bottom, x, bottom + 4);
			g.drawString(String.format("%.0f s", t), x - 10, bottom + 18);
		}
		g.drawString("seconds from the start of the stress", left + (right - left) / 2 - 90, bottom + 38);
		g.setStroke(new BasicStroke(1.8f));
		for (int i = 0; i < measured.size(); i++) {
			BenchHttpCommand.Row r = measured.get(i);
			g.setColor(LINES[i % LINES.length]);
			Path2D.Double line = new Path2D.Double();
			boolean first = true;
			for (CpuTrace.Sample s : r.samples()) {
				double m = CpuTrace.mean(r.samples(), s.endSeconds() - SMOOTH_SECONDS, s.endSeconds());
				double t = s.endSeconds() - r.stressStart();
				if (Double.isNaN(m) || t < x0 || t > x1)
					continue;
				double y = bottom - (bottom - top) * Math.min(m, max) / max;
				if (first)
					line.moveTo(x(t, x0, x1, left, right), y);
				else
					line.lineTo(x(t, x0, x1, left, right), y);
				first = false;
			}
			g.draw(line);
			int ly = top + 10 + i * 34;
			g.fillRect(right + 12, ly - 8, 14, 4);
			g.setColor(Color.BLACK);
			g.drawString(r.name(), right + 32, ly - 2);
			g.setColor(Color.DARK_GRAY);
			g.drawString(String.format("%.0f req/s, idle in %s", r.headline().requestsPerSecond(),
					Double.isNaN(r.secondsToIdle()) ? "> " + BenchHttpCommand.QUIET_AFTER_SECONDS + " s"
							: String.format("%.1f s", r.secondsToIdle())), right + 32, ly + 12);
		}
		g.dispose();
		Png.write(img, png);
	}

	private static int x(double t, double x0, double x1, int left, int right) {
		return left + (int) Math.round((t - x0) / (x1 - x0) * (right - left));
	}
}
