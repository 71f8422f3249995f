package toro.studio.build.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which edges must run, and why, from the graph, the build log and
 * the files' mtimes: stat calls and map look-ups only, so that an up-to-date
 * tree is recognized without starting a process. An edge runs when
 * <ul>
 * <li>the log has no record of its output (never built, or the log was lost),
 * <li>its output is missing, or was changed since the build wrote it,
 * <li>its command line changed (a flag, a source added or removed),
 * <li>an input is written by an edge that runs too, or
 * <li>an input or header changed, appeared or disappeared since the command ran.
 * </ul>
 */
public final class Explain {
	private Explain() {
	}

	/** @return the edges that must run, in graph order, each with the reason it runs. */
	public static Map<Edge, String> dirty(Graph g, BuildLog log) {
		Map<Edge, String> dirty = new LinkedHashMap<>();
		for (Edge e : g.edges()) {
			String why = reason(e, log, dirty, g);
			if (why != null)
				dirty.put(e, why);
		}
		return dirty;
	}

	private static String reason(Edge e, BuildLog log, Map<Edge, String> dirty, Graph g) {
		Node out = e.output();
		BuildLog.Record r = log.get(out.name());
		if (r == null)
			return out + ": no record in the build log (never built here)";
		long m = out.mtime();
		if (m == Node.MISSING)
			return out + " is missing";
		if (m != r.outputMtime())
			return out + " was changed outside the build";
		if (r.hash() != e.hash())
			return out + ": the command line changed";
		for (Node in : e.inputs())
			if (in.producer() != null && dirty.containsKey(in.producer()))
				return out + ": input " + in + " is rebuilt";
		for (int i = 0; i < r.deps().size(); i++) {
			Node dep = g.node(r.deps().get(i));
			long now = dep.mtime();
			long then = r.depMtimes()[i];
			if (now != then)
				return out + ": " + dep + (now == Node.MISSING ? " was removed" : then == Node.MISSING ? " appeared" : " changed");
		}
		return null;
	}
}
