package toro.studio.gdbmi.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.CoreStatsRead;
import toro.studio.gdbmi.Frame;
import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbListener;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.GdbThread;
import toro.studio.gdbmi.Instruction;
import toro.studio.gdbmi.KernelStats;
import toro.studio.gdbmi.MiError;
import toro.studio.gdbmi.NetStatsRead;
import toro.studio.gdbmi.RunState;
import toro.studio.gdbmi.StopEvent;
import toro.studio.gdbmi.TcpConnRead;
import toro.studio.gdbmi.ThreadRead;
import toro.studio.gdbmi.Variable;
import toro.studio.gdbmi.mi.ResultRecord;

/** Real gdb 13 on the real kernel in real QEMU (TCG, 4 vCPUs, paused at reset). */
class KernelDebugTest {
	private static final Duration STOP = Duration.ofSeconds(60);

	/** A started QEMU and a gdb session connected to it; both end on close. */
	private record Target(TestQemu qemu, GdbSession gdb) implements AutoCloseable {
		static Target boot(String profile, int cpus) throws Exception {
			return boot(profile, cpus, "");
		}

		static Target boot(String profile, int cpus, String append) throws Exception {
			TestQemu q = TestQemu.start(TestKernel.image(profile), cpus, append);
			try {
				GdbSession g = GdbSession.start(Path.of("gdb"), TestKernel.image(profile));
				try {
					g.connect(q.target, Duration.ofSeconds(20));
					return new Target(q, g);
				} catch (RuntimeException e) {
					g.close();
					throw e;
				}
			} catch (Exception e) {
				q.close();
				throw e;
			}
		}

		/** Runs to a breakpoint at {@code location} and deletes it. */
		StopEvent runTo(BreakpointSpec spec) {
			int n = gdb.insertBreakpoint(spec).number();
			gdb.cont();
			StopEvent e = gdb.waitForStop(STOP);
			gdb.delete(n);
			return e;
		}

		/** @return completes with the reason the listeners are given when the session ends. */
		CompletableFuture<String> exited() {
			CompletableFuture<String> f = new CompletableFuture<>();
			gdb.addListener(new GdbListener() {
				@Override
				public void exited(String why) {
					f.complete(why);
				}
			});
			return f;
		}

		@Override
		public void close() throws Exception {
			try {
				gdb.close();
			} finally {
				qemu.close();
			}
		}
	}

	@Test
	void connectsStoppedWithOneThreadPerVcpu() throws Exception {
		try (Target t = Target.boot("debug", 4)) {
			assertEquals(RunState.STOPPED, t.gdb.state());
			assertEquals("mi3", t.gdb.interpreter());
			List<GdbThread> threads = t.gdb.threads();
			assertEquals(4, threads.size());
			for (int i = 0; i < 4; i++) {
				assertEquals(i + 1, threads.get(i).id());
				assertEquals(i, threads.get(i).core(), threads.get(i).details());
			}
			StopEvent first = t.gdb.waitForStop(Duration.ofSeconds(1));
			assertEquals(null, first.reason());
			assertEquals(1, first.threadId());
		}
	}

	@Test
	void stopsAtKmainOnTheBootCore() throws Exception {
		try (Target t = Target.boot("debug", 4)) {
			StopEvent e = t.runTo(BreakpointSpec.at("kmain"));
			assertEquals("breakpoint-hit", e.reason());
			assertEquals("kmain", e.frame().func());
			assertEquals(1, e.threadId());
			assertEquals(0, e.core());
			List<Frame> stack = t.gdb.stack(e.threadId());
			assertEquals("kmain", stack.get(0).func());
			assertTrue(stack.get(0).file().endsWith("main.c"), stack.get(0).file());
			assertTrue(stack.get(0).line() > 0);
			for (Frame f : stack)
				assertFalse(f.addr() == 0 && f.func().equals("??"), "bogus frame past the entry: " + stack);
		}
	}

