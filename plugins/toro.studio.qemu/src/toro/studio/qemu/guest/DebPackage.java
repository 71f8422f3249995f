package toro.studio.qemu.guest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Debian package obtained without installing it: {@code apt-get download} (any user may run it
 * once the apt lists exist) into a scratch directory, then {@code dpkg-deb -x} into a tree of its own.
 * The tree is a cache: once a package's tree is complete it is used as it is, without asking apt.
 *
 * @param name    the package whose files are in {@code root} (for a metapackage, the package it depends on)
 * @param version its Debian version, e.g. "1:1.35.0-4+deb12u1+b1"
 * @param root    the extracted tree (root/boot, root/lib, root/bin ...)
 */
record DebPackage(String name, String version, Path root) {
	/** Names the package a complete tree holds; written last, so a tree without it is a broken download. */
	private static final String STAMP = "PACKAGE";
	/** The longest a download or an extraction may take. */
	private static final long TIMEOUT_SECONDS = 600;

	/**
	 * @param requested   the package asked for, e.g. "busybox-static"
	 * @param metapackage whether {@code requested} is a metapackage (such as linux-image-cloud-amd64):
	 *                    then the first package of its Depends, the one with the files, is extracted
	 * @param cache       the directory holding one tree per requested package, named after it
	 * @return the package's tree, from the cache when it is complete there
	 * @throws LinuxGuestException saying what is missing (apt-get, the apt lists, the mirrors) and how to fix it
	 */
	static DebPackage fetch(String requested, boolean metapackage, Path cache) throws LinuxGuestException {
		Path tree = cache.resolve(requested);
		try {
			if (Files.isRegularFile(tree.resolve(STAMP)))
				return stamped(tree);
			Files.createDirectories(cache);
			Path scratch = Files.createTempDirectory(cache, "download-");
			try {
				Path deb = download(requested, scratch);
				if (metapackage)
					deb = download(firstDependency(deb), scratch);
				Path extracted = scratch.resolve("tree");
				run(List.of("dpkg-deb", "-x", deb.toString(), extracted.toString()), "extract " + deb.getFileName());
				Files.writeString(extracted.resolve(STAMP),
						field(deb, "Package") + " " + field(deb, "Version") + "\n", StandardCharsets.UTF_8);
				if (Files.isRegularFile(tree.resolve(STAMP)))
					return stamped(tree); // another prepare() finished the same package meanwhile
				delete(tree); // a tree without its stamp is what a damaged copy leaves
				try {
					Files.move(extracted, tree, StandardCopyOption.ATOMIC_MOVE);
				} catch (IOException e) {
					// another prepare() may have finished the same package first; its tree is as good
					if (!Files.isRegularFile(tree.resolve(STAMP)))
						throw e;
				}
				return stamped(tree);
			} finally {
				delete(scratch);
			}
		} catch (IOException e) {
			throw new LinuxGuestException("cannot write the package cache " + cache + ": " + e.getMessage(), e);
		}
	}

	private static DebPackage stamped(Path tree) throws IOException {
		String[] s = Files.readString(tree.resolve(STAMP), StandardCharsets.UTF_8).trim().split(" ");
		return new DebPackage(s[0], s[1], tree);
	}

	/** @return the .deb that {@code apt-get download name} put into {@code dir} */
	private static Path download(String name, Path dir) throws LinuxGuestException, IOException {
		Result r = exec(List.of("apt-get", "download", name), dir);
		if (r == null)
			throw new LinuxGuestException("apt-get is not on PATH: the Linux guest is built from Debian's " + name
					+ " package; run it on Debian 12 (or a Debian-based system) where apt-get exists", true);
		if (r.status != 0) {
			if (r.output.contains("Unable to locate package") || r.output.contains("has no installation candidate"))
				throw new LinuxGuestException("apt does not know the package " + name + " (its package lists are missing or stale): run"
						+ " `apt-get update` as root and try again", true);
			throw new LinuxGuestException("cannot download " + name + " from the Debian mirrors (`apt-get download " + name + "` said: "
					+ lastError(r.output) + "); check the network and /etc/apt/sources.list, run `apt-get update` as root and try again", true);
		}
		try (DirectoryStream<Path> debs = Files.newDirectoryStream(dir, name + "_*.deb")) {
			for (Path deb : debs)
				return deb;
		}
		throw new LinuxGuestException("`apt-get download " + name + "` succeeded but left no " + name + "_*.deb in " + dir, true);
	}

	/** @return the name of the first package in the Depends field of {@code deb}, without its version */
	private static String firstDependency(Path deb) throws LinuxGuestException, IOException {
		String depends = field(deb, "Depends");
		String first = depends.split(",")[0].split("\\|")[0].trim().split("[ (]")[0];
		if (first.isEmpty())
			throw new LinuxGuestException(deb.getFileName() + " depends on nothing, so it holds no kernel: its Depends is '" + depends + "'", false);
		return first;
	}

	/** @return the control field {@code name} of {@code deb} ({@code dpkg-deb -f}) */
	private static String field(Path deb, String name) throws LinuxGuestException, IOException {
		return run(List.of("dpkg-deb", "-f", deb.toString(), name), "read " + name + " of " + deb.getFileName()).trim();
	}

	private static String run(List<String> argv, String what) throws LinuxGuestException, IOException {
		Result r = exec(argv, null);
		if (r == null)
			throw new LinuxGuestException(argv.get(0) + " is not on PATH; it comes with dpkg: apt-get install dpkg", true);
		if (r.status != 0)
			throw new LinuxGuestException("cannot " + what + ": " + String.join(" ", argv) + " said " + lastError(r.output), false);
		return r.output;
	}

	private record Result(int status, String output) {
	}

	/** @return the exit status and the merged output of {@code argv}, or null when its program does not exist */
	private static Result exec(List<String> argv, Path dir) throws LinuxGuestException, IOException {
		Process p;
		try {
			p = new ProcessBuilder(argv).directory(dir == null ? null : dir.toFile()).redirectErrorStream(true).start();
		} catch (IOException e) {
			return null;
		}
		try {
			p.getOutputStream().close();
			String out;
			try (InputStream in = p.getInputStream()) {
				out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
				throw new LinuxGuestException(String.join(" ", argv) + " did not finish in " + TIMEOUT_SECONDS + " s", true);
			return new Result(p.exitValue(), out);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new LinuxGuestException("interrupted while running " + String.join(" ", argv), true);
		} finally {
			p.destroyForcibly();
		}
	}

	/** @return the last "E:" line of apt's output, else its last line */
	private static String lastError(String output) {
		List<String> lines = new ArrayList<>(output.lines().map(String::trim).filter(l -> !l.isEmpty()).toList());
		for (int i = lines.size() - 1; i >= 0; i--)
			if (lines.get(i).startsWith("E:"))
				return lines.get(i);
		return lines.isEmpty() ? "nothing" : lines.get(lines.size() - 1);
	}

	private static void delete(Path dir) throws IOException {
		if (!Files.exists(dir))
			return;
		try (Stream<Path> all = Files.walk(dir)) {
			for (Path p : all.sorted(Comparator.reverseOrder()).toList())
				Files.delete(p);
		}
	}
}
