package toro.studio.gdbmi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import toro.studio.gdbmi.mi.AsyncRecord;
import toro.studio.gdbmi.mi.MiConst;
import toro.studio.gdbmi.mi.MiList;
import toro.studio.gdbmi.mi.MiParseException;
import toro.studio.gdbmi.mi.MiRecord;
import toro.studio.gdbmi.mi.MiResult;
import toro.studio.gdbmi.mi.MiTuple;
import toro.studio.gdbmi.mi.ResultRecord;
import toro.studio.gdbmi.mi.StreamRecord;

/**
 * A gdb process driven over MI, debugging one ELF64 kernel image through a
 * remote stub (QEMU's). Synchronous methods may be called from any thread,
 * including a listener's; they send one token-correlated command and wait for
 * its result (10 s unless said otherwise). Events reach listeners from one
 * dispatcher thread. Closing the session (or the JVM exiting) ends gdb.
 */
public final class GdbSession implements AutoCloseable {
	/** How long an ordinary command may take. */
	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
	private static final Pattern CPU = Pattern.compile("CPU#(\\d+)");
	/** DR0-DR3: how many hardware breakpoints an x86 core holds. */
	private static final int X86_DEBUG_REGISTERS = 4;

	private final CommandQueue commands = new CommandQueue();
	private final RunTracker run = new RunTracker();
	private final EventDispatcher dispatcher;
	private final Map<Integer, Integer> coreOfThread = new ConcurrentHashMap<>();
	private Transport transport;
	private String interpreter;
	private volatile boolean closing;
	private volatile boolean debugRegistersOnly;
	/** What is fixed for the loaded image (struct layouts), asked of gdb once; by key. */
	private final Map<String, Object> imageFacts = new ConcurrentHashMap<>();
	/** Shared by commands that read the stopped target, exclusive for a resume until its ^running. */
	private final ReentrantReadWriteLock resumeGate = new ReentrantReadWriteLock();
	/** Whether the image's code is declared read-only to gdb (see breakpointsInDebugRegisters). */
	private boolean codeReadOnly;
	/** A code section in {@code info files}: "0x0000000000100000 - 0x00000000001083cd is .text". */
	private static final Pattern CODE_SECTION = Pattern.compile("0x([0-9a-f]+) - 0x([0-9a-f]+) is \\.text\\S*");

	private GdbSession(String name) {
		dispatcher = new EventDispatcher(name);
	}

	/**
	 * Starts {@code gdb} on {@code elf}: MI version 3 (2 if this gdb lacks 3),
	 * asynchronous execution, no pagination or confirmation, architecture
	 * i386:x86-64 (QEMU's x86_64 stub always sends 64-bit registers).
	 *
	 * @param gdb the gdb executable ("gdb" is looked up on PATH)
	 * @param elf the kernel image, with symbols
	 * @throws GdbException if the image is missing or unreadable, or gdb cannot start
	 */
	public static GdbSession start(Path gdb, Path elf) {
		if (!Files.isRegularFile(elf))
			throw new GdbException("kernel image " + elf + " does not exist; build it first (toro build --profile debug)");
		GdbSession s = new GdbSession("gdb-events");
		try {
			s.launch(gdb, "mi3");
		} catch (GdbException e) {
			s.close();
			// A gdb older than 9 exits at once with "Interpreter `mi3' unrecognized".
			if (s.transport == null || !(e.getMessage() + s.transport.stderr()).contains("mi3"))
				throw e;
			s = new GdbSession("gdb-events");
			s.launch(gdb, "mi2");
		}
		try {
			// Sent together, awaited in order: one round trip instead of four.
			List<String> setup = List.of("-gdb-set pagination off", "-gdb-set confirm off",
					"-file-exec-and-symbols " + quote(elf.toAbsolutePath().toString()), "-gdb-set architecture i386:x86-64");
			List<CompletableFuture<ResultRecord>> answers = new ArrayList<>();
			for (String c : setup)
				answers.add(s.submit(c));
			for (int i = 0; i < setup.size(); i++)
				await(answers.get(i), setup.get(i), COMMAND_TIMEOUT);
		} catch (GdbException e) {
			s.close();
			throw new GdbException("gdb cannot load " + elf + ": " + (e instanceof MiError m ? m.gdbMessage() : e.getMessage()), e);
		}
		return s;
	}

