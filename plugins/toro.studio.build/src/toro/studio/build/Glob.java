package toro.studio.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands a sources glob of toro.build ({@code *} within a directory,
 * {@code **} across directories) to the matching regular files, relative to
 * the tree and sorted, so the build is the same on every machine.
 */
final class Glob {
	private Glob() {
	}

	/** @return the files under {@code tree} that {@code pattern} matches, relative to it, sorted. */
	static List<Path> expand(Path tree, String pattern) throws BuildException {
		if (!hasWildcard(pattern)) {
			Path p = Path.of(pattern).normalize();
			return Files.isRegularFile(tree.resolve(p)) ? List.of(p) : List.of();
		}
		// Walk only below the longest literal directory prefix: cheap on every no-op build.
		String[] parts = pattern.split("/");
		int fixed = 0;
		while (fixed < parts.length - 1 && !hasWildcard(parts[fixed]))
			fixed++;
		Path base = tree.resolve(String.join("/", List.of(parts).subList(0, fixed)));
		if (!Files.isDirectory(base))
			return List.of();
		PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
		// Java's "**/" needs at least one directory; toro.build's also matches none.
		PathMatcher flat = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("**/", ""));
		boolean deep = pattern.contains("**");
		List<Path> out = new ArrayList<>();
		try (Stream<Path> s = deep ? Files.walk(base) : Files.list(base)) {
			s.filter(Files::isRegularFile).map(tree::relativize).filter(p -> m.matches(p) || flat.matches(p)).forEach(out::add);
		} catch (IOException | UncheckedIOException e) {
			throw new BuildException("cannot list " + base + " for the glob '" + pattern + "': " + e.getMessage(), e);
		}
		out.sort(null);
		return out;
	}

	private static boolean hasWildcard(String s) {
		return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
	}
}