	/**
	 * The kernel numbers cores in the order they come up, so its core 2 may be any
	 * vCPU: the check is that the reported vCPU is the one whose local APIC id the
	 * kernel has just read on that core (QEMU gives vCPU k APIC id k).
	 */
	@Test
	void hardwareConditionalBreakpointOnCore2Of4ReportsThatVcpu() throws Exception {
		try (Target t = Target.boot("debug", 4)) {
			var bp = t.gdb.insertBreakpoint(BreakpointSpec.hardware("sched_init_cpu").when("c->index == 2"));
			assertTrue(bp.hardware());
			assertEquals("c->index == 2", bp.condition());
			t.gdb.cont();
			StopEvent e = t.gdb.waitForStop(STOP);
			assertEquals("breakpoint-hit", e.reason());
			assertEquals("sched_init_cpu", e.frame().func());
			assertEquals("2", t.gdb.evaluate("c->index", e.threadId(), 0));
			int apic = Integer.parseInt(t.gdb.evaluate("c->apic_id", e.threadId(), 0));
			assertEquals(apic, e.core(), "stopped on " + e);
			assertNotEquals(0, e.core(), "an application processor, not the boot core");
			List<Frame> stack = t.gdb.stack(e.threadId());
			assertEquals("ap_main", stack.get(1).func());
			List<Variable> args = t.gdb.arguments(e.threadId(), 1);
			assertEquals("index", args.get(0).name());
			assertEquals("2", args.get(0).value());
			GdbThread stopped = t.gdb.threads().stream().filter(th -> th.id() == e.threadId()).findFirst().orElseThrow();
			assertTrue(stopped.details().startsWith("CPU#" + apic), stopped.details());
		}
	}

