package toro.studio.ui.launch;

import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;

/** Reads launch attributes for the tabs, where an unreadable value shows as its default. */
final class Attrs {
	private Attrs() {
	}

	static String get(ILaunchConfiguration c, String name, String dflt) {
		try {
			return c.getAttribute(name, dflt);
		} catch (CoreException e) {
			return dflt;
		}
	}

	static int get(ILaunchConfiguration c, String name, int dflt) {
		try {
			return c.getAttribute(name, dflt);
		} catch (CoreException e) {
			return dflt;
		}
	}

	static boolean get(ILaunchConfiguration c, String name, boolean dflt) {
		try {
			return c.getAttribute(name, dflt);
		} catch (CoreException e) {
			return dflt;
		}
	}

	static List<String> get(ILaunchConfiguration c, String name, List<String> dflt) {
		try {
			return c.getAttribute(name, dflt);
		} catch (CoreException e) {
			return dflt;
		}
	}
}
