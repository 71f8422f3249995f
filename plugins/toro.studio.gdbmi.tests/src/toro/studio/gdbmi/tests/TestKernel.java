package toro.studio.gdbmi.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real kernel image for integration tests, built from kernel-src/ with the
 * real nasm, gcc and ld. TEMPORARY: the build engine (toro.studio.build) has not
 * landed on its branch yet; this goes away for KernelBuild.build(...) when it does.
 */
final class TestKernel {
	private static final Map<String, Path> BUILT = new HashMap<>();

	private TestKernel() {
	}

	/** @return the checkout root (system property toro.root). */
	static Path root() {
		String r = System.getProperty("toro.root");
		if (r == null)
			throw new IllegalStateException("system property toro.root is not set (run through Maven)");
		return Path.of(r);
	}

	/** @return toro.elf built with profile "debug" (-O0 -g) or "release" (-O2 -g), once per JVM. */
	static synchronized Path image(String profile) throws Exception {
		Path p = BUILT.get(profile);
		if (p == null) {
			p = build(profile);
			BUILT.put(profile, p);
		}
		return p;
	}

	private static Path build(String profile) throws Exception {
		Path src = root().resolve("kernel-src");
		Path out = Files.createTempDirectory("gdbmi-test-kernel-" + profile);
		List<String> cflags = new ArrayList<>(List.of("-std=c11", "-ffreestanding", "-fno-pic", "-fno-pie", "-mno-red-zone",
				"-mgeneral-regs-only", "-mcmodel=small", "-fno-omit-frame-pointer", "-fno-stack-protector",
				"-fno-asynchronous-unwind-tables", "-fno-strict-aliasing", "-g", "-I" + src.resolve("include"),
				"-DTORO_MAX_CPUS=16", "-DTORO_MAX_THREADS=256", profile.equals("debug") ? "-O0" : "-O2"));
		List<String> objects = new ArrayList<>();
		for (String dir : List.of("arch/x86_64", "kernel", "lib")) {
			try (Stream<Path> files = Files.list(src.resolve(dir))) {
				for (Path f : files.sorted().toList()) {
					String name = f.getFileName().toString();
					Path obj = out.resolve(dir.replace('/', '_') + "_" + name + ".o");
					if (name.endsWith(".c")) {
						List<String> cmd = new ArrayList<>(List.of("gcc"));
						cmd.addAll(cflags);
						cmd.addAll(List.of("-c", f.toString(), "-o", obj.toString()));
						run(cmd, src);
					} else if (name.endsWith(".asm")) {
						run(List.of("nasm", "-f", "elf64", "-g", "-F", "dwarf", "-I", src.resolve("arch/x86_64") + "/", f.toString(), "-o", obj.toString()), src);
					} else {
						continue;
					}
					objects.add(obj.toString());
				}
			}
		}
		Path elf = out.resolve("toro.elf");
		List<String> ld = new ArrayList<>(List.of("ld", "-nostdlib", "-static", "-no-pie", "-z", "max-page-size=0x1000",
				"-z", "noexecstack", "--no-warn-rwx-segments", "-T", src.resolve("arch/x86_64/kernel.ld").toString(), "-o", elf.toString()));
		ld.addAll(objects);
		run(ld, src);
		return elf;
	}

	private static void run(List<String> cmd, Path dir) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
		String text = new String(p.getInputStream().readAllBytes());
		if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
			throw new IOException(String.join(" ", cmd) + " failed:\n" + text);
	}
}
