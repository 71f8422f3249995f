package toro.studio.cli;

import java.util.Arrays;
import java.util.List;

import toro.studio.qemu.KvmUnusableException;

/**
 * The entry point of the {@code toro} command line: selects the subcommand,
 * runs it, and turns failures into one clear message and an exit status
 * (2 for bad usage, 1 for a failure, otherwise the command's own status).
 */
public final class Main {
	private Main() {
	}

	public static void main(String[] argv) {
		Terminal term = new Terminal(System.out, System.err);
		int status = run(Arrays.asList(argv), term);
		term.out.flush();
		term.err.flush();
		System.exit(status);
	}

	/** Runs one command line and returns its exit status. */
	static int run(List<String> argv, Terminal term) {
		List<Command> commands = Commands.all();
		if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h") || argv.get(0).equals("help")) {
			if (argv.size() > 1)
				return helpOf(argv.get(1), commands, term);
			term.out.print(overview(commands));
			return argv.isEmpty() ? 2 : 0;
		}
		String name = argv.get(0);
		Command cmd = find(name, commands);
		if (cmd == null) {
			term.err.println("toro: unknown command '" + name + "'. Run 'toro --help' for the list.");
			return 2;
		}
		List<String> rest = argv.subList(1, argv.size());
		if (rest.contains("--help") || rest.contains("-h")) {
			term.out.print(cmd.usage());
			return 0;
		}
		try {
			return cmd.run(rest, term);
		} catch (UsageException e) {
			term.err.println("toro " + name + ": " + e.getMessage() + ". See 'toro " + name + " --help'.");
			return 2;
		} catch (KvmUnusableException e) {
			// asked for explicitly and impossible here: a usage error, not a failed run
			term.err.println("toro " + name + ": " + e.getMessage());
			return 2;
		} catch (Exception e) {
			String msg = e.getMessage() == null ? e.toString() : e.getMessage();
			term.err.println("toro " + name + ": " + msg);
			if (System.getenv("TORO_DEBUG") != null)
				e.printStackTrace(term.err);
			return 1;
		}
	}

	private static int helpOf(String name, List<Command> commands, Terminal term) {
		Command cmd = find(name, commands);
		if (cmd == null) {
			term.err.println("toro: unknown command '" + name + "'. Run 'toro --help' for the list.");
			return 2;
		}
		term.out.print(cmd.usage());
		return 0;
	}

	private static Command find(String name, List<Command> commands) {
		for (Command c : commands)
			if (c.name().equals(name))
				return c;
		return null;
	}

	/** @return the text of {@code toro --help}. */
	static String overview(List<Command> commands) {
		StringBuilder sb = new StringBuilder();
		sb.append("usage: toro COMMAND [OPTIONS]\n\n");
		sb.append("Build, run, test and debug the Toro kernel.\n\n");
		sb.append("Commands:\n");
		for (Command c : commands)
			sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
		sb.append("\nRun 'toro COMMAND --help' for a command's options.\n");
		return sb.toString();
	}
}
