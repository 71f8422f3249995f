package toro.studio.launch;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchesListener;

/**
 * The registry of {@link CoreModelSource}s, one per launch, so views can
 * follow the launch selected in the Debug view. A launch's source stays until
 * the launch is removed, so its last data remains visible after it ends.
 */
public final class CoreModelSources {
	private static final Map<ILaunch, CoreModelSource> SOURCES = new LinkedHashMap<>();

	static {
		DebugPlugin debug = DebugPlugin.getDefault();
		if (debug != null) {
			debug.getLaunchManager().addLaunchListener(new ILaunchesListener() {
				@Override
				public void launchesRemoved(ILaunch[] launches) {
					for (ILaunch l : launches)
						remove(l);
				}

				@Override
				public void launchesAdded(ILaunch[] launches) {
				}

				@Override
				public void launchesChanged(ILaunch[] launches) {
				}
			});
		}
	}

	private CoreModelSources() {
	}

	/** Makes {@code source} the source of its launch (replacing any earlier one). */
	public static synchronized void put(CoreModelSource source) {
		SOURCES.remove(source.launch());
		SOURCES.put(source.launch(), source);
	}

	/** Forgets the source of {@code launch}. */
	public static synchronized void remove(ILaunch launch) {
		SOURCES.remove(launch);
	}

	/** The source of {@code launch}, or null. */
	public static synchronized CoreModelSource of(ILaunch launch) {
		return SOURCES.get(launch);
	}

	/** The source registered last, or null: what a view shows when nothing is selected. */
	public static synchronized CoreModelSource latest() {
		CoreModelSource last = null;
		for (CoreModelSource s : SOURCES.values())
			last = s;
		return last;
	}
}
