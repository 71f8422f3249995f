package toro.studio.build.abi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import toro.studio.build.AbiFinding;

/**
 * The ABI check of one NASM file: preprocess it, find its routines, follow
 * each one's paths. Findings are sorted by line; one reached through several
 * routines (a shared interrupt tail) is reported once, for the first.
 */
public final class AsmAnalysis {
	private AsmAnalysis() {
	}

	/**
	 * @return every file that {@code file} includes, directly or not, searched as
	 *         {@link Preprocessor#run} does. The build adds them to an assembly
	 *         step's dependencies because nasm 2.16.01's {@code -MD} leaves them
	 *         out (fixed in 2.16.02)
	 */
	public static List<Path> includes(Path file, List<Path> includeDirs) {
		return Preprocessor.run(file, includeDirs).included();
	}

	/** @return the findings of {@code file} ({@code %include} searched in {@code includeDirs}, then beside it). */
	public static List<AbiFinding> check(Path file, List<Path> includeDirs) {
		Preprocessor.Result pre = Preprocessor.run(file, includeDirs);
		List<AbiFinding> all = new ArrayList<>();
		for (Preprocessor.Line u : pre.unsupported())
			all.add(new AbiFinding(u.file(), u.line(), "(preprocessor)", AbiFinding.NOT_ANALYSED + u.text()));
		Program prog = Program.of(pre.lines());
		Set<String> seen = new LinkedHashSet<>();
		for (Map.Entry<String, Integer> e : prog.entries.entrySet())
			for (AbiFinding f : Flow.check(prog, e.getKey(), e.getValue()))
				if (seen.add(f.file() + ":" + f.line() + ":" + f.message()))
					all.add(f);
		all.sort(Comparator.comparing((AbiFinding f) -> f.file().toString()).thenComparingInt(AbiFinding::line));
		return all;
	}
}
