package toro.studio.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.console.IConsoleConstants;

import toro.studio.ui.views.CoresView;
import toro.studio.ui.views.IdleView;
import toro.studio.ui.views.NetworkView;
import toro.studio.ui.wizards.NewKernelProjectWizard;

/**
 * The Toro perspective, laid out for kernel work: projects and outline on the left, the
 * editor in the middle, the Cores, Idle and Network views on the right, and the console and
 * problems of builds and runs below.
 */
public final class ToroPerspective implements IPerspectiveFactory {
	/** The perspective's id, the product's default. */
	public static final String ID = "toro.studio.ui.perspective";

	@Override
	public void createInitialLayout(IPageLayout layout) {
		String editors = layout.getEditorArea();

		IFolderLayout left = layout.createFolder("left", IPageLayout.LEFT, 0.22f, editors);
		left.addView(IPageLayout.ID_PROJECT_EXPLORER);

		// the Outline, and the Debug view when opened, sit under the projects: never over the Cores view
		IFolderLayout leftBottom = layout.createFolder("leftBottom", IPageLayout.BOTTOM, 0.55f, "left");
		leftBottom.addView(IPageLayout.ID_OUTLINE);
		leftBottom.addPlaceholder(IDebugUIConstants.ID_DEBUG_VIEW);

		IFolderLayout bottom = layout.createFolder("bottom", IPageLayout.BOTTOM, 0.70f, editors);
		bottom.addView(IConsoleConstants.ID_CONSOLE_VIEW);
		bottom.addView(IPageLayout.ID_PROBLEM_VIEW);
		bottom.addPlaceholder(IPageLayout.ID_PROGRESS_VIEW);

		IFolderLayout right = layout.createFolder("right", IPageLayout.RIGHT, 0.5f, editors);
		right.addView(CoresView.ID);

		IFolderLayout rightBottom = layout.createFolder("rightBottom", IPageLayout.BOTTOM, 0.5f, "right");
		rightBottom.addView(IdleView.ID);
		rightBottom.addView(NetworkView.ID);

		layout.addShowViewShortcut(IPageLayout.ID_PROJECT_EXPLORER);
		layout.addShowViewShortcut(IConsoleConstants.ID_CONSOLE_VIEW);
		layout.addShowViewShortcut(IPageLayout.ID_PROBLEM_VIEW);
		layout.addShowViewShortcut(IPageLayout.ID_OUTLINE);
		layout.addShowViewShortcut(CoresView.ID);
		layout.addShowViewShortcut(IdleView.ID);
		layout.addShowViewShortcut(NetworkView.ID);
		layout.addShowViewShortcut(IDebugUIConstants.ID_DEBUG_VIEW);
		layout.addActionSet(IDebugUIConstants.LAUNCH_ACTION_SET);
		layout.addNewWizardShortcut(NewKernelProjectWizard.ID);
		layout.addPerspectiveShortcut(ID);
	}
}
