package toro.studio.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Draws the {@code toro bench idle} results as a grouped bar chart, one group per run setting. */
final class BenchIdleChart {
	private static final Color HALT = new Color(0x2b6cb0), POLL = new Color(0xdd6b20);

	private BenchIdleChart() {
	}

	/** Writes the chart of {@code rows} (halt and poll alternating, as measured) to {@code png}. */
	static void write(List<BenchIdleCommand.Row> rows, int seconds, Path png) throws IOException {
		int groups = rows.size() / 2;
		int w = Math.max(640, 120 + groups * 110), h = 420;
		int left = 70, right = w - 20, top = 60, bottom = h - 70;
		double max = 10;
		for (BenchIdleCommand.Row r : rows)
			max = Math.max(max, r.hostCpuPercent());
		max = Math.ceil(max / 50) * 50;
		BufferedImage img = Png.canvas(w, h);
		Graphics2D g = Png.graphics(img);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		g.drawString("Host CPU of QEMU, Toro kernel idle, " + seconds + " s per run", left, 24);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
		g.drawString("% of one host core; lower is better", left, 42);
		for (int k = 0; k <= 5; k++) {
			double v = max * k / 5;
			int y = bottom - (int) ((bottom - top) * k / 5.0);
			g.setColor(new Color(0xdddddd));
			g.drawLine(left, y, right, y);
			g.setColor(Color.DARK_GRAY);
			g.drawString(String.format("%.0f", v), left - 35, y + 4);
		}
		int gw = (right - left) / Math.max(1, groups);
		int bw = Math.min(36, gw / 3);
		for (int i = 0; i < groups; i++) {
			BenchIdleCommand.Row halt = rows.get(2 * i), poll = rows.get(2 * i + 1);
			int x = left + i * gw + (gw - 2 * bw) / 2;
			bar(g, x, bw, halt.hostCpuPercent(), max, top, bottom, HALT);
			bar(g, x + bw, bw, poll.hostCpuPercent(), max, top, bottom, POLL);
			g.setColor(Color.BLACK);
			String label = halt.accel().name().toLowerCase() + ", " + halt.cores() + " core" + (halt.cores() == 1 ? "" : "s");
			g.drawString(label, left + i * gw + (gw - g.getFontMetrics().stringWidth(label)) / 2, bottom + 18);
		}
		g.setColor(Color.BLACK);
		g.setStroke(new BasicStroke(1.5f));
		g.drawLine(left, bottom, right, bottom);
		g.drawLine(left, top, left, bottom);
		legend(g, left, h - 28, HALT, "idle=halt (normal kernel)");
		legend(g, left + 220, h - 28, POLL, "idle=poll (spinning baseline)");
		g.dispose();
		Png.write(img, png);
	}

	private static void bar(Graphics2D g, int x, int bw, double v, double max, int top, int bottom, Color c) {
		int bh = (int) Math.round((bottom - top) * Math.min(v, max) / max);
		g.setColor(c);
		g.fillRect(x, bottom - bh, bw - 4, Math.max(bh, 1));
		g.setColor(Color.BLACK);
		String s = String.format(v < 10 ? "%.1f" : "%.0f", v);
		g.drawString(s, x + (bw - 4 - g.getFontMetrics().stringWidth(s)) / 2, bottom - bh - 4);
	}

	private static void legend(Graphics2D g, int x, int y, Color c, String text) {
		g.setColor(c);
		g.fillRect(x, y - 10, 12, 12);
		g.setColor(Color.BLACK);
		g.drawString(text, x + 18, y);
	}
}
