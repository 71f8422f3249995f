package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.mi.AsyncRecord;
import toro.studio.gdbmi.mi.MiConst;
import toro.studio.gdbmi.mi.MiList;
import toro.studio.gdbmi.mi.MiParseException;
import toro.studio.gdbmi.mi.MiParser;
import toro.studio.gdbmi.mi.MiRecord;
import toro.studio.gdbmi.mi.MiTuple;
import toro.studio.gdbmi.mi.Prompt;
import toro.studio.gdbmi.mi.ResultRecord;
import toro.studio.gdbmi.mi.StreamRecord;

/** The MI grammar, on lines captured from gdb 13.1 (against QEMU 7.2 and a Linux process) and on edge cases. */
class MiParserTest {
	@Test
	void everyCapturedLineParses() throws Exception {
		for (String f : List.of("qemu-toro-smp4.mi", "linux-threads.mi", "qemu-killed-running.mi", "qemu-disasm-source.mi")) {
			List<String> lines = Fixtures.miLines(f);
			assertTrue(lines.size() > 10, f + " holds a session, not " + lines.size() + " lines");
			for (String line : lines) {
				MiRecord r = MiParser.parse(line);
				// the record's type follows from the line's first character after the token
				char c = line.replaceFirst("^[0-9]+", "").charAt(0);
				Class<?> expected = c == '^' ? ResultRecord.class : "*+=".indexOf(c) >= 0 ? AsyncRecord.class
						: "~@&".indexOf(c) >= 0 ? StreamRecord.class : Prompt.class;
				assertInstanceOf(expected, r, line);
				if (r instanceof StreamRecord s)
					assertEquals(c, s.kind(), line);
				if (r instanceof AsyncRecord a)
					assertEquals(c, a.kind(), line);
			}
		}
	}

	@Test
	void stoppedOnAnApHasThreadAndFrame() throws Exception {
		String line = Fixtures.lines("qemu-toro-smp4.mi").stream()
				.filter(l -> l.startsWith("*stopped,reason=\"breakpoint-hit\"") && l.contains("thread-id=\"2\"")).findFirst().orElseThrow();
		AsyncRecord r = assertInstanceOf(AsyncRecord.class, MiParser.parse(line));
		assertEquals('*', r.kind());
		assertEquals("stopped", r.asyncClass());
		assertEquals(MiRecord.NO_TOKEN, r.token());
		assertEquals("2", r.results().string("bkptno"));
		MiTuple frame = r.results().tuple("frame");
		assertEquals("ap_main", frame.string("func"));
		assertEquals(100, frame.integer("line", 0));
		assertEquals("index", frame.list("args").tuples().get(0).string("name"));
		assertEquals("all", r.results().string("stopped-threads"));
	}

	@Test
	void firstStopFromQemuHasNoReason() throws Exception {
		String line = Fixtures.lines("qemu-toro-smp4.mi").stream().filter(l -> l.startsWith("*stopped")).findFirst().orElseThrow();
		AsyncRecord r = assertInstanceOf(AsyncRecord.class, MiParser.parse(line));
		assertNull(r.results().string("reason"));
		assertEquals(0xfff0, r.results().tuple("frame").address("addr", -1));
	}

	@Test
	void threadInfoListsVcpus() throws Exception {
		ResultRecord r = assertInstanceOf(ResultRecord.class, MiParser.parse(Fixtures.lines("qemu-toro-smp4.mi").stream()
				.filter(l -> l.startsWith("4^done,threads=")).findFirst().orElseThrow()));
		assertEquals(4, r.token());
		assertEquals("done", r.resultClass());
		List<MiTuple> threads = r.results().list("threads").tuples();
		assertEquals(4, threads.size());
		assertEquals("CPU#2 [halted ]", threads.get(2).string("details"));
		assertEquals("1", r.results().string("current-thread-id"));
	}

	@Test
	void listOfNamedResultsKeepsNamesAndOrder() throws Exception {
		ResultRecord r = (ResultRecord) MiParser.parse("8^done,stack=[frame={level=\"0\",func=\"kmain\"},frame={level=\"1\",func=\"long_entry\"}]");
		MiList stack = r.results().list("stack");
		assertEquals(2, stack.size());
		assertEquals("frame", stack.items().get(1).name());
		assertEquals("long_entry", stack.tuples().get(1).string("func"));
	}

