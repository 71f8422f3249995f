package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The kernel's own network tests (tests/net.c and the stack's) with a real virtio-net device behind
 * QEMU user networking, through {@code toro test --net user}: on each transport the runner uses
 * (microvm: virtio-mmio v2; pc: virtio-pci transitional; q35: virtio-pci modern), under TCG, and
 * under KVM where /dev/kvm is usable. Each run must pass every test and actually run the ARP test
 * (not skip it for want of a device).
 */
class KernelNetTestsTest {

	@Test
	void microvmTcgTwoCores() throws Exception {
		run("microvm", "tcg", 2);
	}

	@Test
	void pcTcgOneCore() throws Exception {
		run("pc", "tcg", 1);
	}

	@Test
	void q35TcgFourCores() throws Exception {
		run("q35", "tcg", 4);
	}

	@Test
	void microvmKvmFourCores() throws Exception {
		assumeTrue(kvmUsable(), "no usable /dev/kvm on this host: the KVM case cannot run here");
		run("microvm", "kvm", 4);
	}

	@Test
	void q35KvmTwoCores() throws Exception {
		assumeTrue(kvmUsable(), "no usable /dev/kvm on this host: the KVM case cannot run here");
		run("q35", "kvm", 2);
	}

	private static boolean kvmUsable() {
		Path kvm = Path.of("/dev/kvm");
		return Files.isReadable(kvm) && Files.isWritable(kvm);
	}

	private static void run(String machine, String accel, int cpus) throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 600, "test", "--net", "user", "--machine", machine, "--accel", accel,
				"--smp", Integer.toString(cpus), "--verbose");
		assertEquals(0, r.status(), r.all());
		String all = r.out() + r.err();
		assertTrue(all.contains("toro: net0 virtio-net"), "the device came up:\n" + r.all());
		assertTrue(all.matches("(?s).*PASS net_arp_gateway.*"), "the ARP test ran and passed:\n" + r.all());
		assertTrue(all.contains(" 0 failed"), r.all());
	}
}
