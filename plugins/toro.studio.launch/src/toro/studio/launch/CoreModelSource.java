package toro.studio.launch;

import org.eclipse.debug.core.ILaunch;

import toro.studio.telemetry.CoreModel;

/**
 * Where the Cores and Idle views read a launch's per-core state: the
 * telemetry of a running kernel ({@link QemuLaunch}), or, for a debug launch
 * that is stopped, a model fed from GDB reads of the same kernel structures.
 * Register one with {@link CoreModelSources#put}.
 *
 * The views poll {@link #version()} at their refresh rate and read the model
 * only when it changed, so an implementation never calls into the UI.
 */
public interface CoreModelSource {
	/** The launch whose kernel this describes. */
	ILaunch launch();

	/** The per-core model; it keeps its last data after the launch ends. */
	CoreModel coreModel();

	/** The idle statistics over time, with the host CPU of the QEMU process. */
	IdleHistory history();

	/** A counter that grows whenever the model or the history changed. */
	long version();
}
