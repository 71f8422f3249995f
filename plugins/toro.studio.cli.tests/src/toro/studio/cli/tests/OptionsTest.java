package toro.studio.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.cli.Options;
import toro.studio.cli.UsageException;

/** The option parser every command shares. */
class OptionsTest {
	private static final String[] DECLARED = { "--json", "--smp=", "--break=*" };

	@Test
	void parsesFlagsValuesAndRepeats() throws Exception {
		Options o = Options.parse(List.of("--json", "--smp", "4", "--break=kmain", "--break", "ap_main", "image.elf"), DECLARED);
		assertTrue(o.flag("--json"));
		assertEquals(4, o.integer("--smp", 1, 1, 16));
		assertEquals(List.of("kmain", "ap_main"), o.all("--break"));
		assertEquals(List.of("image.elf"), o.positional());
	}

	@Test
	void absentOptionsGiveFallbacks() throws Exception {
		Options o = Options.parse(List.of(), DECLARED);
		assertFalse(o.flag("--json"));
		assertEquals(2, o.integer("--smp", 2, 1, 16));
		assertEquals("x", o.get("--smp", "x"));
	}

	@Test
	void rejectsWhatIsWrongWithAClearMessage() {
		assertEquals("unknown option --smq; known: --json --smp --break",
				assertThrows(UsageException.class, () -> Options.parse(List.of("--smq", "2"), DECLARED)).getMessage());
		assertEquals("--smp needs a value",
				assertThrows(UsageException.class, () -> Options.parse(List.of("--smp"), DECLARED)).getMessage());
		assertEquals("--smp given twice",
				assertThrows(UsageException.class, () -> Options.parse(List.of("--smp=1", "--smp=2"), DECLARED)).getMessage());
		assertEquals("--json takes no value",
				assertThrows(UsageException.class, () -> Options.parse(List.of("--json=yes"), DECLARED)).getMessage());
	}

	@Test
	void rejectsNumbersOutOfRange() throws Exception {
		Options o = Options.parse(List.of("--smp", "99"), DECLARED);
		assertEquals("--smp takes a whole number from 1 to 16, not '99'",
				assertThrows(UsageException.class, () -> o.integer("--smp", 1, 1, 16)).getMessage());
	}

	@Test
	void doubleDashEndsOptions() throws Exception {
		Options o = Options.parse(List.of("--", "--json"), DECLARED);
		assertFalse(o.flag("--json"));
		assertEquals(List.of("--json"), o.positional());
	}
}
