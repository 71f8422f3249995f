package toro.studio.build.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import toro.studio.build.BuildException;
import toro.studio.build.BuildListener;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;
import toro.studio.build.Problem;

/**
 * A small kernel-like tree in a temporary directory, built with the real
 * nasm, gcc and ld: an assembly entry, two C files sharing a header, and a
 * linker script. Records what each build ran.
 */
final class Tree implements AutoCloseable {
	static final String DESCRIPTOR = """
			[toolchain]
			cc = gcc

			[flags]
			cflags = -std=c11 -ffreestanding -fno-pic -fno-pie -mno-red-zone -Wall
			asflags = -f elf64
			ldflags = -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments
			includes = include

			[profile release]
			cflags = -O2 -g
			asflags = -g -F dwarf
			default = true

			[profile debug]
			cflags = -O0 -g

			[target toro]
			sources = arch/*.asm kernel/*.c
			linker-script = arch/kernel.ld
			output = toro.elf
			default = true

			[target hello]
			inherit = toro
			sources = apps/hello/*.c
			output = hello.elf
			""";

	final Path root;
	/** The descriptions of the steps the last build started ("CC kernel/main.c"). */
	final List<String> ran = new ArrayList<>();
	final List<String> explained = new ArrayList<>();

	Tree() throws IOException {
		root = Files.createTempDirectory("toro-build-test");
		write("toro.build", DESCRIPTOR);
		write("include/k.h", "#define K 3\nint add(int a, int b);\n");
		write("include/other.h", "#define OTHER 1\n");
		write("kernel/main.c", "#include \"k.h\"\nint kmain(void) { return add(K, 4); }\n");
		write("kernel/add.c", "#include \"k.h\"\nint add(int a, int b) { return a + b; }\n");
		write("kernel/other.c", "#include \"other.h\"\nint other(void) { return OTHER; }\n");
		write("apps/hello/hello.c", "int hello(void) { return 42; }\n");
		write("arch/entry.asm", """
				bits 64
				section .text
				global _start
				extern kmain
				_start:
				    push rbx
				    mov rbx, 1
				    call kmain
				    pop rbx
				    ret
				""");
		write("arch/kernel.ld", "ENTRY(_start)\nSECTIONS {\n  . = 1M;\n  .text : { *(.text*) }\n  .data : { *(.data*) *(.rodata*) *(.bss*) }\n}\n");
	}

	Path write(String rel, String text) throws IOException {
		Path p = root.resolve(rel);
		Files.createDirectories(p.getParent());
		Files.writeString(p, text, StandardCharsets.UTF_8);
		return p;
	}

	String read(String rel) throws IOException {
		return Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
	}

	/** Sets a file's mtime to now, as an editor's save would. */
	void touch(String rel) throws IOException {
		Files.setLastModifiedTime(root.resolve(rel), FileTime.from(java.time.Instant.now()));
	}

	BuildResult build() throws BuildException {
		return build(new BuildRequest(root, null, null, 0, true, false), () -> false);
	}

	BuildResult build(BuildRequest r, BooleanSupplier cancelled) throws BuildException {
		ran.clear();
		explained.clear();
		return KernelBuild.build(r, new BuildListener() {
			@Override
			public void progress(int done, int total, String description) {
				ran.add(description);
			}

			@Override
			public void explain(String line) {
				explained.add(line);
			}
		}, cancelled);
	}

	static String errors(BuildResult r) {
		StringBuilder sb = new StringBuilder();
		for (Problem p : r.problems())
			sb.append(p).append('\n');
		return sb.toString();
	}

	/** Runs a program and returns its stdout (for nm and the like). */
	static String run(String... argv) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
		p.getOutputStream().close();
		String out;
		try (InputStream in = p.getInputStream()) {
			out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		p.waitFor();
		return out;
	}

	@Override
	public void close() {
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.sorted(Comparator.reverseOrder()).toList())
				Files.delete(p);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
