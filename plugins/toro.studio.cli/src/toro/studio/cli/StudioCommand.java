package toro.studio.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code toro studio}: builds the Toro Studio product if it is missing, then
 * starts it on a workspace, with the checkout's kernel-src/ adopted as a
 * project on first start.
 */
final class StudioCommand implements Command {
	/** Where the reactor materializes the product for linux-gtk-x86_64. */
	static final String PRODUCT_DIR = "releng/toro.studio.repository/target/products/toro.studio/linux/gtk/x86_64/toro-studio";

	@Override
	public String name() {
		return "studio";
	}

	@Override
	public String summary() {
		return "start the Toro Studio IDE (builds it on first use)";
	}

	@Override
	public String usage() {
		return """
				usage: toro studio [--workspace DIR] [--rebuild]

				Starts Toro Studio on the current DISPLAY, with kernel-src/ as a project
				of the workspace. Builds the product first if it has not been built
				(./mvnw package, a few minutes the first time).

				  --workspace DIR   the Eclipse workspace (default: ~/toro-workspace)
				  --rebuild         rebuild the product even if it exists

				With no DISPLAY, run it under a virtual one: xvfb-run -a toro studio
				""";
	}

	@Override
	public int run(List<String> args, Terminal term) throws Exception {
		Options o = Options.parse(args, "--workspace=", "--rebuild");
		String display = System.getenv("DISPLAY");
		if (display == null || display.isBlank())
			throw new IllegalStateException("no DISPLAY: Toro Studio needs an X display. On a machine without one, run it under Xvfb: xvfb-run -a ./toro studio");
		Path home = ToroHome.home();
		Path product = home.resolve(PRODUCT_DIR);
		if (o.flag("--rebuild") || !Files.isDirectory(product.resolve("plugins"))) {
			term.progress("building Toro Studio (./mvnw package); this takes a few minutes the first time");
			int status = buildProduct(home, term);
			if (status != 0)
				throw new IllegalStateException("the product build failed (./mvnw exit " + status + "); fix the error above and run 'toro studio' again");
		}
		Path launcher = launcherJar(product);
		Path workspace = Path.of(o.get("--workspace", System.getProperty("user.home") + "/toro-workspace")).toAbsolutePath();
		Files.createDirectories(workspace);
		List<String> argv = List.of(
				javaExecutable(),
				"-Dosgi.requiredJavaVersion=17", "-Xmx2g",
				"-Dtoro.kernelSrc=" + home.resolve("kernel-src"),
				"-Dtoro.home=" + home,
				"-jar", launcher.toString(),
				"-data", workspace.toString());
		term.progress("starting Toro Studio on workspace " + workspace);
		Process p = new ProcessBuilder(argv).inheritIO().start();
		return p.waitFor();
	}

	/** Runs the Maven wrapper to build the product, echoing its module progress. */
	private static int buildProduct(Path home, Terminal term) throws IOException, InterruptedException {
		List<String> argv = List.of(home.resolve("mvnw").toString(), "-B", "package", "-DskipTests");
		Process p = new ProcessBuilder(argv).directory(home.toFile()).redirectErrorStream(true).start();
		p.getOutputStream().close();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line; (line = r.readLine()) != null;) {
				if (line.startsWith("[INFO] Building ") || line.startsWith("[ERROR]") || line.contains("BUILD "))
					term.err.println(line);
			}
		}
		return p.waitFor();
	}

	/** @return the Equinox launcher jar inside the product. */
	private static Path launcherJar(Path product) throws IOException {
		try (Stream<Path> s = Files.list(product.resolve("plugins"))) {
			return s.filter(f -> f.getFileName().toString().matches("org\\.eclipse\\.equinox\\.launcher_.*\\.jar"))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("the product at " + product
							+ " has no Equinox launcher jar; rebuild it with 'toro studio --rebuild'"));
		}
	}

	/** @return the java that runs this CLI, so the IDE gets the same JDK. */
	static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}
}
