package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.mi.MiParseException;
import toro.studio.gdbmi.mi.MiParser;

/**
 * Feeds the parser random and mutated records for a bounded time: it must
 * return a record or throw MiParseException, nothing else, and never hang.
 */
class MiFuzzTest {
	private static final String ALPHABET = "^*+=~@&(){}[]\",\\0123456789abcdefgx-_ \t\r\316\261é";

	@Test
	void randomAndMutatedLinesOnlyEverGiveTheTypedError() throws Exception {
		List<String> seeds = new ArrayList<>();
		for (String f : List.of("qemu-toro-smp4.mi", "linux-threads.mi"))
			seeds.addAll(Fixtures.miLines(f));
		Random rnd = new Random(Long.getLong("fuzz.seed", System.nanoTime()));
		long end = System.nanoTime() + 3_000_000_000L;
		long cases = 0, parsed = 0;
		while (System.nanoTime() < end) {
			String line = rnd.nextInt(4) == 0 ? random(rnd) : mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
			long t0 = System.nanoTime();
			try {
				MiParser.parse(line);
				parsed++;
			} catch (MiParseException e) {
				// the one allowed failure
			} catch (Throwable t) {
				fail("parser threw " + t + " on: " + line, t);
			}
			if (System.nanoTime() - t0 > 1_000_000_000L)
				fail("parser took over a second on a line of " + line.length() + " chars");
			cases++;
		}
		assertTrue(cases > 1000, "only " + cases + " cases ran");
		assertTrue(parsed > 0, "no mutated line parsed, the mutations are too coarse");
		System.out.println("MiFuzzTest: " + cases + " cases, " + parsed + " parsed");
	}

	private static String random(Random rnd) {
		StringBuilder b = new StringBuilder();
		int n = rnd.nextInt(200);
		for (int i = 0; i < n; i++)
			b.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
		return b.toString();
	}

	/** Deletes, inserts, duplicates or truncates at random points. */
	private static String mutate(String s, Random rnd) {
		StringBuilder b = new StringBuilder(s);
		int edits = 1 + rnd.nextInt(4);
		for (int i = 0; i < edits && b.length() > 0; i++) {
			int at = rnd.nextInt(b.length());
			switch (rnd.nextInt(5)) {
			case 0 -> b.deleteCharAt(at);
			case 1 -> b.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
			case 2 -> b.insert(at, b.substring(at, Math.min(b.length(), at + rnd.nextInt(40))));
			case 3 -> b.setLength(at);
			default -> b.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
			}
		}
		return b.toString();
	}
}
