package toro.studio.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import toro.studio.build.abi.AsmAnalysis;

/**
 * The static ABI checker for NASM sources. In every global routine, each
 * write to a register that the SysV x86-64 ABI calls callee-saved (rbx, rbp,
 * r12-r15) must be undone on every path to every {@code ret}, and the stack
 * must balance; an interrupt or exception entry stub (a routine that leaves by
 * {@code iretq}) must restore every general-purpose register that it or the
 * handler it calls may change. What the checker cannot follow (an indirect
 * jump, a stack pointer it cannot track, an unsupported preprocessor
 * directive) is reported as "not analysed", never passed in silence.
 */
public final class AbiChecker {
	private AbiChecker() {
	}

	/** @return the findings in {@code asmFiles}, file by file, in line order. */
	public static List<AbiFinding> check(List<Path> asmFiles) {
		return check(asmFiles, List.of());
	}

	/**
	 * @param includeDirs where {@code %include} files are searched, in order, as
	 *                    nasm does (its working directory, then its -I
	 *                    directories), before the including file's directory
	 * @return the findings in {@code asmFiles}, file by file, in line order
	 */
	public static List<AbiFinding> check(List<Path> asmFiles, List<Path> includeDirs) {
		List<AbiFinding> all = new ArrayList<>();
		for (Path f : asmFiles)
			all.addAll(AsmAnalysis.check(f.toAbsolutePath().normalize(), includeDirs));
		return all;
	}
}
