package toro.studio.launch;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;

/** Run mode of "Toro Kernel (QEMU)": build, boot, console (see {@link QemuLaunch}). */
public final class KernelLaunchDelegate extends LaunchConfigurationDelegate {
	@Override
	public void launch(ILaunchConfiguration config, String mode, ILaunch launch, IProgressMonitor monitor) throws CoreException {
		QemuLaunch.start(config, launch, false, monitor);
	}

	/** No workspace-wide build: {@link QemuLaunch} builds just the launch's target. */
	@Override
	public boolean buildForLaunch(ILaunchConfiguration config, String mode, IProgressMonitor monitor) {
		return false;
	}
}
