package toro.studio.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import toro.studio.build.AbiChecker;
import toro.studio.build.AbiFinding;
import toro.studio.build.BuildDescriptor;

/**
 * {@code toro abi-check [FILE...]}: runs the static ABI checker on NASM
 * sources (by default every .asm source of the kernel tree's targets) and
 * prints one line per finding.
 */
final class AbiCheckCommand implements Command {
	@Override
	public String name() {
		return "abi-check";
	}

	@Override
	public String summary() {
		return "check that assembly routines and interrupt stubs respect the SysV x86-64 ABI";
	}

	@Override
	public String usage() {
		return """
				usage: toro abi-check [--tree DIR] [FILE...]

				Statically checks NASM sources: in every global routine each write to
				rbx, rbp or r12-r15 must be undone on every path to every ret, and the
				stack must balance; an interrupt stub (a routine ending in iretq) must
				restore every general-purpose register it or its C handler may change.
				Prints one line per finding, path:line: routine: message. Places the
				checker cannot follow (indirect jumps, untracked rsp, unsupported
				directives) are printed as "not analysed: ..." findings.

				  FILE...      the .asm files to check (default: every .asm source of the
				               kernel tree's targets, as listed in toro.build)
				  --tree DIR   the kernel tree whose toro.build gives the default files and
				               the %include directories (default: the nearest directory
				               holding toro.build, else the checkout's kernel-src/)

				Exit status: 0 when there is no finding, 1 when there is any, 2 for bad usage.
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options o = Options.parse(args, "--tree=");
		Path tree = ToroHome.kernelTree(o);
		List<Path> files = new ArrayList<>();
		for (String f : o.positional()) {
			Path p = Path.of(f).toAbsolutePath().normalize();
			if (!Files.isRegularFile(p))
				throw new UsageException(f + " is not a file");
			files.add(p);
		}
		List<Path> includes = List.of();
		if (files.isEmpty() || Files.isRegularFile(tree.resolve(BuildDescriptor.FILE))) {
			BuildDescriptor d = BuildDescriptor.load(tree);
			includes = new ArrayList<>(List.of(tree)); // nasm runs in the tree
			includes.addAll(d.includeDirs());
			if (files.isEmpty())
				files = d.assemblySources();
		}
		List<AbiFinding> findings = AbiChecker.check(files, includes);
		for (AbiFinding f : findings)
			term.out.println(f);
		term.progress(files.size() + " files checked, " + findings.size() + " findings");
		return findings.isEmpty() ? 0 : 1;
	}
}
