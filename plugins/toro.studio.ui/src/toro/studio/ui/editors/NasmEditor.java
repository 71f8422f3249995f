package toro.studio.ui.editors;

import org.eclipse.ui.editors.text.EditorsUI;
import org.eclipse.ui.editors.text.TextEditor;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;

/** The NASM editor: syntax colouring, and an outline of the file's labels. */
public final class NasmEditor extends TextEditor {
	/** The editor's id. */
	public static final String ID = "toro.studio.ui.editors.nasm";

	private LabelOutlinePage outline;

	public NasmEditor() {
		setSourceViewerConfiguration(new CodeConfiguration(Languages.NASM, EditorsUI.getPreferenceStore()));
	}

	@Override
	public <T> T getAdapter(Class<T> type) {
		if (type == IContentOutlinePage.class) {
			if (outline == null)
				outline = new LabelOutlinePage(this, getDocumentProvider().getDocument(getEditorInput()));
			return type.cast(outline);
		}
		return super.getAdapter(type);
	}
}
