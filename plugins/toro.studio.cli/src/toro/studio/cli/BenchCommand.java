package toro.studio.cli;

import java.util.List;

/**
 * {@code toro bench SUBJECT [OPTIONS]}: runs one benchmark. Each subject is a
 * {@link Command} registered in {@link #subjects()}, one line each.
 */
final class BenchCommand implements Command {
	/** The benchmark subjects, by name. */
	static List<Command> subjects() {
		return List.of(
				new BenchBuild(),
				new BenchBootCommand(),
				new BenchIdleCommand(),
				new BenchHttpCommand());
	}

	@Override
	public String name() {
		return "bench";
	}

	@Override
	public String summary() {
		return "run a benchmark: " + String.join(", ", subjects().stream().map(Command::name).toList());
	}

	@Override
	public String usage() {
		StringBuilder sb = new StringBuilder("usage: toro bench SUBJECT [OPTIONS]\n\nSubjects:\n");
		for (Command c : subjects())
			sb.append(String.format("  %-8s %s%n", c.name(), c.summary()));
		for (Command c : subjects())
			sb.append('\n').append(c.usage());
		return sb.toString();
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		if (args.isEmpty())
			throw new UsageException("name a subject: " + String.join(", ", subjects().stream().map(Command::name).toList()));
		for (Command c : subjects())
			if (c.name().equals(args.get(0)))
				return c.run(args.subList(1, args.size()), term);
		throw new UsageException("unknown subject '" + args.get(0) + "'; known: "
				+ String.join(", ", subjects().stream().map(Command::name).toList()));
	}
}
