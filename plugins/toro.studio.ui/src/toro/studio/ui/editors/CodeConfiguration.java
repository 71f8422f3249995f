package toro.studio.ui.editors;

import org.eclipse.jface.preference.IPreferenceStore;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.presentation.IPresentationReconciler;
import org.eclipse.jface.text.presentation.PresentationReconciler;
import org.eclipse.jface.text.rules.DefaultDamagerRepairer;
import org.eclipse.jface.text.source.ISourceViewer;
import org.eclipse.ui.editors.text.TextSourceViewerConfiguration;

import toro.studio.ui.editors.CodeScanner.Language;

/** A source viewer set-up that colours one language with a {@link CodeScanner}. */
final class CodeConfiguration extends TextSourceViewerConfiguration {
	private final Language language;

	CodeConfiguration(Language language, IPreferenceStore store) {
		super(store);
		this.language = language;
	}

	@Override
	public IPresentationReconciler getPresentationReconciler(ISourceViewer viewer) {
		PresentationReconciler r = new PresentationReconciler();
		DefaultDamagerRepairer dr = new DefaultDamagerRepairer(new CodeScanner(language));
		r.setDamager(dr, IDocument.DEFAULT_CONTENT_TYPE);
		r.setRepairer(dr, IDocument.DEFAULT_CONTENT_TYPE);
		return r;
	}
}
