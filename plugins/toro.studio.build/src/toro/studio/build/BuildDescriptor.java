package toro.studio.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The meaning of a tree's toro.build: toolchain, common flags, profiles and
 * targets, checked for the mistakes a reader would make (no default, unknown
 * inherit, inheritance cycle, missing output), each reported as
 * {@code toro.build:LINE: what is wrong; what to write instead}.
 */
public final class BuildDescriptor {
	/** The descriptor's file name at the root of a kernel tree. */
	public static final String FILE = "toro.build";

	/** One {@code [target NAME]} section as written (before inheritance). */
	record TargetSpec(String name, int line, List<DescriptorParser.Entry> sources, String linkerScript,
			int linkerScriptLine, String output, String inherit, int inheritLine, Flags flags) {
	}

	private final Path tree;
	private final Map<String, String> tools = new LinkedHashMap<>(
			Map.of("nasm", "nasm", "cc", "gcc", "ld", "ld", "objcopy", "objcopy"));
	private Flags common = Flags.NONE;
	private final Map<String, Flags> profiles = new LinkedHashMap<>();
	private final Map<String, TargetSpec> targets = new LinkedHashMap<>();
	private String defaultProfile;
	private String defaultTarget;

	private BuildDescriptor(Path tree) {
		this.tree = tree;
	}