	@Test
	void duplicateKeysAreKeptInOrder() throws Exception {
		AsyncRecord r = (AsyncRecord) MiParser.parse("=thread-group-started,thread-ids={thread-id=\"1\",thread-id=\"2\",thread-id=\"3\"}");
		MiTuple ids = r.results().tuple("thread-ids");
		assertEquals(3, ids.getAll("thread-id").size());
		assertEquals("3", ((MiConst) ids.getAll("thread-id").get(2)).value());
		assertEquals("1", ids.string("thread-id"));
	}

	@Test
	void octalRunsFormOneUtf8Character() throws Exception {
		ResultRecord r = (ResultRecord) MiParser.parse("8^done,value=\"0x555555556004 \\\"\\316\\261\\316\\262\\316\\263\\\"\"");
		assertEquals("0x555555556004 \"αβγ\"", r.results().string("value"));
	}

	@Test
	void everyEscape() throws Exception {
		StreamRecord s = (StreamRecord) MiParser.parse("~\"a\\\"b\\\\c\\nd\\te\\ef\\rg\\001h\\0i\\12\"");
		assertEquals("a\"b\\c\nd\te\u001bf\rg\u0001h\u0000i\n", s.text());
		assertEquals('~', s.kind());
	}

	@Test
	void invalidUtf8BytesBecomeReplacementCharacters() throws Exception {
		StreamRecord s = (StreamRecord) MiParser.parse("@\"x\\377y\"");
		assertEquals("x\uFFFDy", s.text());
	}

	@Test
	void promptWithOrWithoutBlankAndCr() throws Exception {
		assertEquals(Prompt.INSTANCE, MiParser.parse("(gdb) "));
		assertEquals(Prompt.INSTANCE, MiParser.parse("(gdb)\r"));
	}

	@Test
	void recordsWithoutResults() throws Exception {
		ResultRecord r = (ResultRecord) MiParser.parse("28^done");
		assertTrue(r.results().results().isEmpty());
		AsyncRecord a = (AsyncRecord) MiParser.parse("*stopped");
		assertTrue(a.results().results().isEmpty());
		ResultRecord e = (ResultRecord) MiParser.parse("^exit");
		assertEquals(MiRecord.NO_TOKEN, e.token());
	}

	@Test
	void errorCarriesMessage() throws Exception {
		ResultRecord r = (ResultRecord) MiParser.parse("30^error,msg=\"No symbol \\\"nosuchsym\\\" in current context.\"");
		assertTrue(r.isError());
		assertEquals("No symbol \"nosuchsym\" in current context.", r.results().string("msg"));
	}

	@Test
	void emptyTuplesAndListsAndMixedLists() throws Exception {
		ResultRecord r = (ResultRecord) MiParser.parse("^done,a={},b=[],c=[\"x\",{y=\"1\"},[]],d=[n=\"1\",m={}]");
		assertTrue(r.results().tuple("a").results().isEmpty());
		assertEquals(0, r.results().list("b").size());
		assertEquals(List.of("x"), r.results().list("c").strings());
		assertEquals(2, r.results().list("d").size());
	}

	@Test
	void mi2BareTupleAfterResultIsKept() throws Exception {
		ResultRecord r = (ResultRecord) MiParser.parse("^done,bkpt={number=\"1\"},{number=\"1.1\"},{number=\"1.2\"}");
		assertEquals(3, r.results().results().size());
		assertNull(r.results().results().get(2).name());
	}

	@Test
	void tokenOnAsyncRecord() throws Exception {
		AsyncRecord r = (AsyncRecord) MiParser.parse("12*running,thread-id=\"all\"");
		assertEquals(12, r.token());
		assertEquals("all", r.results().string("thread-id"));
	}

	@Test
	void malformedLinesAreTypedErrors() {
		for (String bad : List.of("", "αβγ 0", "^", "1", "^done,", "^done,a", "^done,a=", "^done,a=\"x", "^done,a={b=\"1\"",
				"^done,a=[\"1\"", "~\"x\" trailing", "5~\"x\"", "^done,a=\"1\"b=\"2\"", "^done,=\"1\"", "^done,a=x", "(gdb) x",
				"99999999999999999999^done", "^done,a={b=\"1\",}", "~", "~\"\\"))
			assertThrows(MiParseException.class, () -> MiParser.parse(bad), bad);
	}

	@Test
	void deepNestingIsAnErrorNotAStackOverflow() {
		String deep = "^done,a=" + "[".repeat(100_000);
		MiParseException e = assertThrows(MiParseException.class, () -> MiParser.parse(deep));
		assertTrue(e.getMessage().contains("nested"), e.getMessage());
	}
}
