package toro.studio.cli;

import java.util.List;

/**
 * One subcommand of {@code toro}. Implementations are registered in
 * {@link Commands} and run by {@link Main}.
 */
public interface Command {
	/** @return the word that selects this command, e.g. "build". */
	String name();

	/** @return one line for the list that {@code toro --help} prints. */
	String summary();

	/** @return the full help text: usage line, options, exit status. */
	String usage();

	/**
	 * Runs the command.
	 *
	 * @param args the words after the command name
	 * @param term where output, progress and errors go
	 * @return the process exit status
	 * @throws UsageException on bad arguments (Main prints it with a hint to --help and exits 2)
	 * @throws Exception on any other failure (Main prints its message and exits 1)
	 */
	int run(List<String> args, Terminal term) throws Exception;
}
