package toro.studio.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import toro.studio.gdbmi.BreakpointSpec;
import toro.studio.gdbmi.GdbException;
import toro.studio.gdbmi.GdbSession;
import toro.studio.gdbmi.MiError;
import toro.studio.gdbmi.RunState;
import toro.studio.gdbmi.StopEvent;

/**
 * The commands of {@code toro debug --script}, one per line: break, hbreak,
 * continue, step, next, finish, print EXPR, info threads, bt, quit. Blank lines
 * and lines starting with # are skipped. A failing command prints its error and
 * the script goes on; the exit status then says that something failed.
 */
final class DebugScript {
	private final GdbSession gdb;
	private final DebugPrinter print;
	private final Duration stopTimeout;

	DebugScript(GdbSession gdb, DebugPrinter print, Duration stopTimeout) {
		this.gdb = gdb;
		this.print = print;
		this.stopTimeout = stopTimeout;
	}

	/**
	 * Runs every line of {@code file}.
	 *
	 * @return 0 when every command succeeded, 1 otherwise, {@link DebugCommand#SESSION_LOST}
	 *         when gdb or QEMU died (the rest of the script is not run)
	 */
	int run(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file);
		int status = 0;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#"))
				continue;
			if (line.equals("quit"))
				break;
			try {
				execute(line);
			} catch (GdbException | IllegalArgumentException e) {
				String why = e instanceof MiError m ? m.gdbMessage() : e.getMessage();
				print.error(line, file.getFileName() + ":" + (i + 1) + ": " + why);
				status = 1;
				if (gdb.state() == RunState.EXITED || gdb.state() == RunState.DISCONNECTED)
					return DebugCommand.SESSION_LOST;
			}
		}
		return status;
	}

	/** Runs one command line and prints its result. */
	void execute(String line) {
		int sp = line.indexOf(' ');
		String verb = sp < 0 ? line : line.substring(0, sp);
		String arg = sp < 0 ? "" : line.substring(sp + 1).strip();
		switch (verb) {
		case "break", "b" -> print.breakpoint(line, gdb.insertBreakpoint(BreakpointSpec.at(arg)));
		case "hbreak" -> print.breakpoint(line, gdb.insertBreakpoint(BreakpointSpec.hardware(arg)));
		case "continue", "c" -> resume(line, gdb::cont);
		case "step", "s" -> resume(line, gdb::step);
		case "next", "n" -> resume(line, gdb::next);
		case "finish" -> resume(line, gdb::finish);
		case "print", "p" -> {
			if (arg.isEmpty())
				throw new IllegalArgumentException("print needs an expression, e.g. print toro_ncpus");
			print.value(line, gdb.evaluate(arg));
		}
		case "info" -> {
			if (!arg.equals("threads"))
				throw new IllegalArgumentException("only 'info threads' is known, not 'info " + arg + "'");
			print.threads(line, gdb.threads());
		}
		case "bt", "backtrace" -> print.frames(line, gdb.stack(gdb.waitForStop(Duration.ZERO).threadId()));
		default -> throw new IllegalArgumentException("unknown command '" + verb
				+ "'; known: break, hbreak, continue, step, next, finish, print EXPR, info threads, bt, quit");
		}
	}

	/** Resumes, waits for the stop (interrupting the target after the timeout) and prints it. */
	void resume(String line, Runnable command) {
		command.run();
		StopEvent e = DebugCommand.awaitStop(gdb, stopTimeout);
		print.stop(line, e, gdb.stack(e.threadId()));
	}
}
