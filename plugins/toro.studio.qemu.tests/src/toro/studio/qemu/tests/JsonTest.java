package toro.studio.qemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import toro.studio.qemu.Json;

class JsonTest {
	@Test
	void roundTrip() {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("s", "a\"b\\c\n\u0001é");
		m.put("n", -12L);
		m.put("d", 1.5);
		m.put("b", true);
		m.put("z", null);
		m.put("l", List.of(1L, "x", List.of()));
		m.put("o", Map.of());
		String text = Json.write(m);
		assertEquals(m, Json.parse(text));
		assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001é\",\"n\":-12,\"d\":1.5,\"b\":true,\"z\":null,\"l\":[1,\"x\",[]],\"o\":{}}", text);
	}

	@Test
	void parsesUnicodeEscapesAndWhiteSpace() {
		assertEquals(Map.of("k", "\u00e9A"), Json.parse(" { \"k\" : \"\\u00e9\\u0041\" }\r\n"));
		assertEquals(3e2, Json.parse("3e2"));
	}

	@Test
	void rejectsBadInputWithOffset() {
		for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "\"abc", "{} x", "01x", "-"))
			assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
	}

	@Test
	void nestingIsBoundedSoADeepReplyIsAnErrorNotAStackOverflow() {
		String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
		assertTrue(Json.parse(ok) instanceof List, "MAX_DEPTH levels are accepted");
		String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
		assertTrue(e.getMessage().contains("deeper than " + Json.MAX_DEPTH), e.getMessage());
	}

	@Test
	void nonFiniteNumbersBecomeNull() {
		assertEquals("[null,null]", Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY)));
	}
}
