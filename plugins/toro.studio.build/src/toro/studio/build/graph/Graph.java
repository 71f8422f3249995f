package toro.studio.build.graph;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes (files) and edges (commands) of one build, in the order they were
 * added; an edge is added after the edges that produce its inputs, so that
 * order is a topological order.
 */
public final class Graph {
	private final Path root;
	private final Map<String, Node> nodes = new HashMap<>();
	private final List<Edge> edges = new ArrayList<>();

	/** @param root the tree: node names are relative to it */
	public Graph(Path root) {
		this.root = root;
	}

	public Path root() {
		return root;
	}

	/** @return the node for {@code name} (relative to the root, or absolute), created on first use. */
	public Node node(String name) {
		return nodes.computeIfAbsent(name, n -> new Node(n, root.resolve(n).normalize()));
	}

	/** @return the node for a path, named relative to the root when inside it. */
	public Node node(Path p) {
		Path abs = root.resolve(p).normalize();
		return node(abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString());
	}

	/** Adds an edge; its inputs' producers must have been added before. */
	public Edge add(Edge e) {
		if (e.output().producer() != null)
			throw new IllegalArgumentException("two commands write " + e.output());
		e.output().setProducer(e);
		edges.add(e);
		return e;
	}

	/** @return every edge in topological order. */
	public List<Edge> edges() {
		return edges;
	}
}
