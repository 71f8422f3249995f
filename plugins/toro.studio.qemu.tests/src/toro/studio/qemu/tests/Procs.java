package toro.studio.qemu.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small process helpers for the integration tests: run a tool, list QEMUs, wait for a death. */
final class Procs {
	private Procs() {
	}

	/** Runs {@code argv} (stderr merged) and returns its output; at most 60 s. */
	static String output(List<String> argv) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
		p.getOutputStream().close();
		String out;
		try (InputStream in = p.getInputStream()) {
			out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		if (!p.waitFor(60, TimeUnit.SECONDS))
			p.destroyForcibly();
		return out;
	}

	/** @return pids of live qemu-system processes whose command line mentions {@code marker}. */
	static List<Long> qemusWith(String marker) {
		List<Long> pids = new ArrayList<>();
		ProcessHandle.allProcesses().forEach(h -> {
			String cmd = cmdline(h.pid());
			if (cmd.contains("qemu-system") && cmd.contains(marker))
				pids.add(h.pid());
		});
		return pids;
	}

	/** @return /proc/PID/cmdline with spaces for NULs, "" when gone. */
	static String cmdline(long pid) {
		try {
			return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
		} catch (IOException e) {
			return "";
		}
	}

	/** @return whether process {@code pid} is gone (or a zombie) within {@code millis}. */
	static boolean goneWithin(long pid, long millis) throws InterruptedException {
		long end = System.currentTimeMillis() + millis;
		while (System.currentTimeMillis() < end) {
			if (!alive(pid))
				return true;
			Thread.sleep(20);
		}
		return !alive(pid);
	}

	static boolean alive(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		} catch (IOException e) {
			return false;
		}
	}
}