	/**
	 * Reads and checks {@code tree/toro.build}.
	 *
	 * @throws BuildException when the file is missing, unreadable or wrong
	 */
	public static BuildDescriptor load(Path tree) throws BuildException {
		Path file = tree.resolve(FILE);
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			throw new BuildException(file + " does not exist; run the build in a kernel tree (a directory holding "
					+ FILE + ") or pass its path");
		} catch (IOException e) {
			throw new BuildException("cannot read " + file + ": " + e.getMessage(), e);
		}
		return parse(tree.toAbsolutePath().normalize(), text);
	}

	/** Checks the parsed sections of {@code text} and builds the descriptor for {@code tree}. */
	static BuildDescriptor parse(Path tree, String text) throws BuildException {
		BuildDescriptor d = new BuildDescriptor(tree);
		int lastLine = 1;
		for (DescriptorParser.Section s : DescriptorParser.parse(text)) {
			lastLine = Math.max(lastLine, s.line());
			switch (s.kind()) {
			case "toolchain" -> s.entries().forEach((k, e) -> {
				if (!e.value().isEmpty())
					d.tools.put(k, e.value());
			});
			case "flags" -> d.common = Flags.of(s);
			case "profile" -> {
				d.profiles.put(s.name(), Flags.of(s));
				if (isTrue(s, "default", d.defaultProfile, "profile"))
					d.defaultProfile = s.name();
			}
			case "target" -> {
				d.targets.put(s.name(), target(s));
				if (isTrue(s, "default", d.defaultTarget, "target"))
					d.defaultTarget = s.name();
			}
			default -> throw new IllegalStateException(s.kind());
			}
		}
		if (d.profiles.isEmpty())
			throw DescriptorParser.error(lastLine, "no [profile NAME] section",
					"add [profile release] with cflags = -O2 -g and default = true");
		if (d.targets.isEmpty())
			throw DescriptorParser.error(lastLine, "no [target NAME] section",
					"add [target toro] with sources, linker-script, output and default = true");
		if (d.defaultProfile == null)
			throw DescriptorParser.error(lastLine, "no profile has default = true",
					"add default = true to one profile, e.g. [profile " + d.profiles.keySet().iterator().next() + "]");
		if (d.defaultTarget == null)
			throw DescriptorParser.error(lastLine, "no target has default = true",
					"add default = true to one target, e.g. [target " + d.targets.keySet().iterator().next() + "]");
		for (TargetSpec t : d.targets.values())
			d.chain(t.name());
		return d;
	}

	private static TargetSpec target(DescriptorParser.Section s) throws BuildException {
		DescriptorParser.Entry out = s.get("output");
		if (out == null || out.value().isEmpty())
			throw DescriptorParser.error(s.line(), "[target " + s.name() + "] has no output",
					"add output = " + s.name() + ".elf");
		if (out.value().contains("/") || out.value().contains(" "))
			throw DescriptorParser.error(out.line(), "output '" + out.value() + "' must be a plain file name",
					"write output = " + s.name() + ".elf (images go to build/<profile>/)");
		List<DescriptorParser.Entry> globs = new ArrayList<>();
		DescriptorParser.Entry src = s.get("sources");
		if (src != null && !src.value().isEmpty())
			for (String g : src.value().split(" "))
				globs.add(new DescriptorParser.Entry("sources", g, src.line()));
		DescriptorParser.Entry ls = s.get("linker-script");
		DescriptorParser.Entry inh = s.get("inherit");
		return new TargetSpec(s.name(), s.line(), globs, ls == null ? null : ls.value(), ls == null ? 0 : ls.line(),
				out.value(), inh == null ? null : inh.value(), inh == null ? 0 : inh.line(), Flags.of(s));
	}

	/** @return whether {@code key} is "true"; checks the spelling and that no earlier section claimed it. */
	private static boolean isTrue(DescriptorParser.Section s, String key, String earlier, String kind)
			throws BuildException {
		DescriptorParser.Entry e = s.get(key);
		if (e == null || e.value().equals("false"))
			return false;
		if (!e.value().equals("true"))
			throw DescriptorParser.error(e.line(), key + " must be true or false, not '" + e.value() + "'",
					"write " + key + " = true");
		if (earlier != null)
			throw DescriptorParser.error(e.line(), "both " + kind + " " + earlier + " and " + kind + " " + s.name()
					+ " have default = true", "keep default = true on exactly one " + kind);
		return true;
	}

	/** @return the target and its ancestors by inherit, ancestors first; checks names and cycles. */
	private List<TargetSpec> chain(String name) throws BuildException {
		List<TargetSpec> chain = new ArrayList<>();
		Set<String> seen = new LinkedHashSet<>();
		for (TargetSpec t = targets.get(name); t != null;) {
			if (!seen.add(t.name()))
				throw DescriptorParser.error(t.inheritLine(), "inherit forms a cycle: " + String.join(" -> ", seen)
						+ " -> " + t.name(), "remove inherit from one of these targets");
			chain.add(0, t);
			if (t.inherit() == null)
				break;
			TargetSpec parent = targets.get(t.inherit());
			if (parent == null)
				throw DescriptorParser.error(t.inheritLine(), "inherit names unknown target '" + t.inherit() + "'",
						"use one of: " + String.join(", ", targets.keySet()));
			t = parent;
		}
		return chain;
	}

	/** @return the target names in file order. */
	public List<String> targets() {
		return List.copyOf(targets.keySet());
	}

	/** @return the profile names in file order. */
	public List<String> profiles() {
		return List.copyOf(profiles.keySet());
	}

	public String defaultTarget() {
		return defaultTarget;
	}

	public String defaultProfile() {
		return defaultProfile;
	}

	/** @return the toolchain: nasm, cc, ld, objcopy and the program each names. */
	public Map<String, String> tools() {
		return Map.copyOf(tools);
	}

	/** @return the tree (absolute) that holds toro.build. */
	public Path tree() {
		return tree;
	}

	/**
	 * @return {@code build/<profile>/} in the tree (absolute); always inside build/, since the
	 *         parser admits no profile name with a '/' or made of dots only
	 */
	public Path buildDir(String profile) throws BuildException {
		return tree.resolve("build").resolve(checkProfile(profile));
	}

	/**
	 * @return the image that building {@code target} with {@code profile} writes (absolute);
	 *         null arguments mean the defaults
	 * @throws BuildException naming the known profiles or targets when one is unknown
	 */
	public Path outputOf(String profile, String target) throws BuildException {
		return buildDir(profile).resolve(targets.get(checkTarget(target)).output());
	}

	private String checkProfile(String profile) throws BuildException {
		String p = profile == null ? defaultProfile : profile;
		if (!profiles.containsKey(p))
			throw new BuildException("unknown profile '" + p + "'; " + FILE + " defines: " + String.join(", ", profiles.keySet()));
		return p;
	}

	private String checkTarget(String target) throws BuildException {
		String t = target == null ? defaultTarget : target;
		if (!targets.containsKey(t))
			throw new BuildException("unknown target '" + t + "'; " + FILE + " defines: " + String.join(", ", targets.keySet()));
		return t;
	}

	/**
	 * @return every .asm source of every target (absolute, sorted, no duplicates):
	 *         what {@code toro abi-check} checks by default
	 */
	public List<Path> assemblySources() throws BuildException {
		java.util.TreeSet<Path> all = new java.util.TreeSet<>();
		for (TargetSpec t : targets.values())
			for (DescriptorParser.Entry g : t.sources())
				for (Path p : Glob.expand(tree, g.value()))
					if (p.getFileName().toString().endsWith(".asm"))
						all.add(tree.resolve(p));
		return List.copyOf(all);
	}

	/** @return every include directory that any section names (absolute), for the assembler's %include. */
	public List<Path> includeDirs() {
		Set<Path> dirs = new LinkedHashSet<>();
		List<Flags> all = new ArrayList<>(profiles.values());
		all.add(0, common);
		for (TargetSpec t : targets.values())
			all.add(t.flags());
		for (Flags f : all)
			for (String inc : f.includes())
				dirs.add(tree.resolve(inc).normalize());
		return List.copyOf(dirs);
	}

	/**
	 * Resolves one profile of one target: flags in the order flags, profile,
	 * inherited targets, target; sources expanded from their globs.
	 *
	 * @param overrides toolchain entries that replace the descriptor's (from the CLI or the IDE)
	 * @throws BuildException for an unknown profile/target/tool, a missing linker script or a bad source
	 */
	BuildConfig config(String profile, String target, Map<String, String> overrides) throws BuildException {
		String p = checkProfile(profile);
		String t = checkTarget(target);
		Map<String, String> tl = new LinkedHashMap<>(tools);
		for (Map.Entry<String, String> o : overrides.entrySet()) {
			if (!tl.containsKey(o.getKey()))
				throw new BuildException("unknown tool '" + o.getKey() + "'; the toolchain has: " + String.join(", ", tl.keySet()));
			tl.put(o.getKey(), o.getValue());
		}
		Flags f = common.plus(profiles.get(p));
		List<Problem> warnings = new ArrayList<>();
		Set<Path> sources = new LinkedHashSet<>();
		String script = null;
		int scriptLine = 0;
		for (TargetSpec s : chain(t)) {
			f = f.plus(s.flags());
			if (s.linkerScript() != null) {
				script = s.linkerScript();
				scriptLine = s.linkerScriptLine();
			}
			for (DescriptorParser.Entry g : s.sources()) {
				List<Path> found = Glob.expand(tree, g.value());
				if (found.isEmpty())
					warnings.add(new Problem("toro.build", tree.resolve(FILE), g.line(), 0, Severity.WARNING,
							"sources glob '" + g.value() + "' of target " + s.name() + " matches no file"));
				for (Path src : found) {
					String n = src.getFileName().toString();
					if (!n.endsWith(".c") && !n.endsWith(".asm"))
						throw DescriptorParser.error(g.line(), "sources glob '" + g.value() + "' matches " + src
								+ ", which is neither .c nor .asm", "narrow the glob, e.g. " + g.value().replaceAll("\\*[^/]*$", "*.c"));
					sources.add(src);
				}
			}
		}
		TargetSpec spec = targets.get(t);
		if (sources.isEmpty())
			throw DescriptorParser.error(spec.line(), "target " + t + " has no source files",
					"add sources = GLOB... (e.g. kernel/*.c arch/x86_64/*.asm) or fix its globs");
		if (script == null)
			throw DescriptorParser.error(spec.line(), "target " + t + " has no linker-script",
					"add linker-script = PATH (relative to the tree) or inherit from a target that has one");
		Path ls = Path.of(script).normalize();
		if (!Files.isRegularFile(tree.resolve(ls)))
			throw DescriptorParser.error(scriptLine, "linker-script '" + script + "' does not exist in " + tree,
					"write the path of the script relative to the directory of " + FILE);
		Path buildDir = buildDir(p);
		List<String> cflags = new ArrayList<>(f.cflags());
		List<String> asflags = new ArrayList<>(f.asflags());
		for (String inc : f.includes()) {
			cflags.add("-I" + inc);
			asflags.add("-I" + (inc.endsWith("/") ? inc : inc + "/"));
		}
		for (String def : f.defines()) {
			cflags.add("-D" + def);
			asflags.add("-D" + def);
		}
		return new BuildConfig(tree, p, t, Map.copyOf(tl), List.copyOf(cflags), List.copyOf(asflags),
				f.ldflags(), List.copyOf(sources), ls, buildDir.resolve(spec.output()), buildDir,
				buildDir.resolve("obj").resolve(t), List.copyOf(warnings));
	}
}
