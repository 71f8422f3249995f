package toro.studio.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import toro.studio.qemu.Accel;

/**
 * {@code toro doctor}: checks every tool the project needs, prints its version
 * or the exact command that installs it, checks that SWT's native code finds
 * its GTK 3 libraries ({@link SwtCheck}), and says whether KVM is usable.
 * Exits 1 when a tool or a library is missing.
 */
final class DoctorCommand implements Command {
	/** A tool: its command, the arguments that print its version, and its Debian package. */
	record Tool(String command, List<String> versionArgs, String purpose, String debianPackage) {
	}

	static final List<Tool> TOOLS = List.of(
			new Tool("java", List.of("-version"), "runs toro and Toro Studio", "openjdk-17-jdk-headless"),
			new Tool("nasm", List.of("-v"), "assembles the kernel", "nasm"),
			new Tool("gcc", List.of("--version"), "compiles the kernel", "gcc"),
			new Tool("ld", List.of("--version"), "links the kernel", "binutils"),
			new Tool("objcopy", List.of("--version"), "extracts images and symbols", "binutils"),
			new Tool("qemu-system-x86_64", List.of("--version"), "runs the kernel", "qemu-system-x86"),
			new Tool("gdb", List.of("--version"), "debugs the kernel", "gdb"),
			new Tool("xvfb-run", List.of(), "runs the IDE tests headless", "xvfb"));

	@Override
	public String name() {
		return "doctor";
	}

	@Override
	public String summary() {
		return "check the tools the project needs and whether KVM is usable";
	}

	@Override
	public String usage() {
		return """
				usage: toro doctor

				Lists every tool Toro Studio needs with its path and version, and the
				command that installs each missing one; checks with ldd that the IDE's
				native code (SWT on GTK 3) finds every library it loads, naming the
				Debian package of each one missing; then says whether KVM is usable
				(else QEMU falls back to TCG, slower but complete).

				Exit status: 0 when every tool and library is present, 1 otherwise.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options.parse(args);
		Set<String> missing = new LinkedHashSet<>();
		for (Tool t : TOOLS) {
			Path path = onPath(t.command());
			if (path == null) {
				term.out.printf("  %-20s MISSING  (%s)%n", t.command(), t.purpose());
				missing.add(t.debianPackage());
			} else {
				term.out.printf("  %-20s ok       %s  %s%n", t.command(), version(path, t.versionArgs()), path);
			}
		}
		SwtCheck.Result swt = SwtCheck.run(ToroHome.home());
		term.out.println("  " + swt.line());
		missing.addAll(swt.packages());
		term.out.println("  " + Accel.kvmStatus());
		if (missing.isEmpty()) {
			term.out.println("All tools are present.");
			return 0;
		}
		String install = "apt-get update && apt-get install -y " + String.join(" ", missing);
		term.out.println("Missing tools or libraries. Install them with:");
		term.out.println("  " + (isRoot() ? install : "sudo sh -c '" + install + "'"));
		return 1;
	}

	/** @return the executable that PATH resolves {@code command} to, or null. */
	static Path onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null)
			return null;
		for (String dir : path.split(":")) {
			if (dir.isEmpty())
				continue;
			Path p = Path.of(dir, command);
			if (Files.isRegularFile(p) && Files.isExecutable(p))
				return p;
		}
		return null;
	}

	/** @return the first line the tool prints about its version, or "(version unknown)". */
	private static String version(Path tool, List<String> versionArgs) {
		if (versionArgs.isEmpty())
			return "";
		List<String> argv = new ArrayList<>();
		argv.add(tool.toString());
		argv.addAll(versionArgs);
		try {
			Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
			p.getOutputStream().close();
			String first;
			try (InputStream in = p.getInputStream()) {
				first = new String(in.readNBytes(4096), StandardCharsets.UTF_8).lines().findFirst().orElse("");
			}
			if (!p.waitFor(10, TimeUnit.SECONDS))
				p.destroyForcibly();
			return first.isBlank() ? "(version unknown)" : first.strip();
		} catch (IOException e) {
			return "(does not run: " + e.getMessage() + ")";
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return "(interrupted)";
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}
}
