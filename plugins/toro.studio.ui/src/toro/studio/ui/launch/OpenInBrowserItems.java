package toro.studio.ui.launch;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.CompoundContributionItem;

import toro.studio.launch.LaunchAttributes;
import toro.studio.qemu.Forward;

/**
 * "Open in Browser" in the Debug view's context menu: one item per TCP port forward of the selected
 * launch's running QEMU, opening {@code http://127.0.0.1:HOSTPORT/} with the workbench's browser
 * support (the external browser: org.eclipse.ui.browser is not in the target platform, so the
 * workbench's default support starts the desktop's browser). The forwards come from the QEMU
 * process's {@link LaunchAttributes#PROCESS_FORWARDS} attribute, so the chosen ports of host port 0
 * are the ones shown.
 */
public final class OpenInBrowserItems extends CompoundContributionItem {
	@Override
	protected IContributionItem[] getContributionItems() {
		List<IContributionItem> items = new ArrayList<>();
		for (Page p : pages(launchOf(DebugUITools.getDebugContext()))) {
			Action a = new Action("Open in Browser: " + p.url() + " (guest port " + p.guestPort() + ")") {
				@Override
				public void run() {
					open(p.url());
				}
			};
			items.add(new ActionContributionItem(a));
		}
		return items.toArray(IContributionItem[]::new);
	}

	/** One forwarded page: the URL on the host and the guest port it reaches. */
	public record Page(URL url, int guestPort) {
	}

	/** @return the launch of a Debug view element (a launch, a process, a debug target or thread), or null. */
	static ILaunch launchOf(IAdaptable element) {
		if (element instanceof ILaunch l)
			return l;
		if (element instanceof IProcess p)
			return p.getLaunch();
		if (element instanceof IDebugElement d)
			return d.getLaunch();
		return null;
	}

	/**
	 * @return the pages of {@code launch}'s running QEMU processes, one per TCP forward, in the order of
	 *         the forwards; empty for null, a finished launch or one without forwards
	 */
	public static List<Page> pages(ILaunch launch) {
		List<Page> pages = new ArrayList<>();
		if (launch == null)
			return pages;
		for (IProcess p : launch.getProcesses()) {
			String words = p.getAttribute(LaunchAttributes.PROCESS_FORWARDS);
			if (p.isTerminated() || words == null || words.isBlank())
				continue;
			for (String w : words.trim().split(" ")) {
				Forward f = Forward.parse(w);
				if (f.protocol() == Forward.Protocol.TCP)
					pages.add(new Page(url(f.hostPort()), f.guestPort()));
			}
		}
		return pages;
	}

	private static URL url(int port) {
		try {
			return new URL("http", "127.0.0.1", port, "/");
		} catch (MalformedURLException e) {
			throw new IllegalStateException("http://127.0.0.1:" + port + "/ is a valid URL", e);
		}
	}

	/** Opens {@code url} in the workbench's external browser; a failure is shown, never swallowed. */
	static void open(URL url) {
		try {
			PlatformUI.getWorkbench().getBrowserSupport().getExternalBrowser().openURL(url);
		} catch (PartInitException e) {
			MessageDialog.openError(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "Open in Browser",
					"Cannot open " + url + " in a browser: " + e.getMessage() + "\nOpen it by hand; the port forward stays up while QEMU runs.");
		}
	}
}
