package toro.studio.core;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ProjectScope;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.osgi.service.prefs.BackingStoreException;

/**
 * The per-project settings of a Toro kernel project, kept in the project's
 * .settings/ folder so they travel with the tree.
 */
public final class ProjectSettings {
	private static final String NODE = "toro.studio.core";
	private static final String PROFILE = "profile";

	private ProjectSettings() {
	}

	/** The build profile chosen for {@code project}, or null for the descriptor's default. */
	public static String profile(IProject project) {
		String p = node(project).get(PROFILE, "");
		return p.isBlank() ? null : p;
	}

	/** Chooses the build profile of {@code project}; null or blank means the descriptor's default. */
	public static void setProfile(IProject project, String profile) throws BackingStoreException {
		IEclipsePreferences node = node(project);
		if (profile == null || profile.isBlank())
			node.remove(PROFILE);
		else
			node.put(PROFILE, profile);
		node.flush();
	}

	private static IEclipsePreferences node(IProject project) {
		return new ProjectScope(project).getNode(NODE);
	}
}