	/** Starts gdb with {@code --interpreter=MI} and turns async on (the first command proves MI works). */
	private void launch(Path gdb, String mi) {
		interpreter = mi;
		transport = Transport.start(List.of(gdb.toString(), "--interpreter=" + mi, "-q", "-nx"), new Reader());
		execute("-gdb-set mi-async on");
	}

	/** @return "mi3" or "mi2", the interpreter in use. */
	public String interpreter() {
		return interpreter;
	}

	/** @return gdb's process id. */
	public long pid() {
		return transport.pid();
	}

	// ---- the reader thread's side ----

	/** What the transport's reader thread calls; kept out of the public API. */
	private final class Reader implements Transport.Sink {
		@Override
		public void record(MiRecord r) {
			GdbSession.this.record(r);
		}

		@Override
		public void unparsed(String line, MiParseException e) {
			dispatcher.post(l -> l.parseError(line, e));
		}

		@Override
		public void closed(String why) {
			GdbSession.this.closed(why);
		}
	}

	private void record(MiRecord r) {
		// The prompt carries no state (records may follow it) and is ignored.
		if (r instanceof ResultRecord rr) {
			result(rr);
		} else if (r instanceof AsyncRecord ar) {
			async(ar);
		} else if (r instanceof StreamRecord sr) {
			if (sr.kind() != '&')
				commands.capture(sr.text());
			dispatcher.post(l -> l.output(sr.kind(), sr.text()));
		}
	}

	private void result(ResultRecord r) {
		switch (r.resultClass()) {
		case "running" -> run.resumed();
		case "error" -> {
			if ("Remote connection closed".equals(r.results().string("msg")))
				targetLost();
		}
		default -> {
		}
		}
		commands.complete(r);
	}

	private void async(AsyncRecord r) {
		MiTuple t = r.results();
		switch (r.asyncClass()) {
		case "running" -> {
			run.running();
			String id = t.string("thread-id");
			int tid = id == null || id.equals("all") ? -1 : parseInt(id, -1);
			dispatcher.post(l -> l.running(tid));
		}
		case "stopped" -> {
			String reason = t.string("reason");
			if (reason != null && reason.startsWith("exited")) {
				targetLost();
				return;
			}
			StopEvent e = stopEvent(t);
			run.stopped(e);
			dispatcher.post(l -> l.stopped(e));
		}
		case "thread-created" -> {
			int id = t.integer("id", -1);
			dispatcher.post(l -> l.threadCreated(id));
		}
		case "breakpoint-created", "breakpoint-modified" -> {
			MiTuple b = t.tuple("bkpt");
			if (b != null) {
				Breakpoint bp = Breakpoint.of(b);
				dispatcher.post(l -> l.breakpointChanged(bp));
			}
		}
		case "breakpoint-deleted" -> {
			int id = t.integer("id", -1);
			dispatcher.post(l -> l.breakpointDeleted(id));
		}
		case "thread-group-exited" -> targetLost();
		default -> {
		}
		}
	}

