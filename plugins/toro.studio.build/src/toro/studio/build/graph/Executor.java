package toro.studio.build.graph;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs edges' commands as processes (argv lists, never a shell) in the tree,
 * with stdout and stderr merged in the order the tool wrote them, and can kill
 * every running command, children included, when a build is cancelled.
 */
public final class Executor implements Scheduler.Runner {
	private final File dir;
	private final Set<Process> live = ConcurrentHashMap.newKeySet();
	private volatile boolean killed;

	/** @param dir the working directory of every command (the tree) */
	public Executor(Path dir) {
		this.dir = dir.toFile();
	}

	@Override
	public Scheduler.Outcome run(Edge e) throws IOException, InterruptedException {
		if (killed)
			return new Scheduler.Outcome(-1, "cancelled", Long.MAX_VALUE);
		Instant now = Instant.now();
		long started = now.getEpochSecond() * 1_000_000_000L + now.getNano();
		Files.createDirectories(e.tmpOutput().getParent());
		if (e.tmpDepfile() != null)
			Files.createDirectories(e.tmpDepfile().getParent());
		Process p = new ProcessBuilder(e.argv()).directory(dir).redirectErrorStream(true).start();
		live.add(p);
		if (killed) // cancelled while this one was starting
			killAll();
		try {
			p.getOutputStream().close();
			String out;
			try (InputStream in = p.getInputStream()) {
				out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			return new Scheduler.Outcome(p.waitFor(), out, started);
		} finally {
			live.remove(p);
		}
	}

	/** Kills every running command and its children (gcc's cc1 and as); no new command starts. */
	public void killAll() {
		killed = true;
		for (Process p : live) {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
		}
	}
}
