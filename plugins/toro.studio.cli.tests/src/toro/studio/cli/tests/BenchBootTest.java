package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code toro bench boot} on the real kernel in real QEMU (TCG, one run: the behaviour, not the figures). */
class BenchBootTest {
	private static final Pattern ROW = Pattern.compile("\\{\"machine\":\"microvm\",\"accel\":\"tcg\",\"cores\":2,\"runs\":1,"
			+ "\"floor_ms\":([0-9.]+),\"ready_ms\":([0-9.]+),\"guest_ms\":([0-9.]+),\"memory_ms\":([0-9.]+),\"timer_ms\":([0-9.]+),\"smp_ms\":([0-9.]+)\\}");

	/**
	 * One row with every figure: the kernel's entry-to-ready (its TSC) lies inside QEMU's
	 * start-to-ready (the host's clock) of the same boot, and its phases inside that; a TSC
	 * calibrated wrong by a large factor would break the first.
	 */
	@Test
	void oneRunGivesConsistentFigures() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 300, "bench", "boot", "--runs", "1", "--smp", "2", "--machine", "microvm",
				"--accel", "tcg", "--json");
		assertEquals(0, r.status(), r.all());
		Matcher m = ROW.matcher(r.out());
		assertTrue(m.find(), r.all());
		double floor = Double.parseDouble(m.group(1)), ready = Double.parseDouble(m.group(2)), guest = Double.parseDouble(m.group(3));
		double phases = Double.parseDouble(m.group(4)) + Double.parseDouble(m.group(5)) + Double.parseDouble(m.group(6));
		assertTrue(floor > 0 && ready > 0 && guest > 0, r.out());
		assertTrue(guest < ready, "the guest's own entry-to-ready lies inside QEMU start-to-ready: " + r.out());
		assertTrue(phases <= guest, "memory + timer + SMP end before ready: " + r.out());
		assertEquals(1, r.out().split("\\{\"machine\"").length - 1, "one row: " + r.out());
	}

	@Test
	void aMachineItDoesNotKnowIsAUsageError() throws Exception {
		ToroScript.Result r = ToroScript.run(Map.of(), 120, "bench", "boot", "--machine", "vax");
		assertEquals(2, r.status(), r.all());
		assertTrue(r.err().contains("vax"), r.all());
	}
}
