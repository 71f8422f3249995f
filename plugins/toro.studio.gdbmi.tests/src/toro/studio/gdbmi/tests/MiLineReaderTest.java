package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.MiLineReader;

class MiLineReaderTest {
	@Test
	void linesEndAtNewlineWithCarriageReturnsDroppedAndALastLineWithoutOne() throws Exception {
		MiLineReader r = new MiLineReader(new StringReader("^done\r\n*stopped,reason=\"x\"\n(gdb) "), 100);
		assertEquals("^done", r.readLine());
		assertEquals("*stopped,reason=\"x\"", r.readLine());
		assertEquals("(gdb) ", r.readLine());
		assertNull(r.readLine());
	}

	@Test
	void aLineOverTheCapIsCutAndFlaggedAndTheNextLineIsIntact() throws Exception {
		String huge = "~\"" + "A".repeat(50_000) + "\"";
		MiLineReader r = new MiLineReader(new StringReader(huge + "\n^done\n"), 1000);
		String first = r.readLine();
		assertEquals(1000, first.length());
		assertTrue(r.truncated());
		assertEquals("^done", r.readLine());
		assertFalse(r.truncated(), "the flag is per line");
		assertNull(r.readLine());
	}
}
