package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.jface.text.IDocument;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Control;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.eclipse.ui.views.contentoutline.IContentOutlinePage;
import org.junit.jupiter.api.Test;

import toro.studio.core.KernelProjects;
import toro.studio.ui.editors.CEditor;
import toro.studio.ui.editors.Labels;
import toro.studio.ui.editors.NasmEditor;

/** The kernel's NASM and C sources open in Toro's editors, coloured, with the labels of NASM in the outline. */
public class EditorTest {
	@Test
	void nasmAndCSourcesOpenColouredWithLabelsInTheOutline() throws Exception {
		Workbench.noAutoBuild();
		IProject project = Workbench.offUi(Duration.ofMinutes(2), () -> {
			IProject[] made = new IProject[1];
			ResourcesPlugin.getWorkspace().run(m -> made[0] = KernelProjects.createFromBundled("toro-edit", m),
					ResourcesPlugin.getWorkspace().getRoot(), 0, null);
			return made[0];
		});
		IEditorPart asm = IDE.openEditor(Workbench.page(), project.getFile("arch/x86_64/boot.asm"));
		assertInstanceOf(NasmEditor.class, asm);
		IDocument doc = ((ITextEditor) asm).getDocumentProvider().getDocument(asm.getEditorInput());
		assertTrue(Labels.of(doc.get()).stream().anyMatch(l -> l.name().equals("pvh_start") && l.line() == 38),
				"the outline's labels include pvh_start at line 38 of boot.asm");
		assertNotNull(asm.getAdapter(IContentOutlinePage.class), "the NASM editor has an outline page");
		Workbench.pump(300);
		assertTrue(coloured(asm), "the NASM editor colours the source");

		IEditorPart c = IDE.openEditor(Workbench.page(), project.getFile("kernel/main.c"));
		assertInstanceOf(CEditor.class, c);
		Workbench.pump(300);
		assertTrue(coloured(c), "the C editor colours the source");
	}

	/** True when the editor's text shows more than one foreground colour. */
	private static boolean coloured(IEditorPart editor) {
		StyledText text = (StyledText) editor.getAdapter(Control.class);
		StyleRange[] ranges = text.getStyleRanges();
		return Arrays.stream(ranges).map(r -> r.foreground).filter(Objects::nonNull).distinct().count() > 1;
	}
}
