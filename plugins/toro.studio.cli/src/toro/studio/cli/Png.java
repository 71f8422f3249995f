package toro.studio.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** The canvas the benchmark charts draw on, headless, and its one way to a PNG file. */
final class Png {
	private Png() {
	}

	/** A white {@code w} x {@code h} image, AWT headless (no display needed). */
	static BufferedImage canvas(int w, int h) {
		System.setProperty("java.awt.headless", "true");
		BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = img.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, w, h);
		g.dispose();
		return img;
	}

	/** A graphics context on {@code img} with antialiased lines and text. */
	static Graphics2D graphics(BufferedImage img) {
		Graphics2D g = img.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		return g;
	}

	/** Writes {@code img} to {@code png}, creating its directory. */
	static void write(BufferedImage img, Path png) throws IOException {
		Path dir = png.toAbsolutePath().getParent();
		if (dir != null)
			Files.createDirectories(dir);
		if (!ImageIO.write(img, "png", png.toFile()))
			throw new IOException("no PNG writer in this JVM");
	}
}
