package toro.studio.ui.editors;

import org.eclipse.ui.editors.text.EditorsUI;
import org.eclipse.ui.editors.text.TextEditor;

/** An editor for the kernel's C sources with syntax colouring (CDT is not part of Toro Studio). */
public final class CEditor extends TextEditor {
	/** The editor's id. */
	public static final String ID = "toro.studio.ui.editors.c";

	public CEditor() {
		setSourceViewerConfiguration(new CodeConfiguration(Languages.C, EditorsUI.getPreferenceStore()));
	}
}
