package toro.studio.ui.launch;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.ComboBoxCellEditor;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.TextCellEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;

/**
 * The table of port forwards on the QEMU tab: protocol, host port (0 = a free one at launch) and
 * guest port, edited in place, with Add and Remove. Every host side is 127.0.0.1; the table cannot
 * name another address. Rows are kept as typed; the tab checks them ({@link QemuTab#isValid}).
 */
final class ForwardsTable {
	private static final String[] PROTOCOLS = { "tcp", "udp" };

	private final List<String[]> rows = new ArrayList<>();
	private final TableViewer viewer;
	private final Button add;
	private final Button remove;
	private final Runnable changed;

	/** @param changed called after every edit (the tab refreshes the dialog) */
	ForwardsTable(Composite parent, Runnable changed) {
		this.changed = changed;
		Composite c = new Composite(parent, SWT.NONE);
		c.setLayout(new GridLayout(2, false));
		c.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
		viewer = new TableViewer(c, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
		Table t = viewer.getTable();
		t.setHeaderVisible(true);
		t.setLinesVisible(true);
		GridData tableData = new GridData(SWT.FILL, SWT.FILL, true, true, 1, 2);
		tableData.heightHint = 80;
		t.setLayoutData(tableData);
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		column("Protocol", 80, 0, new ComboBoxCellEditor(t, PROTOCOLS, SWT.READ_ONLY));
		column("Host port (127.0.0.1)", 150, 1, new TextCellEditor(t));
		column("Guest port", 100, 2, new TextCellEditor(t));
		viewer.setInput(rows);
		add = new Button(c, SWT.PUSH);
		add.setText("Add");
		add.setLayoutData(new GridData(SWT.FILL, SWT.TOP, false, false));
		add.addListener(SWT.Selection, e -> {
			rows.add(new String[] { "tcp", "0", "80" });
			refresh();
		});
		remove = new Button(c, SWT.PUSH);
		remove.setText("Remove");
		remove.setLayoutData(new GridData(SWT.FILL, SWT.TOP, false, false));
		remove.addListener(SWT.Selection, e -> {
			((IStructuredSelection) viewer.getSelection()).toList().forEach(rows::remove);
			refresh();
		});
	}

	/** Adds a column showing field {@code index} of a row, edited with {@code editor}. */
	private void column(String title, int width, int index, CellEditor editor) {
		TableViewerColumn col = new TableViewerColumn(viewer, SWT.NONE);
		col.getColumn().setText(title);
		col.getColumn().setWidth(width);
		col.setLabelProvider(ColumnLabelProvider.createTextProvider(r -> ((String[]) r)[index]));
		boolean combo = editor instanceof ComboBoxCellEditor;
		col.setEditingSupport(new EditingSupport(viewer) {
			@Override
			protected CellEditor getCellEditor(Object element) {
				return editor;
			}

			@Override
			protected boolean canEdit(Object element) {
				return true;
			}

			@Override
			protected Object getValue(Object element) {
				String v = ((String[]) element)[index];
				return combo ? Integer.valueOf(v.equals("udp") ? 1 : 0) : v;
			}

			@Override
			protected void setValue(Object element, Object value) {
				((String[]) element)[index] = combo ? PROTOCOLS[Math.max(0, (Integer) value)] : String.valueOf(value).trim();
				refresh();
			}
		});
	}

	private void refresh() {
		viewer.refresh();
		changed.run();
	}

	/** Shows {@code forwards} (each as the launch configuration stores it), dropping what was there. */
	void set(List<String> forwards) {
		rows.clear();
		for (String f : forwards) {
			String[] parts = f.trim().split(":");
			if (parts.length == 2)
				rows.add(new String[] { "tcp", parts[0], parts[1] });
			else if (parts.length == 3)
				rows.add(new String[] { parts[0].toLowerCase(), parts[1], parts[2] });
			else
				rows.add(new String[] { "tcp", f, "" });
		}
		viewer.refresh();
	}

	/** @return the rows as the launch configuration stores them: {@code 8080:80}, {@code udp:5353:53}. */
	List<String> get() {
		return rows.stream().map(r -> (r[0].equals("tcp") ? "" : r[0] + ":") + r[1] + ":" + r[2]).toList();
	}

	/** Enables or disables the table and its buttons (forwards exist for user networking only). */
	void setEnabled(boolean on) {
		viewer.getTable().setEnabled(on);
		add.setEnabled(on);
		remove.setEnabled(on);
	}
}
