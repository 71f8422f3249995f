package toro.studio.qemu;

/**
 * KVM was asked for explicitly and cannot be used: no /dev/kvm, no permission to open it, or QEMU
 * refused it (a nested hypervisor without a feature QEMU needs, a missing kernel module). The
 * message names the cause and the way out ({@code --accel tcg} or {@code auto}). The command line
 * maps it to exit status 2, as a request that cannot be met here.
 */
public final class KvmUnusableException extends QemuException {
	private static final long serialVersionUID = 1L;

	public KvmUnusableException(String cause) {
		super("--accel kvm was asked for, but " + cause + "; use --accel tcg, or auto to fall back to TCG");
	}
}
