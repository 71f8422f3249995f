package toro.studio.debug.ui.disassembly;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.contexts.DebugContextEvent;
import org.eclipse.debug.ui.contexts.IDebugContextListener;
import org.eclipse.debug.ui.contexts.IDebugContextService;
import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.part.ViewPart;
import org.eclipse.jface.resource.JFaceResources;

import toro.studio.debug.model.DisassemblyListing;
import toro.studio.debug.model.GdbStackFrame;
import toro.studio.debug.model.VcpuThread;

/**
 * Lists the machine code around the PC of the frame selected in the Debug view, with the C or NASM source
 * lines interleaved, and steps one instruction at a time. The platform has no disassembly view without
 * CDT; this one reads everything through gdb's -data-disassemble.
 */
public final class DisassemblyView extends ViewPart implements IDebugContextListener, IDebugEventSetListener {

    /** The view's id (plugin.xml). */
    public static final String ID = "toro.studio.debug.ui.disassembly";

    private Table table;
    private Label note;
    private volatile GdbStackFrame shown;
    private IDebugContextService contexts;

    @Override
    public void createPartControl(Composite parent) {
        parent.setLayout(new GridLayout(1, false));
        note = new Label(parent, SWT.WRAP);
        note.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        note.setText("Select a stack frame of a suspended Toro target in the Debug view.");
        table = new Table(parent, SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.setHeaderVisible(true);
        table.setFont(JFaceResources.getTextFont());
        column("Address", 150);
        column("Code", 700);

        IToolBarManager bar = getViewSite().getActionBars().getToolBarManager();
        bar.add(new StepAction("Step Instruction", "Executes one instruction, entering calls", true));
        bar.add(new StepAction("Step Over Instruction", "Executes one instruction, running calls to their end", false));

        contexts = DebugUITools.getDebugContextManager().getContextService(getSite().getWorkbenchWindow());
        contexts.addDebugContextListener(this);
        DebugPlugin.getDefault().addDebugEventListener(this);
        if (contexts.getActiveContext() instanceof IStructuredSelection s) {
            show(s.getFirstElement());
        }
    }

    private void column(String name, int width) {
        TableColumn c = new TableColumn(table, SWT.LEFT);
        c.setText(name);
        c.setWidth(width);
    }

    @Override
    public void dispose() {
        contexts.removeDebugContextListener(this);
        DebugPlugin.getDefault().removeDebugEventListener(this);
        super.dispose();
    }

    @Override
    public void setFocus() {
        table.setFocus();
    }

    /** Follows the Debug view's selection. */
    @Override
    public void debugContextChanged(DebugContextEvent event) {
        if ((event.getFlags() & DebugContextEvent.ACTIVATED) != 0 && event.getContext() instanceof IStructuredSelection s) {
            show(s.getFirstElement());
        }
    }

    /** Relists when the shown vCPU suspends again (after a step), and clears when its target ends. */
    @Override
    public void handleDebugEvents(DebugEvent[] events) {
        GdbStackFrame s = shown;
        for (DebugEvent e : events) {
            if (s != null && e.getSource() == s.getThread() && e.getKind() == DebugEvent.SUSPEND) {
                show(s.getThread());
            } else if (s != null && e.getSource() == s.getDebugTarget() && e.getKind() == DebugEvent.TERMINATE) {
                shown = null;
                showNote("The target has terminated.");
            }
        }
    }

    /**
     * Lists the code of element (a frame, or a vCPU's top frame) in a background job: every gdb read,
     * the vCPU's stack included, happens there, never on the UI thread.
     */
    private void show(Object element) {
        if (!(element instanceof GdbStackFrame) && !(element instanceof VcpuThread)) {
            return;
        }
        Job job = Job.create("Disassembling", (IProgressMonitor m) -> {
            GdbStackFrame frame;
            DisassemblyListing listing;
            try {
                frame = element instanceof GdbStackFrame f ? f : (GdbStackFrame) ((VcpuThread) element).getTopStackFrame();
                if (frame == null || !frame.isSuspended()) {
                    return Status.OK_STATUS;
                }
                shown = frame;
                listing = DisassemblyListing.around(frame);
            } catch (DebugException e) {
                showNote(e.getStatus().getMessage());
                return Status.OK_STATUS;
            }
            DisassemblyListing l = listing;
            GdbStackFrame f = frame;
            Display.getDefault().asyncExec(() -> fill(f, l));
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
    }

    private void showNote(String text) {
        Display.getDefault().asyncExec(() -> {
            if (!note.isDisposed()) {
                note.setText(text);
                table.removeAll();
            }
        });
    }

    private void fill(GdbStackFrame frame, DisassemblyListing listing) {
        if (table.isDisposed() || frame != shown) {
            return;
        }
        table.setRedraw(false);
        table.removeAll();
        Color sourceColor = table.getDisplay().getSystemColor(SWT.COLOR_DARK_GREEN);
        Color pcColor = table.getDisplay().getSystemColor(SWT.COLOR_INFO_BACKGROUND);
        Font bold = JFaceResources.getFontRegistry().getBold(JFaceResources.TEXT_FONT);
        int pcIndex = -1;
        for (DisassemblyListing.Row r : listing.rows()) {
            TableItem item = new TableItem(table, SWT.NONE);
            if (r.source()) {
                item.setText(new String[] { "", r.text() });
                item.setForeground(sourceColor);
            } else {
                item.setText(new String[] { (r.pc() ? "=> " : "   ") + String.format("0x%012x", r.addr()), r.text() });
                if (r.pc()) {
                    item.setBackground(pcColor);
                    item.setFont(bold);
                    pcIndex = table.getItemCount() - 1;
                }
            }
        }
        table.setRedraw(true);
        if (pcIndex >= 0) {
            table.setTopIndex(Math.max(0, pcIndex - 8));
        }
        note.setText(listing.note() != null ? listing.note()
                : ((VcpuThread) frame.getThread()).getName() + ", " + frame.getName() + ", PC 0x" + Long.toHexString(frame.frame().addr()));
        note.getParent().layout();
    }

    /** Steps the shown vCPU by one instruction, into or over calls, in a background job. */
    private final class StepAction extends Action {
        private final boolean into;

        StepAction(String text, String tip, boolean into) {
            super(text);
            setToolTipText(tip);
            this.into = into;
        }

        @Override
        public void run() {
            GdbStackFrame f = shown;
            if (f == null || !f.isSuspended()) {
                return;
            }
            VcpuThread t = (VcpuThread) f.getThread();
            Job.create(getText(), (IProgressMonitor m) -> {
                try {
                    if (into) {
                        t.stepInstruction();
                    } else {
                        t.nextInstruction();
                    }
                    return Status.OK_STATUS;
                } catch (DebugException e) {
                    return e.getStatus();
                }
            }).schedule();
        }
    }

    /** Returns the listing's rows count (for tests): instructions plus source lines shown. */
    public int rowCount() {
        return table.getItemCount();
    }

    /** Returns the text of row i's code column (for tests). */
    public String rowText(int i) {
        return table.getItem(i).getText(1);
    }

    /** Returns the address column of row i (for tests): "=> 0x..." on the PC's row. */
    public String rowAddress(int i) {
        return table.getItem(i).getText(0);
    }
}