	@Test
	void temporaryDisabledAndEnabledBreakpoints() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			var tmp = t.gdb.insertBreakpoint(BreakpointSpec.at("kmain").once());
			assertTrue(tmp.temporary());
			var idle = t.gdb.insertBreakpoint(BreakpointSpec.at("sched_idle_loop"));
			t.gdb.disable(idle.number());
			t.gdb.cont();
			assertEquals("kmain", t.gdb.waitForStop(STOP).frame().func());
			assertEquals(1, t.gdb.breakpoints().size(), "the temporary breakpoint is gone");
			assertFalse(t.gdb.breakpoints().get(0).enabled());
			t.gdb.enable(idle.number());
			t.gdb.cont();
			assertEquals("sched_idle_loop", t.gdb.waitForStop(STOP).frame().func());
		}
	}

	@Test
	void nextStepFinish() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			StopEvent at = t.runTo(BreakpointSpec.at("kmain"));
			int line = at.frame().line();
			t.gdb.next();
			StopEvent n = t.gdb.waitForStop(STOP);
			assertEquals("end-stepping-range", n.reason());
			assertEquals("kmain", n.frame().func());
			assertNotEquals(line, n.frame().line());
			// kmain's next line calls cpu_setup: step into it, then finish back out.
			t.gdb.next();
			t.gdb.waitForStop(STOP);
			t.gdb.step();
			StopEvent s = t.gdb.waitForStop(STOP);
			assertEquals("cpu_setup", s.frame().func());
			t.gdb.finish();
			StopEvent f = t.gdb.waitForStop(STOP);
			assertEquals("function-finished", f.reason());
			assertEquals("kmain", f.frame().func());
			long pc = f.frame().addr();
			t.gdb.stepInstruction();
			assertNotEquals(pc, t.gdb.waitForStop(STOP).frame().addr());
			t.gdb.nextInstruction();
			assertEquals("end-stepping-range", t.gdb.waitForStop(STOP).reason());
		}
	}

	@Test
	void perCpuStatisticsAndThreadTableBySymbol() throws Exception {
		// fault=panic makes kmain create a thread "fault" on the last core, once every core is up.
		try (Target t = Target.boot("debug", 4, "fault=panic")) {
			t.runTo(BreakpointSpec.at("thread_create_on"));
			t.gdb.finish();
			assertEquals("kmain", t.gdb.waitForStop(STOP).frame().func());
			List<CoreStatsRead> cores = KernelStats.readCpuStats(t.gdb);
			assertEquals(4, cores.size());
			assertEquals(Integer.parseInt(t.gdb.evaluate("toro_ncpus")), cores.size());
			for (int i = 0; i < 4; i++) {
				assertEquals(i, cores.get(i).cpu());
				assertEquals(Long.parseLong(t.gdb.evaluate("toro_cpu_stats[" + i + "].busy_cycles")), cores.get(i).busyCycles());
				assertEquals(Long.parseLong(t.gdb.evaluate("toro_cpu_stats[" + i + "].halts")), cores.get(i).halts());
			}
			List<ThreadRead> threads = KernelStats.readThreads(t.gdb);
			assertTrue(threads.stream().anyMatch(th -> th.name().equals("fault") && th.cpu() == 3), threads.toString());
			int slot = 0;
			while (t.gdb.evaluate("toro_threads[" + slot + "].tid").equals("0"))
				slot++;
			ThreadRead first = threads.get(0);
			assertEquals(t.gdb.evaluate("toro_threads[" + slot + "].tid"), Integer.toString(first.tid()));
			assertEquals(t.gdb.evaluate("toro_threads[" + slot + "].cpu"), Integer.toString(first.cpu()));
			assertTrue(t.gdb.evaluate("toro_threads[" + slot + "].name").startsWith("\"" + first.name()), first.name());
			// the layouts are fixed for the image: a second read is toro_ncpus and one memory read per array
			long before = t.gdb.commandsSent();
			assertEquals(cores, KernelStats.readCpuStats(t.gdb));
			assertEquals(threads, KernelStats.readThreads(t.gdb));
			assertEquals(3, t.gdb.commandsSent() - before, "commands for a second read of the stats");
		}
	}

	/**
	 * The network counters and TCP slots by symbol, with the layouts from the image's debug information. The
	 * kernel has no stack yet, so the test writes a slot and a counter through gdb and reads them back.
	 */
	@Test
	void networkCountersAndTcpSlotsBySymbol() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			t.runTo(BreakpointSpec.at("telemetry_tick")); // the kernel is up: its data zeroed and its cores online
			assertEquals(List.of(), KernelStats.readTcpConns(t.gdb), "no TCP slot in use without a stack");
			List<NetStatsRead> zero = KernelStats.readNetStats(t.gdb);
			assertEquals(2, zero.size());
			assertEquals(new NetStatsRead(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), zero.get(1));
			t.gdb.evaluate("toro_tcp_conns[5].cpu = 1");
			t.gdb.evaluate("toro_tcp_conns[5].laddr = 0x0A00020F");
			t.gdb.evaluate("toro_tcp_conns[5].raddr = 0x0A000202");
			t.gdb.evaluate("toro_tcp_conns[5].lport = 80");
			t.gdb.evaluate("toro_tcp_conns[5].rport = 51234");
			t.gdb.evaluate("toro_tcp_conns[5].tx_bytes = 0x100000000");
			t.gdb.evaluate("toro_tcp_conns[5].state = 4");
			t.gdb.evaluate("toro_net_stats[1].requests = 77");
			t.gdb.evaluate("toro_net_stats[1].tcp_open = 1");
			t.gdb.evaluate("toro_net_stats[0].rx_bytes = 0xFFFFFFFFFF");
			assertEquals(List.of(new TcpConnRead(5, 4, 1, 0x0A00020F, 0x0A000202, 80, 51234, 0, 0x100000000L)),
					KernelStats.readTcpConns(t.gdb));
			List<NetStatsRead> nets = KernelStats.readNetStats(t.gdb);
			assertEquals(77, nets.get(1).requests());
			assertEquals(1, nets.get(1).tcpOpen());
			assertEquals(0xFFFFFFFFFFL, nets.get(0).rxBytes());
		}
	}

	@Test
	void memoryRegistersAndDisassembly() throws Exception {
		try (Target t = Target.boot("debug", 4)) {
			StopEvent e = t.runTo(BreakpointSpec.at("telemetry_init"));
			long addr = Long.decode(t.gdb.evaluate("(long)&toro_ncpus"));
			byte[] four = t.gdb.readMemory(addr, 4);
			assertArrayEquals(new byte[] { 4, 0, 0, 0 }, four);
			t.gdb.writeMemory(addr, new byte[] { 7, 0, 0, 0 });
			assertEquals("7", t.gdb.evaluate("toro_ncpus"));
			assertThrows(GdbException.class, () -> t.gdb.readMemory(0xffff_ffff_0000_0000L, 16));

			List<String> names = t.gdb.registerNames();
			int rip = names.indexOf("rip");
			assertTrue(rip >= 0, names.toString());
			Map<Integer, String> values = t.gdb.registerValues(e.threadId(), 0);
			assertEquals(e.frame().addr(), Long.decode(values.get(rip)));
			t.gdb.stepInstruction();
			t.gdb.waitForStop(STOP);
			assertTrue(t.gdb.changedRegisters().contains(rip));

			long kmain = Long.decode(t.gdb.evaluate("(long)&kmain"));
			List<Instruction> code = t.gdb.disassemble(kmain, kmain + 16);
			assertEquals(kmain, code.get(0).addr());
			assertEquals("kmain", code.get(0).func());
			assertTrue(code.get(0).file().endsWith("main.c"));
			for (int i = 1; i < code.size(); i++)
				assertTrue(code.get(i).addr() > code.get(i - 1).addr());
		}
	}

	@Test
	void optimizedOutValuesAtO2() throws Exception {
		try (Target t = Target.boot("release", 2)) {
			StopEvent e = t.runTo(BreakpointSpec.at("kmain"));
			List<Variable> locals = t.gdb.locals(e.threadId(), 0);
			assertTrue(locals.stream().anyMatch(Variable::optimizedOut), locals.toString());
			assertTrue(locals.stream().filter(Variable::optimizedOut).allMatch(v -> v.value().equals("<optimized out>")));
		}
	}

	@Test
	void aRunningTargetCanBeInterrupted() throws Exception {
		try (Target t = Target.boot("debug", 4)) {
			CompletableFuture<Integer> running = new CompletableFuture<>();
			t.gdb.addListener(new GdbListener() {
				@Override
				public void running(int id) {
					running.complete(id);
				}
			});
			t.gdb.cont();
			assertEquals(-1, running.get(10, TimeUnit.SECONDS));
			Thread.sleep(500);
			assertEquals(RunState.RUNNING, t.gdb.state());
			assertThrows(GdbException.class, () -> t.gdb.waitForStop(Duration.ofMillis(200)));
			assertThrows(GdbException.class, () -> t.gdb.step(), "stepping a running target is refused");
			t.gdb.interrupt();
			StopEvent e = t.gdb.waitForStop(Duration.ofSeconds(10));
			assertEquals("signal-received", e.reason());
			assertEquals("SIGINT", e.fields().get("signal-name"));
			assertEquals(RunState.STOPPED, t.gdb.state());
		}
	}

	@Test
	void eventsReachListenersInOrderOnOneThread() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
			java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
			CompletableFuture<StopEvent> stopped = new CompletableFuture<>();
			t.gdb.addListener(new GdbListener() {
				@Override
				public void running(int id) {
					threads.add(Thread.currentThread());
					events.add("running");
				}

				@Override
				public void breakpointChanged(toro.studio.gdbmi.Breakpoint b) {
					threads.add(Thread.currentThread());
					events.add("breakpoint " + b.number() + " hits " + b.hits());
				}

				@Override
				public void output(char stream, String text) {
					threads.add(Thread.currentThread());
				}

				@Override
				public void stopped(StopEvent e) {
					threads.add(Thread.currentThread());
					events.add("stopped " + e.reason());
					stopped.complete(e);
				}
			});
			t.gdb.insertBreakpoint(BreakpointSpec.at("kmain"));
			t.gdb.cont();
			StopEvent stop = stopped.get(60, TimeUnit.SECONDS);
			// seen once in CI (2026-12-03): func "??" at this stop; the whole record says where it was
			assertEquals("kmain", stop.frame().func(), () -> "stop " + stop.fields() + ", events " + events);
			assertEquals(List.of("running", "breakpoint 1 hits 1", "stopped breakpoint-hit"), events);
			assertEquals(1, threads.size(), "one dispatcher thread");
			assertNotEquals(Thread.currentThread(), threads.iterator().next());
		}
	}

	@Test
	void consoleCommandsAndQemuMonitor() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			t.runTo(BreakpointSpec.at("kmain"));
			assertTrue(t.gdb.console("monitor info status").contains("VM status: paused"), "QEMU's monitor through gdb");
			String threads = t.gdb.console("info threads");
			assertTrue(threads.contains("Thread 1.1") && threads.contains("Thread 1.2"), threads);
			// A child of gdb writes straight to gdb's stdout: a line that is not MI is reported and skipped.
			CompletableFuture<String> unparsed = new CompletableFuture<>();
			t.gdb.addListener(new GdbListener() {
				@Override
				public void parseError(String line, toro.studio.gdbmi.mi.MiParseException error) {
					unparsed.complete(line + " | " + error.getMessage());
				}
			});
			t.gdb.console("shell echo this is not MI");
			assertTrue(unparsed.get(10, TimeUnit.SECONDS).startsWith("this is not MI | expected"), unparsed.get());
			assertEquals("4", t.gdb.evaluate("2+2"), "the session goes on");
			t.gdb.selectThread(2);
			assertTrue(t.gdb.console("thread").contains("Thread 1.2"));
			assertTrue(t.gdb.breakpoints().isEmpty(), "runTo deleted its breakpoint");
		}
	}

	@Test
	void unknownSymbolsAreClearErrors() throws Exception {
		try (Target t = Target.boot("debug", 1)) {
			MiError b = assertThrows(MiError.class, () -> t.gdb.insertBreakpoint(BreakpointSpec.at("no_such_function")));
			assertTrue(b.gdbMessage().contains("no_such_function"), b.getMessage());
			MiError v = assertThrows(MiError.class, () -> t.gdb.evaluate("no_such_symbol"));
			assertEquals("No symbol \"no_such_symbol\" in current context.", v.gdbMessage());
			assertEquals(RunState.STOPPED, t.gdb.state());
		}
	}

	@Test
	void qemuKilledWhileRunningEndsTheSession() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			CompletableFuture<String> exited = t.exited();
			t.gdb.cont();
			Thread.sleep(300);
			t.qemu.kill();
			String why = exited.get(20, TimeUnit.SECONDS);
			assertTrue(why.contains("QEMU"), why);
			assertEquals(RunState.DISCONNECTED, t.gdb.state());
			GdbException e = assertThrows(GdbException.class, () -> t.gdb.waitForStop(Duration.ofSeconds(5)));
			assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
			assertThrows(GdbException.class, () -> t.gdb.cont());
			long pid = t.gdb.pid();
			t.gdb.close();
			assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "gdb left running");
		}
	}

	@Test
	void qemuKilledWhileStoppedIsSeenAtTheNextCommand() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			t.qemu.kill();
			assertThrows(GdbException.class, () -> t.gdb.threads().forEach(th -> t.gdb.stack(th.id())));
			assertEquals(RunState.DISCONNECTED, t.gdb.state());
		}
	}

	@Test
	void gdbDyingFailsPendingCommandsAndTellsListeners() throws Exception {
		try (Target t = Target.boot("debug", 2)) {
			CompletableFuture<String> exited = t.exited();
			t.gdb.cont();
			// gdb's own shell command keeps this one pending while gdb is killed.
			CompletableFuture<ResultRecord> pending = t.gdb.submit("-interpreter-exec console \"shell sleep 20\"");
			Thread.sleep(300);
			ProcessHandle gdb = ProcessHandle.of(t.gdb.pid()).orElseThrow();
			List<ProcessHandle> children = gdb.descendants().toList();
			gdb.destroyForcibly();
			ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
			assertInstanceOf(GdbException.class, failed.getCause());
			assertTrue(failed.getCause().getMessage().contains("failed: gdb was killed by signal 9"), failed.getCause().getMessage());
			children.forEach(ProcessHandle::destroyForcibly); // the shell gdb had started
			String why = exited.get(10, TimeUnit.SECONDS);
			assertTrue(why.contains("gdb"), why);
			assertEquals(RunState.EXITED, t.gdb.state());
			GdbException e = assertThrows(GdbException.class, () -> t.gdb.evaluate("1"));
			assertTrue(e.getMessage().contains("gdb"), e.getMessage());
		}
	}
}
