package toro.studio.ui.views;

import java.util.List;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IElementComparer;
import org.eclipse.jface.viewers.ITreeContentProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.jface.viewers.TreeViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.part.ViewPart;

import toro.studio.launch.CoreModelSource;
import toro.studio.telemetry.CoreModel;
import toro.studio.telemetry.CoreView;
import toro.studio.telemetry.NetView;
import toro.studio.telemetry.ThreadSample;

/**
 * The Cores view: one row per core (state, current thread, ready threads,
 * context switches/s, halts/s, idle %, and when the kernel shows a network,
 * frames received and sent per second and open connections), and under it the
 * core's threads (id, name, state, CPU time), for the launch selected in the
 * Debug view.
 */
public final class CoresView extends ViewPart {
	/** The view's id. */
	public static final String ID = "toro.studio.ui.views.cores";

	private static final String[] COLUMNS = { "Core / Thread", "State", "Current thread", "Ready", "Switches/s", "Halts/s",
			"Idle %", "Rx pkt/s", "Tx pkt/s", "Conns", "CPU time" };
	private static final int[] WIDTHS = { 150, 110, 130, 60, 90, 80, 70, 80, 80, 60, 100 };

	private TreeViewer viewer;
	private SourceTracker tracker;
	private CoreRows rows = CoreRows.EMPTY;

	@Override
	public void createPartControl(Composite parent) {
		viewer = new TreeViewer(parent, SWT.FULL_SELECTION | SWT.V_SCROLL | SWT.H_SCROLL);
		Tree tree = viewer.getTree();
		tree.setHeaderVisible(true);
		tree.setLinesVisible(true);
		for (int i = 0; i < COLUMNS.length; i++) {
			TreeViewerColumn c = new TreeViewerColumn(viewer, i == 0 || i == 1 || i == 2 ? SWT.LEFT : SWT.RIGHT);
			c.getColumn().setText(COLUMNS[i]);
			c.getColumn().setWidth(WIDTHS[i]);
			int column = i;
			c.setLabelProvider(new ColumnLabelProvider() {
				@Override
				public String getText(Object element) {
					return rows.text(element, column);
				}
			});
		}
		viewer.setComparer(new RowIdentity());
		viewer.setUseHashlookup(true);
		viewer.setContentProvider(new Content());
		viewer.setAutoExpandLevel(TreeViewer.ALL_LEVELS);
		viewer.setInput(this);
		// the selected core or thread is what commands on this view (e.g. Show vCPU Stack) act on
		getSite().setSelectionProvider(viewer);
		tracker = new SourceTracker(this, tree, this::show);
	}

	/** Shows the source's current model (UI thread), touching only the rows whose text changed. */
	private void show(CoreModelSource source) {
		CoreRows before = rows;
		CoreModel m = source.coreModel();
		rows = new CoreRows(m.cores(), m.threads(), m.hasNetwork() ? m.net() : List.of());
		List<Object> changed = rows.changedSince(before);
		if (changed == null) {
			viewer.refresh();
			viewer.expandAll();
		}
		else if (!changed.isEmpty())
			viewer.update(changed.toArray(), null);
	}

	/** The cores on show (for tests and screenshots). */
	public List<CoreView> cores() {
		return rows.cores();
	}

	/** The network rates on show, one per core, empty when the kernel shows no network (for tests). */
	public List<NetView> net() {
		return List.copyOf(rows.net().values());
	}

	/** The view's top control (for screenshots). */
	public Control control() {
		return viewer.getControl();
	}

	@Override
	public void setFocus() {
		viewer.getControl().setFocus();
	}

	@Override
	public void dispose() {
		if (tracker != null)
			tracker.dispose();
		super.dispose();
	}

	/** Cores are the roots, each core's threads its children; both read from {@link #rows}. */
	private final class Content implements ITreeContentProvider {
		@Override
		public Object[] getElements(Object input) {
			return rows.cores().toArray();
		}

		@Override
		public Object[] getChildren(Object parent) {
			return parent instanceof CoreView c ? rows.threadsOf(c.cpu()).toArray() : new Object[0];
		}

		@Override
		public Object getParent(Object element) {
			return null;
		}

		@Override
		public boolean hasChildren(Object element) {
			return element instanceof CoreView c && !rows.threadsOf(c.cpu()).isEmpty();
		}
	}

	/** A core is the same row across samples when its number is; a thread when its id is. */
	private static final class RowIdentity implements IElementComparer {
		@Override
		public boolean equals(Object a, Object b) {
			return CoreRows.sameRow(a, b);
		}

		@Override
		public int hashCode(Object element) {
			if (element instanceof CoreView c)
				return c.cpu();
			if (element instanceof ThreadSample t)
				return 31 + t.tid();
			return System.identityHashCode(element);
		}
	}
}
