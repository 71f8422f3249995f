package toro.studio.ui.editors;

import java.util.List;

import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.IDocumentListener;
import org.eclipse.jface.text.DocumentEvent;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.TreeViewer;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.ContentOutlinePage;

/**
 * The Outline of a NASM editor: its labels in order (local labels indented);
 * selecting one reveals it. Re-read shortly after each edit.
 */
final class LabelOutlinePage extends ContentOutlinePage implements IDocumentListener {
	private static final int DELAY_MS = 300;

	private final ITextEditor editor;
	private final IDocument document;
	private final Runnable update = this::update;

	LabelOutlinePage(ITextEditor editor, IDocument document) {
		this.editor = editor;
		this.document = document;
	}

	@Override
	public void createControl(Composite parent) {
		super.createControl(parent);
		TreeViewer viewer = getTreeViewer();
		viewer.setContentProvider(ArrayContentProvider.getInstance());
		viewer.setLabelProvider(new LabelProvider() {
			@Override
			public String getText(Object element) {
				Labels.Label l = (Labels.Label) element;
				return (l.local() ? "    " : "") + l.name() + "  (" + l.line() + ")";
			}
		});
		viewer.addSelectionChangedListener(e -> {
			if (((IStructuredSelection) e.getSelection()).getFirstElement() instanceof Labels.Label l)
				editor.selectAndReveal(l.offset(), l.length());
		});
		document.addDocumentListener(this);
		update();
	}

	/** The labels on show. */
	List<Labels.Label> labels() {
		return Labels.of(document.get());
	}

	private void update() {
		TreeViewer viewer = getTreeViewer();
		if (viewer != null && !viewer.getControl().isDisposed())
			viewer.setInput(labels());
	}

	@Override
	public void documentChanged(DocumentEvent event) {
		TreeViewer viewer = getTreeViewer();
		if (viewer != null && !viewer.getControl().isDisposed())
			viewer.getControl().getDisplay().timerExec(DELAY_MS, update);
	}

	@Override
	public void documentAboutToBeChanged(DocumentEvent event) {
	}

	@Override
	public void dispose() {
		document.removeDocumentListener(this);
		super.dispose();
	}
}
