package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import toro.studio.qemu.Accel;
import toro.studio.qemu.QemuConfig;
import toro.studio.qemu.QemuProcess;

/**
 * The kernel's boot phases line, from its own TSC stamps, on 4 cores: each phase is an offset from the
 * kernel's entry, in order, and plausible (under 10 s) on both accelerators. KVM does not reset the TSC,
 * so a line that printed absolute TSC times would fail here under KVM. Under KVM the TSC frequency must
 * also come from the hypervisor (kvmclock or a CPUID timing leaf), not from a measurement against the PIT
 * or the LAPIC timer, which cost the boot a fixed calibration window (issue 11).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BootPhasesTest {
	private static final Pattern PHASES = Pattern
			.compile("toro: boot phases us since kernel entry: memory (\\d+), timer (\\d+), smp (\\d+), ready (\\d+)");
	private static final Pattern TSC = Pattern.compile("toro: tsc (\\d+) kHz \\(([^)]+)\\), lapic timer (\\d+) kHz");
	/** The kernel's TSC sources that read the hypervisor's timing information instead of measuring. */
	private static final Set<String> HYPERVISOR_TSC_SOURCES = Set.of("kvmclock", "cpuid40000010", "cpuid15", "cpuid16");

	@Test
	void phasesAreOrderedOffsetsFromEntryUnderTcg() throws Exception {
		assertPhases(Accel.TCG);
	}

	@Test
	void phasesAreOrderedOffsetsFromEntryUnderKvm() throws Exception {
		Assumptions.assumeTrue(Accel.detect() == Accel.KVM, () -> "KVM case skipped: " + Accel.kvmStatus());
		assertPhases(Accel.KVM);
	}

	private static void assertPhases(Accel accel) throws Exception {
		List<String> lines = new CopyOnWriteArrayList<>();
		try (QemuProcess q = QemuProcess.start(QemuConfig.defaults(Images.of("toro")).withAccel(accel).withCpus(4))) {
			CountDownLatch seen = QemuBootTest.watchConsole(q, lines, "toro: boot phases");
			assertTrue(seen.await(QemuBootTest.BOOT.toSeconds(), TimeUnit.SECONDS), "no boot phases line: " + lines);
		}
		String line = lines.stream().filter(l -> l.startsWith("toro: boot phases")).findFirst().orElseThrow();
		System.out.println("BENCH " + accel + " " + line);
		Matcher m = PHASES.matcher(line);
		assertTrue(m.matches(), "malformed: " + line);
		long previous = 0;
		for (int g = 1; g <= 4; g++) {
			long us = Long.parseLong(m.group(g));
			assertTrue(us >= previous, "phase " + g + " ends before the one before it: " + line);
			previous = us;
		}
		assertTrue(previous < 10_000_000, "entry to ready over 10 s, not an offset from entry: " + line);

		String tscLine = lines.stream().filter(l -> l.startsWith("toro: tsc ")).findFirst()
				.orElseThrow(() -> new AssertionError("no tsc line: " + lines));
		System.out.println("BENCH " + accel + " " + tscLine);
		Matcher t = TSC.matcher(tscLine);
		assertTrue(t.matches(), "malformed: " + tscLine);
		if (accel == Accel.KVM) {
			// pit, pit0 and lapic-assumed-1GHz measure over a window the boot has to wait for
			assertTrue(HYPERVISOR_TSC_SOURCES.contains(t.group(2)),
					"under KVM the TSC frequency came from '" + t.group(2) + "', not from " + HYPERVISOR_TSC_SOURCES
							+ ": " + tscLine);
		}
	}
}
