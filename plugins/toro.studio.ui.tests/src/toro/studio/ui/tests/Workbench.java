package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.core.resources.IWorkspaceDescription;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;

/** Helpers for tests that run on the workbench's UI thread. */
final class Workbench {
	private Workbench() {
	}

	static Display display() {
		return PlatformUI.getWorkbench().getDisplay();
	}

	static IWorkbenchPage page() {
		return PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
	}

	/** The checkout root (tests get it as the system property toro.root). */
	static Path root() {
		String r = System.getProperty("toro.root");
		if (r == null)
			fail("the system property toro.root (the checkout root) is not set");
		return Path.of(r);
	}

	/** Processes UI events until {@code condition} holds; fails with {@code what} after {@code timeout}. */
	static void waitUntil(String what, Duration timeout, BooleanSupplier condition) {
		waitUntil(() -> what, timeout, condition);
	}

	/** As {@link #waitUntil(String, Duration, BooleanSupplier)}, describing the state at the time of failure. */
	static void waitUntil(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
		long end = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end)
				fail("timed out after " + timeout.toSeconds() + " s waiting for: " + what.get());
			pump(20);
		}
	}

	/** Processes UI events for {@code millis} ms, sleeping in between (one timer wakes the loop at the end). */
	static void pump(long millis) {
		Display d = display();
		boolean[] done = { false };
		d.timerExec((int) millis, () -> done[0] = true);
		while (!done[0]) {
			if (!d.readAndDispatch())
				d.sleep();
		}
	}

	/** Runs {@code work} off the UI thread while processing UI events; returns its result or rethrows. */
	static <T> T offUi(Duration timeout, Callable<T> work) throws Exception {
		CompletableFuture<T> f = CompletableFuture.supplyAsync(() -> {
			try {
				return work.call();
			} catch (Exception e) {
				throw new RuntimeException(e);
			}
		});
		waitUntil("background work", timeout, f::isDone);
		try {
			return f.get();
		} catch (ExecutionException e) {
			Throwable c = e.getCause() instanceof RuntimeException r && r.getCause() instanceof Exception x ? x : e.getCause();
			throw c instanceof Exception x ? x : new RuntimeException(c);
		}
	}

	/** Turns the workspace's auto-build off, so tests decide when builds run. */
	static void noAutoBuild() throws CoreException {
		IWorkspaceDescription d = ResourcesPlugin.getWorkspace().getDescription();
		d.setAutoBuilding(false);
		ResourcesPlugin.getWorkspace().setDescription(d);
	}

	/** Saves what the screen shows of {@code control} as a PNG file. */
	static void screenshot(Control control, Path file) throws Exception {
		Rectangle b = control.getBounds();
		Point at = control.getParent() == null ? new Point(b.x, b.y) : control.getParent().toDisplay(b.x, b.y);
		Display d = control.getDisplay();
		Image image = new Image(d, b.width, b.height);
		GC gc = new GC(d);
		try {
			gc.copyArea(image, at.x, at.y);
		} finally {
			gc.dispose();
		}
		try {
			ImageLoader loader = new ImageLoader();
			loader.data = new ImageData[] { image.getImageData() };
			Files.createDirectories(file.getParent());
			loader.save(file.toString(), SWT.IMAGE_PNG);
		} finally {
			image.dispose();
		}
	}
}
