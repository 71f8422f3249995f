package toro.studio.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import toro.studio.build.graph.Edge;
import toro.studio.build.graph.Graph;
import toro.studio.build.graph.Node;

/**
 * Turns a resolved {@link BuildConfig} into the build graph: one compile edge
 * per source (gcc for .c, nasm for .asm, each writing an object and a
 * dependency file under {@code obj/<target>/}), and one link edge for the
 * image. Every command writes a temporary file that the engine renames.
 */
final class Plan {
	private Plan() {
	}

	/** Suffix of the temporary file a command writes before the engine renames it. */
	static final String TMP = ".tmp";

	static Graph of(BuildConfig c) {
		Graph g = new Graph(c.tree());
		List<Node> objects = new ArrayList<>();
		for (Path src : c.sources()) {
			Node in = g.node(src);
			Path obj = c.objDir().resolve(src + ".o");
			Node out = g.node(obj);
			Path tmp = tmp(obj);
			Path dep = c.objDir().resolve(src + ".d");
			Path tmpDep = tmp(dep);
			boolean asm = src.getFileName().toString().endsWith(".asm");
			List<String> argv = new ArrayList<>();
			if (asm) {
				argv.add(c.tool("nasm"));
				argv.addAll(c.asflags());
				argv.addAll(List.of("-MD", rel(c, tmpDep), "-MT", out.name(), "-o", rel(c, tmp), in.name()));
			} else {
				argv.add(c.tool("cc"));
				argv.addAll(c.cflags());
				argv.addAll(List.of("-MD", "-MF", rel(c, tmpDep), "-MT", out.name(), "-c", in.name(), "-o", rel(c, tmp)));
			}
			g.add(new Edge(asm ? "nasm" : "cc", (asm ? "AS " : "CC ") + in.name(), argv, List.of(in), out, tmp, dep,
					tmpDep, in));
			objects.add(out);
		}
		Node script = g.node(c.linkerScript());
		Node image = g.node(c.image());
		Path tmpImage = tmp(c.image());
		List<String> argv = new ArrayList<>();
		argv.add(c.tool("ld"));
		argv.addAll(c.ldflags());
		argv.addAll(List.of("-T", script.name(), "-o", rel(c, tmpImage)));
		List<Node> inputs = new ArrayList<>();
		for (Node o : objects) {
			argv.add(o.name());
			inputs.add(o);
		}
		inputs.add(script);
		g.add(new Edge("ld", "LD " + image.name(), argv, inputs, image, tmpImage, null, null, null));
		return g;
	}

	private static Path tmp(Path p) {
		return p.resolveSibling(p.getFileName() + TMP);
	}

	/** @return how a command spells {@code p}: relative to the tree when inside it. */
	private static String rel(BuildConfig c, Path p) {
		return p.startsWith(c.tree()) ? c.tree().relativize(p).toString() : p.toString();
	}
}