	/** Builds a StopEvent; the core comes from the record, else from the last thread list. */
	private StopEvent stopEvent(MiTuple t) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (MiResult r : t.results())
			if (r.name() != null && r.value() instanceof MiConst c)
				fields.putIfAbsent(r.name(), c.value());
		int thread = t.integer("thread-id", -1);
		int core = t.integer("core", coreOfThread.getOrDefault(thread, -1));
		MiTuple f = t.tuple("frame");
		return new StopEvent(t.string("reason"), thread, core, f == null ? null : Frame.of(f), fields);
	}

	/** The remote target is gone (QEMU exited or was killed): the session can do no more. */
	private void targetLost() {
		if (closing || run.endReason() != null)
			return;
		String why = "the target closed the connection (QEMU exited or was killed)";
		run.ended(RunState.DISCONNECTED, why);
		dispatcher.post(l -> l.exited(why));
	}

	private void closed(String why) {
		String reason = closing ? "the session was closed" : why;
		boolean first = run.endReason() == null;
		run.ended(RunState.EXITED, reason);
		commands.failAll(reason);
		if (first)
			dispatcher.post(l -> l.exited(reason));
	}

	// ---- commands ----

	/**
	 * Sends an MI command (without token) and waits for its result.
	 *
	 * @throws MiError on {@code ^error}; GdbException on timeout or if gdb is gone
	 */
	public ResultRecord execute(String command) {
		return execute(command, COMMAND_TIMEOUT);
	}

	/** {@link #execute(String)} with its own timeout. */
	public ResultRecord execute(String command, Duration timeout) {
		return await(commands.send(transport, command, timeout, null), command, timeout);
	}

	/** Sends without waiting: the future completes with the result record. */
	public CompletableFuture<ResultRecord> submit(String command) {
		return commands.send(transport, command, COMMAND_TIMEOUT, null);
	}

	private static ResultRecord await(CompletableFuture<ResultRecord> f, String command, Duration timeout) {
		try {
			return f.get();
		} catch (ExecutionException e) {
			Throwable c = e.getCause();
			if (c instanceof GdbException g)
				throw g;
			if (c instanceof TimeoutException)
				throw new GdbException("gdb did not answer " + command + " within " + timeout.toMillis() + " ms");
			throw new GdbException(command + " failed: " + c, c);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new GdbException("interrupted while waiting for " + command);
		}
	}

	/**
	 * @return the fact {@code key} about the loaded image, asked of gdb by {@code ask} the first
	 *         time only (two threads asking at once may both ask; the answers are equal)
	 */
	@SuppressWarnings("unchecked")
	<T> T cached(String key, Supplier<T> ask) {
		Object v = imageFacts.get(key);
		if (v == null) {
			v = ask.get();
			imageFacts.putIfAbsent(key, v);
		}
		return (T) v;
	}

	/** @return how many MI commands this session has sent gdb (the benchmarks count them per stop). */
	public long commandsSent() {
		return commands.sent();
	}

	/** Runs a CLI command through {@code -interpreter-exec console} and returns what it printed. */
	public String console(String cliCommand) {
		StringBuilder out = new StringBuilder();
		String cmd = "-interpreter-exec console " + quote(cliCommand);
		await(commands.send(transport, cmd, COMMAND_TIMEOUT, out), cmd, COMMAND_TIMEOUT);
		synchronized (out) {
			return out.toString();
		}
	}

	// ---- connection and run control ----

	/**
	 * Connects to a remote stub: QEMU's, on a Unix socket ({@code target} is its path) or on TCP
	 * ({@code target} is HOST:PORT). The target is then stopped and {@link #threads()} lists its
	 * vCPUs.
	 *
	 * @throws GdbException if nothing answers there within {@code timeout}
	 */
	public void connect(String target, Duration timeout) {
		if (target.isEmpty() || target.chars().anyMatch(Character::isWhitespace))
			throw new GdbException("cannot connect to the gdb stub at '" + target + "': gdb takes no blank in a remote target");
		try {
			// gdb retries a refused TCP connection for connect-timeout seconds: make that our
			// timeout, and wait a little longer, so that gdb's own error is what we report.
			execute("-gdb-set tcp connect-timeout " + Math.max(1, timeout.toSeconds()));
			execute("-target-select remote " + target, timeout.plusSeconds(5));
		} catch (MiError e) {
			throw new GdbException("cannot connect to the gdb stub at " + target + ": " + e.gdbMessage()
					+ " (is QEMU running with its -gdb stub there?)", e);
		}
		waitForStop(timeout);
		threads();
	}

	/** @return the run state as gdb's records last said. */
	public RunState state() {
		return run.state();
	}

	/** Resumes every vCPU. */
	public void cont() {
		resume("-exec-continue");
	}

	/** Steps one source line, into calls. */
	public void step() {
		resume("-exec-step");
	}

	/** Steps one source line, over calls. */
	public void next() {
		resume("-exec-next");
	}

	/** Runs until the selected frame returns. */
	public void finish() {
		resume("-exec-finish");
	}

	/** Steps one instruction, into calls. */
	public void stepInstruction() {
		resume("-exec-step-instruction");
	}

	/** Steps one instruction, over calls. */
	public void nextInstruction() {
		resume("-exec-next-instruction");
	}

	/** Sends a resume command; the target must be stopped. Returns on {@code ^running}. */
	private void resume(String command) {
		RunState s = run.state();
		if (s == RunState.RUNNING)
			throw new GdbException("the target is running; interrupt it before " + command);
		if (s == RunState.EXITED || s == RunState.DISCONNECTED)
			throw new GdbException("cannot " + command + ": " + (run.endReason() != null ? run.endReason() : "not connected to a target"));
		resumeGate.writeLock().lock();
		try {
			execute(command);
		} finally {
			resumeGate.writeLock().unlock();
		}
	}

	/**
	 * Runs a command that reads the stopped target's memory. It is refused while the target runs,
	 * and never crosses a resume on its way: gdb 13 aborts (a fatal internal error) when
	 * {@code -data-disassemble} arrives between {@code -exec-next} and its {@code ^running}, as a
	 * view refreshing on another thread can make happen.
	 *
	 * @throws GdbException if the target is running
	 */
	private ResultRecord readStopped(String command, String what) {
		resumeGate.readLock().lock();
		try {
			if (run.state() == RunState.RUNNING)
				throw new GdbException("cannot " + what + " while the target is running; suspend it first");
			return execute(command);
		} finally {
			resumeGate.readLock().unlock();
		}
	}

	/**
	 * Stops a running target (all vCPUs); a {@code *stopped} with reason signal-received
	 * (SIGINT) follows. Does nothing if the target is already stopped.
	 */
	public void interrupt() {
		if (run.state() != RunState.RUNNING)
			return;
		try {
			execute("-exec-interrupt");
		} catch (MiError e) {
			// The target stopped by itself while the command was on its way: that is the stop.
			if (run.state() == RunState.RUNNING)
				throw e;
		}
	}

	/**
	 * Waits for the first stop after the last resume, or returns the current stop when
	 * the target has not been resumed since.
	 *
	 * @throws GdbException on timeout (the target still runs) or if the session ended
	 */
	public StopEvent waitForStop(Duration timeout) {
		return run.waitForStop(timeout);
	}

	// ---- breakpoints ----

	/**
	 * Inserts a breakpoint.
	 *
	 * @throws MiError naming the problem, e.g. {@code Function "nosuch" not defined.}
	 */
	public Breakpoint insertBreakpoint(BreakpointSpec spec) {
		if (debugRegistersOnly && !spec.hardware())
			spec = new BreakpointSpec(spec.location(), true, spec.temporary(), spec.condition());
		if (spec.hardware())
			checkDebugRegisterFree(spec.location());
		StringBuilder cmd = new StringBuilder("-break-insert");
		if (spec.temporary())
			cmd.append(" -t");
		if (spec.hardware())
			cmd.append(" -h");
		if (spec.condition() != null)
			cmd.append(" -c ").append(quote(spec.condition()));
		cmd.append(' ').append(quote(spec.location()));
		MiTuple b = execute(cmd.toString()).results().tuple("bkpt");
		if (b == null)
			throw new GdbException("gdb inserted no breakpoint at " + spec.location());
		return Breakpoint.of(b);
	}

	/**
	 * From now on, puts every breakpoint in a debug register, as a hardware one (gdb's {@code -h}).
	 * Under KVM a software breakpoint is an {@code int3} that QEMU writes into guest memory and KVM
	 * must trap: on nested KVM the trap fails as an emulation error (QEMU stops the VM with "KVM
	 * internal error", gdb sees SIGABRT), and on bare-metal KVM one written before the code is loaded
	 * is overwritten. Debug registers work on every host; x86 has four (DR0-DR3).
	 *
	 * gdb's own breakpoints too: {@code next} over a call, {@code finish} and {@code until} plant
	 * momentary ones at return addresses. The image's code sections are declared read-only to gdb
	 * ({@code mem LO HI ro}, other memory stays accessible), and with {@code breakpoint auto-hw} gdb
	 * then turns every breakpoint in code into a hardware one. A step of that kind needs a free
	 * debug register: with four user breakpoints it fails with gdb's error instead of stopping.
	 */
	public void breakpointsInDebugRegisters(boolean on) {
		if (on && !codeReadOnly) {
			console("set breakpoint auto-hw on");
			console("set mem inaccessible-by-default off");
			for (long[] r : codeSections(console("info files")))
				console(String.format("mem 0x%x 0x%x ro", r[0], r[1]));
			codeReadOnly = true;
		}
		debugRegistersOnly = on;
	}

	/**
	 * @param infoFiles what gdb's {@code info files} printed
	 * @return [start, end) of each code section of the image, once each (gdb lists the exec file's
	 *         and the remote target's sections): lines "0xLO - 0xHI is .text..."
	 */
	static List<long[]> codeSections(String infoFiles) {
		List<long[]> out = new ArrayList<>();
		Matcher m = CODE_SECTION.matcher(infoFiles);
		while (m.find()) {
			long lo = Long.parseUnsignedLong(m.group(1), 16), hi = Long.parseUnsignedLong(m.group(2), 16);
			if (out.stream().noneMatch(r -> r[0] == lo && r[1] == hi))
				out.add(new long[] { lo, hi });
		}
		return out;
	}

	/** @return whether every breakpoint goes into a debug register. */
	public boolean breakpointsInDebugRegisters() {
		return debugRegistersOnly;
	}

	/**
	 * Refuses a hardware breakpoint when the four debug registers are taken by enabled ones: gdb
	 * itself would accept it and only fail at the next resume, far from the cause.
	 */
	private void checkDebugRegisterFree(String location) {
		long used = breakpoints().stream().filter(b -> b.hardware() && b.enabled()).count();
		if (used >= X86_DEBUG_REGISTERS)
			throw new GdbException("cannot set a hardware breakpoint at " + location + ": x86 has "
					+ X86_DEBUG_REGISTERS + " debug registers (DR0-DR3) and all are in use"
					+ (debugRegistersOnly ? " (under KVM every breakpoint is a hardware one)" : "")
					+ "; delete or disable a breakpoint first, or debug under TCG (--accel tcg)");
	}

	public void enable(int number) {
		execute("-break-enable " + number);
	}

	public void disable(int number) {
		execute("-break-disable " + number);
	}

	public void delete(int number) {
		execute("-break-delete " + number);
	}

	/** @return every breakpoint gdb knows. */
	public List<Breakpoint> breakpoints() {
		MiTuple table = execute("-break-list").results().tuple("BreakpointTable");
		List<Breakpoint> list = new ArrayList<>();
		if (table != null)
			for (MiTuple b : table.list("body").tuples())
				list.add(Breakpoint.of(b));
		return list;
	}

	// ---- threads, frames, variables ----

	/** @return the threads; on QEMU each one is a vCPU with its core index. */
	public List<GdbThread> threads() {
		List<GdbThread> list = new ArrayList<>();
		for (MiTuple t : execute("-thread-info").results().list("threads").tuples()) {
			try {
				int id = t.integer("id", -1);
				String details = t.string("details");
				int core = t.integer("core", -1);
				if (details != null) {
					Matcher m = CPU.matcher(details);
					if (m.find())
						core = Integer.parseInt(m.group(1));
				}
				if (core >= 0)
					coreOfThread.put(id, core);
				MiTuple f = t.tuple("frame");
				list.add(new GdbThread(id, t.string("target-id"), core, details, f == null ? null : Frame.of(f)));
			} catch (RuntimeException e) { // a CPU number past int, a frame without what Frame needs
				throw new GdbException("gdb's answer to -thread-info is malformed (" + e + "): " + t, e);
			}
		}
		return list;
	}

	/** Makes {@code id} gdb's current thread (what step and finish act on). */
	public void selectThread(int id) {
		execute("-thread-select " + id);
	}

	/**
	 * @return the stack of thread {@code threadId}, innermost first. A last frame at
	 *         address 0 without a function (the unwinder ran past the assembly entry) is left out.
	 */
	public List<Frame> stack(int threadId) {
		List<Frame> frames = new ArrayList<>();
		for (MiResult r : execute("-stack-list-frames --thread " + threadId).results().list("stack").items())
			if (r.value() instanceof MiTuple t)
				frames.add(Frame.of(t));
		if (frames.size() > 1) {
			Frame last = frames.get(frames.size() - 1);
			if (last.addr() == 0 && "??".equals(last.func()))
				frames.remove(frames.size() - 1);
		}
		return frames;
	}

	/** @return the locals of a frame (not its arguments). */
	public List<Variable> locals(int threadId, int level) {
		return variables(threadId, level, false);
	}

	/** @return the arguments of a frame. */
	public List<Variable> arguments(int threadId, int level) {
		return variables(threadId, level, true);
	}

	private List<Variable> variables(int threadId, int level, boolean args) {
		List<Variable> list = new ArrayList<>();
		String cmd = "-stack-list-variables --thread " + threadId + " --frame " + level + " --all-values";
		for (MiTuple v : execute(cmd).results().list("variables").tuples()) {
			if (("1".equals(v.string("arg"))) != args)
				continue;
			String value = v.string("value");
			boolean out = value != null && value.equals("<optimized out>");
			list.add(new Variable(v.string("name"), value, out));
		}
		return list;
	}

	/** @return gdb's rendering of {@code expr} in the current thread and frame. @throws MiError for an unknown symbol */
	public String evaluate(String expr) {
		return execute("-data-evaluate-expression " + quote(expr)).results().string("value");
	}

	/** @return gdb's rendering of {@code expr} in a given thread and frame. */
	public String evaluate(String expr, int threadId, int level) {
		return execute("-data-evaluate-expression --thread " + threadId + " --frame " + level + " " + quote(expr))
				.results().string("value");
	}

	// ---- registers, memory, disassembly ----

	/** @return register names indexed by gdb's register number; unused numbers are "". */
	public List<String> registerNames() {
		return execute("-data-list-register-names").results().list("register-names").strings();
	}

	/** @return register number to value in hex, for one frame of one thread. */
	public Map<Integer, String> registerValues(int threadId, int level) {
		Map<Integer, String> values = new LinkedHashMap<>();
		String cmd = "-data-list-register-values --thread " + threadId + " --frame " + level + " x";
		for (MiTuple t : execute(cmd).results().list("register-values").tuples())
			values.put(t.integer("number", -1), t.string("value"));
		return values;
	}

	/** @return the numbers of the registers that changed since the last stop. */
	public List<Integer> changedRegisters() {
		List<Integer> list = new ArrayList<>();
		for (String n : execute("-data-list-changed-registers").results().list("changed-registers").strings())
			list.add(parseInt(n, -1));
		return list;
	}

	/**
	 * @return {@code len} bytes at {@code addr}
	 * @throws GdbException if any of them cannot be read
	 */
	public byte[] readMemory(long addr, int len) {
		String cmd = "-data-read-memory-bytes 0x" + Long.toHexString(addr) + " " + len;
		MiList blocks = readStopped(cmd, "read memory").results().list("memory");
		byte[] out = new byte[len];
		int got = 0;
		try {
			for (MiTuple b : blocks.tuples()) {
				long begin = b.address("begin", 0);
				byte[] bytes = HexFormat.of().parseHex(b.string("contents"));
				int at = (int) (begin - addr);
				if (at < 0 || at + bytes.length > len)
					continue;
				System.arraycopy(bytes, 0, out, at, bytes.length);
				got += bytes.length;
			}
		} catch (RuntimeException e) { // no memory list, no contents, odd hex or address
			throw new GdbException("gdb's answer to " + cmd + " is malformed (" + e + ")", e);
		}
		if (got != len)
			throw new GdbException("only " + got + " of " + len + " bytes at 0x" + Long.toHexString(addr) + " are readable");
		return out;
	}

	/** Writes {@code data} at {@code addr}. */
	public void writeMemory(long addr, byte[] data) {
		execute("-data-write-memory-bytes 0x" + Long.toHexString(addr) + " " + HexFormat.of().formatHex(data));
	}

	/** @return the instructions in [start, end), in address order, with their source lines where known. */
	public List<Instruction> disassemble(long start, long end) {
		String cmd = "-data-disassemble -s 0x" + Long.toHexString(start) + " -e 0x" + Long.toHexString(end) + " -- 4";
		List<Instruction> list = new ArrayList<>();
		for (MiResult r : readStopped(cmd, "disassemble").results().list("asm_insns").items()) {
			if (!(r.value() instanceof MiTuple t))
				continue;
			if ("src_and_asm_line".equals(r.name())) {
				String file = t.string("file");
				int line = t.integer("line", 0);
				for (MiTuple i : t.list("line_asm_insn").tuples())
					list.add(instruction(i, file, line));
			} else {
				list.add(instruction(t, null, 0));
			}
		}
		list.sort(Comparator.comparingLong(Instruction::addr));
		return list;
	}

	private static Instruction instruction(MiTuple i, String file, int line) {
		return new Instruction(i.address("address", 0), i.string("func-name"), i.integer("offset", 0), i.string("inst"), file, line);
	}

	// ---- listeners and lifetime ----

	public void addListener(GdbListener l) {
		dispatcher.add(l);
	}

	public void removeListener(GdbListener l) {
		dispatcher.remove(l);
	}

	/**
	 * Runs task on the session's event thread, after the listener calls already
	 * queued and in order with later ones: a client that must serialise its own
	 * work with gdb's events (a debug model inserting breakpoints) needs no thread
	 * of its own. The task may call the session and wait for gdb. Dropped once
	 * the session is closed.
	 */
	public void post(Runnable task) {
		dispatcher.run(task);
	}

	/** @return whether the caller runs on the session's event thread (a listener or a posted task). */
	public boolean onEventThread() {
		return dispatcher.isCurrent();
	}

	/**
	 * Ends gdb (it detaches from the stub, QEMU keeps running) and the dispatcher.
	 * Pending commands fail; listeners hear exited(). Idempotent.
	 */
	@Override
	public void close() {
		closing = true;
		if (transport != null)
			transport.close();
		dispatcher.close();
	}

	// ---- helpers ----

	/** @return {@code s} as an MI c-string argument. */
	static String quote(String s) {
		StringBuilder b = new StringBuilder(s.length() + 2).append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"', '\\' -> b.append('\\').append(c);
			case '\n' -> b.append("\\n");
			case '\t' -> b.append("\\t");
			default -> b.append(c);
			}
		}
		return b.append('"').toString();
	}

	private static int parseInt(String s, int fallback) {
		try {
			return Integer.parseInt(s);
		} catch (NumberFormatException e) {
			return fallback;
		}
	}
}
