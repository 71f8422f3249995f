package toro.studio.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import toro.studio.build.graph.AtomicFiles;
import toro.studio.build.graph.Edge;
import toro.studio.build.graph.Graph;

/**
 * Writes {@code compile_commands.json} (the JSON compilation database of
 * clangd and other tools): one entry per compile edge, with the exact argv the
 * engine runs, the tree as directory, and the source and object as files.
 */
final class CompileCommands {
	private CompileCommands() {
	}

	/** Writes the database to {@code file} unless it already holds exactly this content. */
	static void write(Graph g, Path file) throws IOException {
		String json = render(g);
		if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(json))
			return;
		AtomicFiles.write(file, json);
	}

	static String render(Graph g) {
		StringBuilder sb = new StringBuilder("[\n");
		boolean first = true;
		for (Edge e : g.edges()) {
			if (e.source() == null)
				continue;
			if (!first)
				sb.append(",\n");
			first = false;
			sb.append("  {\n    \"directory\": ").append(quote(g.root().toString()));
			sb.append(",\n    \"file\": ").append(quote(e.source().name()));
			sb.append(",\n    \"output\": ").append(quote(e.output().name()));
			sb.append(",\n    \"arguments\": [");
			for (int i = 0; i < e.argv().size(); i++)
				sb.append(i == 0 ? "" : ", ").append(quote(e.argv().get(i)));
			sb.append("]\n  }");
		}
		return sb.append("\n]\n").toString();
	}

	/** @return {@code s} as a JSON string literal. */
	static String quote(String s) {
		StringBuilder sb = new StringBuilder("\"");
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
			case '"' -> sb.append("\\\"");
			case '\\' -> sb.append("\\\\");
			case '\n' -> sb.append("\\n");
			case '\t' -> sb.append("\\t");
			default -> {
				if (c < 0x20)
					sb.append(String.format("\\u%04x", (int) c));
				else
					sb.append(c);
			}
			}
		}
		return sb.append('"').toString();
	}
}
