package toro.studio.debug.ui.breakpoints;

import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.texteditor.ITextEditor;

import toro.studio.debug.ToroDebug;
import toro.studio.debug.breakpoints.ToroLineBreakpoint;

/**
 * Toggles a Toro line breakpoint on the selected line of a C or NASM editor (ruler double-click, Run >
 * Toggle Breakpoint). A new breakpoint is a software one; the Breakpoints view makes it hardware.
 */
public final class ToroToggleBreakpointsTarget implements IToggleBreakpointsTarget {

    /** The file name endings of sources gdb has line information for. */
    private static final String[] SOURCES = { ".c", ".h", ".asm", ".inc", ".nasm", ".S", ".s" };

    /** Returns the workspace file of part when it is a text editor on a kernel source, else null. */
    static IResource sourceOf(IWorkbenchPart part) {
        if (!(part instanceof ITextEditor editor)) {
            return null;
        }
        IResource r = editor.getEditorInput().getAdapter(IResource.class);
        if (r == null) {
            return null;
        }
        for (String s : SOURCES) {
            if (r.getName().endsWith(s)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void toggleLineBreakpoints(IWorkbenchPart part, ISelection selection) throws CoreException {
        IResource file = sourceOf(part);
        if (file == null || !(selection instanceof ITextSelection text)) {
            return;
        }
        int line = text.getStartLine() + 1;
        IBreakpointManager manager = DebugPlugin.getDefault().getBreakpointManager();
        for (IBreakpoint b : manager.getBreakpoints(ToroDebug.MODEL_ID)) {
            if (b instanceof ToroLineBreakpoint t && file.equals(t.getMarker().getResource()) && t.getLineNumber() == line) {
                t.delete();
                return;
            }
        }
        manager.addBreakpoint(new ToroLineBreakpoint(file, line, false));
    }

    @Override
    public boolean canToggleLineBreakpoints(IWorkbenchPart part, ISelection selection) {
        return sourceOf(part) != null && selection instanceof ITextSelection;
    }

    @Override
    public void toggleMethodBreakpoints(IWorkbenchPart part, ISelection selection) {
        // gdb breaks on functions through the Debugger tab's "Stop at" or the gdb console (break NAME)
    }

    @Override
    public boolean canToggleMethodBreakpoints(IWorkbenchPart part, ISelection selection) {
        return false;
    }

    @Override
    public void toggleWatchpoints(IWorkbenchPart part, ISelection selection) {
        // watchpoints are set in the gdb console (watch EXPR), which gdb backs with debug registers
    }

    @Override
    public boolean canToggleWatchpoints(IWorkbenchPart part, ISelection selection) {
        return false;
    }
}
