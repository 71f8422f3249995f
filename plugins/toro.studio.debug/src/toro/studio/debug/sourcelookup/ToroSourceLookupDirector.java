package toro.studio.debug.sourcelookup;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.sourcelookup.AbstractSourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;

/**
 * Finds the source of a Toro stack frame: the C or NASM file gdb names, in the launch's project (so breakpoints
 * can be toggled in it) or, outside the workspace, on disk. Its containers come from the
 * {@link ToroSourcePathComputer}.
 */
public final class ToroSourceLookupDirector extends AbstractSourceLookupDirector {

    /** The id of the director (declared in plugin.xml, so a launch's source memento can name it). */
    public static final String ID = "toro.studio.debug.sourceLocator";

    /** Creates a launch of config in mode whose source locator is a director initialised for config. */
    public static ILaunch newLaunch(ILaunchConfiguration config, String mode) throws CoreException {
        ToroSourceLookupDirector director = new ToroSourceLookupDirector();
        director.initializeDefaults(config);
        director.setSourcePathComputer(
                DebugPlugin.getDefault().getLaunchManager().getSourcePathComputer(ToroSourcePathComputer.ID));
        return new Launch(config, mode, director);
    }

    @Override
    public void initializeParticipants() {
        addParticipants(new ISourceLookupParticipant[] { new ToroSourceLookupParticipant() });
    }
}
