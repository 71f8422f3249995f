package toro.studio.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import toro.studio.ui.ToroPerspective;
import toro.studio.ui.views.CoresView;
import toro.studio.ui.views.IdleView;
import toro.studio.ui.views.NetworkView;

/** The Toro perspective opens with its Cores, Idle and Network views. */
public class PerspectiveTest {
	@Test
	void perspectiveOpensWithCoresIdleAndNetworkViews() throws Exception {
		IWorkbenchPage page = PlatformUI.getWorkbench().showPerspective(ToroPerspective.ID,
				PlatformUI.getWorkbench().getActiveWorkbenchWindow());
		page.resetPerspective();
		Workbench.pump(200);
		assertEquals(ToroPerspective.ID, page.getPerspective().getId());
		assertNotNull(page.findView(CoresView.ID), "the Cores view is part of the Toro perspective");
		assertNotNull(page.findView(IdleView.ID), "the Idle view is part of the Toro perspective");
		assertNotNull(page.findView(NetworkView.ID), "the Network view is part of the Toro perspective");
	}
}
