package toro.studio.launch;

import static toro.studio.launch.LaunchAttributes.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.ILaunchConfiguration;

import toro.studio.core.ToroNature;
import toro.studio.qemu.Accel;
import toro.studio.qemu.Forward;
import toro.studio.qemu.Machine;
import toro.studio.qemu.NetBackend;
import toro.studio.qemu.Network;

/**
 * The values of a "Toro Kernel (QEMU)" launch configuration, read and checked
 * once. Blank strings become null (the defaults).
 */
public record LaunchSettings(IProject project, String target, String profile, boolean buildFirst, String image,
		Machine machine, int cpus, int memoryMiB, Accel accel, String append, List<String> extraArgs,
		boolean whyDidItDie, Network network) {

	/** Reads {@code config}; throws with a message naming the bad attribute and what to enter. */
	public static LaunchSettings of(ILaunchConfiguration config) throws CoreException {
		String projectName = config.getAttribute(PROJECT, "");
		if (projectName.isBlank())
			throw error("No project chosen: pick a Toro kernel project on the Main tab.");
		IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject(projectName);
		if (!project.exists() || !project.isOpen())
			throw error("The project " + projectName + " does not exist or is closed: pick an open project on the Main tab.");
		if (!ToroNature.has(project))
			throw error("The project " + projectName + " is not a Toro kernel project (it lacks the Toro nature).");
		int cpus = config.getAttribute(CPUS, DEFAULT_CPUS);
		if (cpus < 1 || cpus > 64)
			throw error("Cores must be between 1 and 64 (got " + cpus + "): fix it on the QEMU tab.");
		int memory = config.getAttribute(MEMORY, DEFAULT_MEMORY);
		if (memory < 16)
			throw error("Memory must be at least 16 MiB (got " + memory + "): fix it on the QEMU tab.");
		String extra = config.getAttribute(EXTRA_ARGS, "").trim();
		return new LaunchSettings(project, blankToNull(config.getAttribute(TARGET, "")),
				blankToNull(config.getAttribute(PROFILE, "")), config.getAttribute(BUILD_FIRST, true),
				blankToNull(config.getAttribute(IMAGE, "")),
				enumOf(Machine.class, config.getAttribute(MACHINE, DEFAULT_MACHINE), "machine"), cpus, memory,
				enumOf(Accel.class, config.getAttribute(ACCEL, DEFAULT_ACCEL), "accelerator"),
				config.getAttribute(APPEND, "").trim(),
				extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+")),
				config.getAttribute(WHY_DID_IT_DIE, false), network(config));
	}

	/**
	 * Reads the network attributes (absent ones: no network), for the delegate and for the QEMU tab's check.
	 *
	 * @throws CoreException naming the bad value and what to change on the QEMU tab
	 */
	public static Network network(ILaunchConfiguration config) throws CoreException {
		NetBackend backend = enumOf(NetBackend.class, config.getAttribute(NET_BACKEND, DEFAULT_NET_BACKEND), "network backend");
		List<Forward> forwards = new ArrayList<>();
		try {
			for (String f : config.getAttribute(NET_FORWARDS, List.of()))
				forwards.add(Forward.parse(f));
			String tap = blankToNull(config.getAttribute(NET_TAP, ""));
			return new Network(backend, backend == NetBackend.TAP ? (tap == null ? "" : tap) : null, forwards);
		} catch (IllegalArgumentException e) {
			throw error("Network: " + e.getMessage() + " (on the QEMU tab).");
		}
	}

	private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String what) throws CoreException {
		try {
			return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw error("Unknown " + what + " '" + value + "'; choose one of " + Arrays.toString(type.getEnumConstants())
					+ " on the QEMU tab.");
		}
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}

	private static CoreException error(String message) {
		return new CoreException(Status.error(message));
	}
}
