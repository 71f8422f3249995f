package toro.studio.launch;

/**
 * The "Toro Kernel (QEMU)" launch configuration type: its id and the names of
 * its attributes, shared by the run delegate here, the debug delegate of
 * toro.studio.debug and the tabs of toro.studio.ui.
 *
 * The type declares no delegate itself: run mode is contributed by this
 * bundle's launchDelegates extension ({@value #RUN_DELEGATE_ID}); debug mode
 * is added by contributing another launchDelegates extension for
 * {@value #TYPE_ID} with modes="debug". The tab group {@value #TAB_GROUP_ID}
 * (Main, QEMU, Common) accepts more tabs through launchConfigurationTabs.
 */
public final class LaunchAttributes {
	/** The launch configuration type's id. */
	public static final String TYPE_ID = "toro.studio.launch.kernel";
	/** The id of the run-mode delegate. */
	public static final String RUN_DELEGATE_ID = "toro.studio.launch.kernel.run";
	/** The id of the type's tab group (in toro.studio.ui). */
	public static final String TAB_GROUP_ID = "toro.studio.ui.launch.tabGroup";

	private static final String P = "toro.studio.launch.";

	/** String: the workspace project holding the kernel tree. */
	public static final String PROJECT = P + "project";
	/** String: the build target ("" = the descriptor's default). */
	public static final String TARGET = P + "target";
	/** String: the build profile ("" = the project's profile). */
	public static final String PROFILE = P + "profile";
	/** Boolean: build the target before launching (default true). */
	public static final String BUILD_FIRST = P + "buildFirst";
	/** String: a workspace path of an image to boot instead of a target's output ("" = none; no build then). */
	public static final String IMAGE = P + "image";
	/** String: the QEMU machine, a {@code toro.studio.qemu.Machine} name (default MICROVM). */
	public static final String MACHINE = P + "machine";
	/** Integer: the number of vCPUs (default 2). */
	public static final String CPUS = P + "cpus";
	/** Integer: guest memory in MiB (default 128). */
	public static final String MEMORY = P + "memory";
	/** String: the accelerator, a {@code toro.studio.qemu.Accel} name (default AUTO). */
	public static final String ACCEL = P + "accel";
	/** String: the kernel command line (e.g. "telemetry=10 idle=halt"). */
	public static final String APPEND = P + "append";
	/** String: extra QEMU arguments, separated by white space. */
	public static final String EXTRA_ARGS = P + "extraArgs";
	/** Boolean: ask QEMU for a "why did it die" log (-d int,cpu_reset) (default false). */
	public static final String WHY_DID_IT_DIE = P + "whyDidItDie";

	/** String: the network backend, a {@code toro.studio.qemu.NetBackend} name (default NONE: no network device). */
	public static final String NET_BACKEND = P + "netBackend";
	/** String: the tap device's name when {@link #NET_BACKEND} is TAP (a device the user created). */
	public static final String NET_TAP = P + "netTap";
	/**
	 * List of String: port forwards of user networking, each {@code HOSTPORT:GUESTPORT} (tcp) or
	 * {@code udp:HOSTPORT:GUESTPORT}, bound to 127.0.0.1; host port 0 picks a free port (default none).
	 */
	public static final String NET_FORWARDS = P + "netForwards";
	/**
	 * Process attribute of a running QEMU: its port forwards with the host ports chosen, as
	 * {@code HOSTPORT:GUESTPORT} words separated by spaces ("" for none); read by "Open in Browser".
	 */
	public static final String PROCESS_FORWARDS = P + "forwards";

	/** Default of {@link #CPUS}. */
	public static final int DEFAULT_CPUS = 2;
	/** Default of {@link #MEMORY}. */
	public static final int DEFAULT_MEMORY = 128;
	/** Default of {@link #MACHINE}: microvm, the fastest to boot (no firmware). */
	public static final String DEFAULT_MACHINE = "MICROVM";
	/** Default of {@link #ACCEL}. */
	public static final String DEFAULT_ACCEL = "AUTO";
	/** Default of {@link #NET_BACKEND}: no network, so configurations from before networks boot as they did. */
	public static final String DEFAULT_NET_BACKEND = "NONE";

	private LaunchAttributes() {
	}
}
