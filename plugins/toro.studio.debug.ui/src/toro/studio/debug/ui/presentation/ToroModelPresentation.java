package toro.studio.debug.ui.presentation;

import org.eclipse.core.filesystem.EFS;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.model.ILineBreakpoint;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.sourcelookup.containers.LocalFileStorage;
import org.eclipse.debug.ui.IDebugModelPresentation;
import org.eclipse.debug.ui.IValueDetailListener;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.ui.IEditorDescriptor;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.ide.FileStoreEditorInput;
import org.eclipse.ui.part.FileEditorInput;

import toro.studio.debug.breakpoints.ToroLineBreakpoint;
import toro.studio.debug.model.ToroDebugTarget;
import toro.studio.debug.model.VcpuThread;

/**
 * Labels and editors of the Toro debug model: threads and targets say whether they are suspended, hardware
 * breakpoints say so, values show gdb's text as is, and sources open in the editor registered for their
 * name (the C or NASM editor), from the workspace when the file is there.
 */
public final class ToroModelPresentation extends LabelProvider implements IDebugModelPresentation {

    /** The editor used when no editor is registered for a source file's name. */
    private static final String TEXT_EDITOR = "org.eclipse.ui.DefaultTextEditor";

    @Override
    public void setAttribute(String attribute, Object value) {
        // no presentation attributes: variable types are not shown by gdb's values
    }

    /** Returns the element's name with its state, or null to let the platform label it. */
    @Override
    public String getText(Object element) {
        if (element instanceof VcpuThread t) {
            return t.getName() + (t.isSuspended() ? " (Suspended)" : t.isTerminated() ? "" : " (Running)");
        }
        if (element instanceof ToroDebugTarget t) {
            return t.getName() + (t.isTerminated() ? " <terminated>" : t.isSuspended() ? " (Suspended)" : " (Running)");
        }
        if (element instanceof ToroLineBreakpoint b && b.getMarker() != null) {
            return b.getMarker().getAttribute(org.eclipse.core.resources.IMarker.MESSAGE, "Toro breakpoint");
        }
        return null;
    }

    @Override
    public void computeDetail(IValue value, IValueDetailListener listener) {
        String detail;
        try {
            detail = value.getValueString();
        } catch (CoreException e) {
            detail = e.getStatus().getMessage();
        }
        listener.detailComputed(value, detail);
    }

    /** Returns the editor input of a workspace file, a file outside the workspace, or a breakpoint's file. */
    @Override
    public IEditorInput getEditorInput(Object element) {
        if (element instanceof ILineBreakpoint b && b.getMarker() != null) {
            element = b.getMarker().getResource();
        }
        if (element instanceof IFile f) {
            return new FileEditorInput(f);
        }
        if (element instanceof LocalFileStorage s) {
            return new FileStoreEditorInput(EFS.getLocalFileSystem().fromLocalFile(s.getFile()));
        }
        return null;
    }

    /** Returns the editor registered for the file's name (C or NASM editor), else the text editor. */
    @Override
    public String getEditorId(IEditorInput input, Object element) {
        if (element instanceof ILineBreakpoint b && b.getMarker() != null) {
            IResource r = b.getMarker().getResource();
            element = r;
        }
        String name = element instanceof IFile f ? f.getName()
                : element instanceof LocalFileStorage s ? s.getName() : input.getName();
        IEditorDescriptor d = PlatformUI.getWorkbench().getEditorRegistry().getDefaultEditor(name);
        return d != null ? d.getId() : TEXT_EDITOR;
    }
}
