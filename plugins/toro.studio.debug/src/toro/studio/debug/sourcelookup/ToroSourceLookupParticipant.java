package toro.studio.debug.sourcelookup;

import java.io.File;
import java.net.URI;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.debug.core.sourcelookup.AbstractSourceLookupParticipant;
import org.eclipse.debug.core.sourcelookup.containers.LocalFileStorage;

import toro.studio.debug.model.GdbStackFrame;

/**
 * Maps a Toro stack frame to its source. gdb gives the full path when it resolved one; a file inside the
 * workspace is returned as that workspace file, a file elsewhere as a local file; a name gdb could not
 * resolve (relative to the compilation directory) is looked up in the launch's source containers.
 */
final class ToroSourceLookupParticipant extends AbstractSourceLookupParticipant {

    /** Returns the path gdb gives for a Toro frame's source, or null for anything else. */
    @Override
    public String getSourceName(Object object) throws CoreException {
        return object instanceof GdbStackFrame f ? f.sourcePath() : null;
    }

    @Override
    public Object[] findSourceElements(Object object) throws CoreException {
        String name = getSourceName(object);
        if (name != null && new File(name).isAbsolute()) {
            URI uri = IPath.fromOSString(name).toFile().toURI();
            IFile[] files = ResourcesPlugin.getWorkspace().getRoot().findFilesForLocationURI(uri);
            if (files.length > 0) {
                return files;
            }
            if (new File(name).isFile()) {
                return new Object[] { new LocalFileStorage(new File(name)) };
            }
        }
        return super.findSourceElements(object);
    }
}
