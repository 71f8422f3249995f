package toro.studio.cli;

import java.util.List;

/** The registry of toro's subcommands, in the order {@code toro --help} lists them. */
final class Commands {
	private Commands() {
	}

	/** @return a fresh instance of every command. */
	static List<Command> all() {
		return List.of(
				new BuildCommand(),
				new AbiCheckCommand(),
				new BenchCommand(),
				new DebugCommand(),
				new DoctorCommand(),
				new StudioCommand(),
				new RunCommand(),
				new TestCommand(),
				new TopCommand());
	}
}
