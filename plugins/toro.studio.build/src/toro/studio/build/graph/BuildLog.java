package toro.studio.build.graph;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The persistent record of what was built: for each output, the hash of the
 * command that wrote it, the output's mtime just after, and every input it
 * read (explicit inputs and the headers of its dependency file) with the
 * mtime each had when the command started. An output is up to date only if
 * all of these still hold.
 *
 * <p>On disk: a header line, then one line per finished command, fields
 * separated by tabs: {@code output hash outputMtime (dep mtime)*}. Records are
 * appended as commands finish, so a build killed midway keeps what it
 * finished; a torn last line is ignored; a later record replaces an earlier
 * one. {@link #compact} rewrites the file atomically when it has grown.
 */
public final class BuildLog {
	private static final String HEADER = "# toro build log v1";

	/** What the log knows about one output. */
	public record Record(String output, long hash, long outputMtime, List<String> deps, long[] depMtimes) {
	}

	private final Path file;
	private final Map<String, Record> records = new HashMap<>();
	private int lines;
	private BufferedWriter writer;

	private BuildLog(Path file) {
		this.file = file;
	}

	/** Reads the log at {@code file}; a missing or foreign file is an empty log. */
	public static BuildLog load(Path file) throws IOException {
		BuildLog log = new BuildLog(file);
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			return log;
		}
		if (!text.startsWith(HEADER + "\n"))
			return log; // another version: everything rebuilds once
		int start = HEADER.length() + 1;
		while (start < text.length()) {
			int end = text.indexOf('\n', start);
			if (end < 0)
				break; // torn by a kill: that command counts as not done
			Record r = parseLine(text.substring(start, end));
			if (r != null) {
				log.records.put(r.output(), r);
				log.lines++;
			}
			start = end + 1;
		}
		return log;
	}

	private static Record parseLine(String line) {
		String[] f = line.split("\t", -1);
		if (f.length < 3 || f.length % 2 == 0)
			return null;
		try {
			int n = (f.length - 3) / 2;
			List<String> deps = new ArrayList<>(n);
			long[] mtimes = new long[n];
			for (int i = 0; i < n; i++) {
				deps.add(f[3 + 2 * i]);
				mtimes[i] = Long.parseLong(f[4 + 2 * i]);
			}
			return new Record(f[0], Long.parseUnsignedLong(f[1], 16), Long.parseLong(f[2]), deps, mtimes);
		} catch (NumberFormatException e) {
			return null;
		}
	}

	/** @return the record of {@code output}, or null if it was never built (or the log was lost). */
	public Record get(String output) {
		return records.get(output);
	}

	/** @return every record. */
	public Collection<Record> records() {
		return records.values();
	}

	/** Records a finished command and appends it to the file at once. */
	public void add(Record r) throws IOException {
		records.put(r.output(), r);
		if (writer == null) {
			Files.createDirectories(file.getParent());
			boolean fresh = Files.notExists(file);
			writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
			if (fresh || Files.size(file) == 0)
				writer.write(HEADER + "\n");
		}
		writer.write(format(r));
		writer.flush();
		lines++;
	}

	/** Forgets an output (its command is gone from the descriptor); takes effect at {@link #compact}. */
	public void remove(String output) {
		records.remove(output);
		lines++;
	}

	private static String format(Record r) {
		StringBuilder sb = new StringBuilder();
		sb.append(r.output()).append('\t').append(Long.toHexString(r.hash())).append('\t').append(r.outputMtime());
		for (int i = 0; i < r.deps().size(); i++)
			sb.append('\t').append(r.deps().get(i)).append('\t').append(r.depMtimes()[i]);
		return sb.append('\n').toString();
	}

	/**
	 * Closes the file; rewrites it with only the live records (temporary file,
	 * then rename) when more than half of its lines are stale.
	 */
	public void close() throws IOException {
		if (writer != null) {
			writer.close();
			writer = null;
		}
		if (lines > 2 * records.size() + 16) {
			StringBuilder sb = new StringBuilder(HEADER).append('\n');
			for (Record r : records.values())
				sb.append(format(r));
			AtomicFiles.write(file, sb.toString());
			lines = records.size();
		}
	}
}
