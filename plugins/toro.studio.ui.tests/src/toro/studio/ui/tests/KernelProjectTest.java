package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;

import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jface.viewers.StructuredSelection;
import org.eclipse.jface.wizard.WizardDialog;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

import toro.studio.core.BuildMarkers;
import toro.studio.core.ToroBuilder;
import toro.studio.core.ToroNature;
import toro.studio.ui.wizards.NewKernelProjectWizard;

/**
 * The project workflow with the real build engine, gcc, nasm and ld: the
 * wizard creates a project from the bundled kernel sources, the builder builds
 * it, and an error injected into a C file becomes a marker at its line that
 * goes away when the error is fixed.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
public class KernelProjectTest {
	private static final Duration BUILD = Duration.ofMinutes(5);
	private IProject project;

	@Test
	@Order(1)
	void wizardCreatesProjectFromBundledSources() throws Exception {
		Workbench.noAutoBuild();
		NewKernelProjectWizard wizard = new NewKernelProjectWizard();
		wizard.init(PlatformUI.getWorkbench(), StructuredSelection.EMPTY);
		WizardDialog dialog = new WizardDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), wizard);
		dialog.setBlockOnOpen(false);
		dialog.open();
		try {
			wizard.page().fill("toro-wizard", null);
			assertTrue(wizard.canFinish(), "the page accepts a fresh name with the bundled sources");
			assertTrue(wizard.performFinish(), "the wizard finishes");
		} finally {
			dialog.close();
		}
		project = wizard.created();
		assertNotNull(project);
		assertTrue(project.hasNature(ToroNature.ID), "the project has the Toro nature");
		assertTrue(project.getFile("toro.build").exists(), "the project holds the kernel's toro.build");
		assertTrue(Arrays.stream(project.getDescription().getBuildSpec()).anyMatch(c -> ToroBuilder.ID.equals(c.getBuilderName())),
				"the Toro builder is in the build spec");
	}

	@Test
	@Order(2)
	void buildProducesTheImageWithoutErrors() throws Exception {
		Workbench.offUi(BUILD, () -> {
			project.build(IncrementalProjectBuilder.FULL_BUILD, new NullProgressMonitor());
			return null;
		});
		assertTrue(errorSeverity(project) < IMarker.SEVERITY_ERROR, () -> "no error markers: " + markers(project));
		IFolder out = project.getFolder("build");
		assertTrue(out.exists() && out.isDerived(), "build/ is refreshed and marked derived");
		assertTrue(Files.isRegularFile(project.getLocation().toPath().resolve("build/release/toro.elf")),
				"build/release/toro.elf exists");
	}

	@Test
	@Order(3)
	void injectedErrorBecomesMarkerAtItsLineAndGoesAwayWhenFixed() throws Exception {
		IFile file = firstCSource();
		String original = new String(file.getContents().readAllBytes(), StandardCharsets.UTF_8);
		String base = original.endsWith("\n") ? original : original + "\n";
		int line = (int) base.chars().filter(c -> c == '\n').count() + 1;
		set(file, base + "int toro_injected_error = ;\n");
		build();
		IMarker[] markers = file.findMarkers(BuildMarkers.TYPE, true, IResource.DEPTH_ZERO);
		assertTrue(Arrays.stream(markers).anyMatch(m -> m.getAttribute(IMarker.LINE_NUMBER, -1) == line
				&& m.getAttribute(IMarker.SEVERITY, -1) == IMarker.SEVERITY_ERROR),
				() -> "an error marker on " + file.getName() + " line " + line + "; markers: " + markers(project));

		set(file, original);
		build();
		assertEquals(0, file.findMarkers(BuildMarkers.TYPE, true, IResource.DEPTH_ZERO).length,
				() -> "no marker after the fix; markers: " + markers(project));
	}

	@Test
	@Order(4)
	void aSourceEditedOutsideEclipseIsRebuiltOnTheNextBuild() throws Exception {
		build();
		java.nio.file.Path image = project.getLocation().toPath().resolve("build/release/toro.elf");
		java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(image);
		java.nio.file.Path source = firstCSource().getLocation().toPath();
		String text = Files.readString(source);
		try {
			// as another editor or git would: Eclipse's resource tree is not told
			Files.writeString(source, text + "int toro_edited_outside_eclipse;\n");
			Thread.sleep(20); // a later mtime on file systems with coarse timestamps
			build();
			assertTrue(Files.getLastModifiedTime(image).compareTo(before) > 0,
					"the image is rebuilt after an edit Eclipse did not see, not launched stale");
		} finally {
			Files.writeString(source, text);
			build();
		}
	}

	private void build() throws Exception {
		Workbench.offUi(BUILD, () -> {
			project.build(IncrementalProjectBuilder.INCREMENTAL_BUILD, new NullProgressMonitor());
			return null;
		});
	}

	private IFile firstCSource() throws Exception {
		return Arrays.stream(project.getFolder("kernel").members()).filter(r -> "c".equals(r.getFileExtension()))
				.map(IFile.class::cast).min(Comparator.comparing(IResource::getName)).orElseThrow();
	}

	private static void set(IFile file, String text) throws Exception {
		file.setContents(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), IResource.FORCE, null);
	}

	private static int errorSeverity(IProject p) throws Exception {
		return p.findMaxProblemSeverity(BuildMarkers.TYPE, true, IResource.DEPTH_INFINITE);
	}

	static String markers(IProject p) {
		try {
			StringBuilder b = new StringBuilder();
			for (IMarker m : p.findMarkers(BuildMarkers.TYPE, true, IResource.DEPTH_INFINITE))
				b.append("\n  ").append(m.getResource().getProjectRelativePath()).append(':')
						.append(m.getAttribute(IMarker.LINE_NUMBER, -1)).append(": ").append(m.getAttribute(IMarker.MESSAGE, ""));
			return b.length() == 0 ? "(none)" : b.toString();
		} catch (Exception e) {
			return e.toString();
		}
	}
}
