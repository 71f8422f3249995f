package toro.studio.core;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;

import toro.studio.build.Problem;
import toro.studio.build.Severity;

/**
 * The problem markers of a Toro kernel project: one per diagnostic of gcc,
 * nasm, ld or the ABI checker, on the file and line it names, so it shows in
 * the Problems view and in the editor's ruler.
 */
public final class BuildMarkers {
	/** The marker type (a problem marker and a text marker). */
	public static final String TYPE = "toro.studio.core.problem";
	/** The marker attribute naming the tool that reported the problem. */
	public static final String TOOL = "tool";

	private static final Pattern DESCRIPTOR_ERROR = Pattern.compile("^" + Pattern.quote(KernelProjects.DESCRIPTOR) + ":(\\d+):\\s*(.*)$",
			Pattern.DOTALL);

	private BuildMarkers() {
	}

	/** Deletes every Toro problem marker of {@code project}. */
	public static void clear(IProject project) throws CoreException {
		project.deleteMarkers(TYPE, true, IResource.DEPTH_INFINITE);
	}

	/**
	 * Adds a marker for each problem. A problem whose file lies outside the
	 * project goes on the project itself, with the path in its message.
	 */
	public static void add(IProject project, List<Problem> problems) throws CoreException {
		for (Problem p : problems) {
			IResource on = resourceOf(project, p.file());
			String message = p.message();
			if (on == project && p.file() != null)
				message = p.file() + (p.line() > 0 ? ":" + p.line() : "") + ": " + message;
			create(on, p.tool(), p.line(), severity(p.severity()), message);
		}
	}

	/**
	 * Adds a marker for a build that could not start, e.g. a mistake in
	 * toro.build whose message reads {@code toro.build:LINE: ...}.
	 */
	public static void addFailure(IProject project, String message) throws CoreException {
		Matcher m = DESCRIPTOR_ERROR.matcher(message == null ? "" : message);
		if (m.matches())
			create(project.getFile(KernelProjects.DESCRIPTOR), "toro.build", Integer.parseInt(m.group(1)), IMarker.SEVERITY_ERROR, m.group(2));
		else
			create(project, "build", 0, IMarker.SEVERITY_ERROR, message);
	}

	private static void create(IResource on, String tool, int line, int severity, String message) throws CoreException {
		IMarker marker = on.createMarker(TYPE);
		marker.setAttribute(IMarker.MESSAGE, (tool == null ? "" : tool + ": ") + message);
		marker.setAttribute(IMarker.SEVERITY, severity);
		marker.setAttribute(TOOL, tool);
		if (line > 0)
			marker.setAttribute(IMarker.LINE_NUMBER, line);
	}

	/** The workspace file for {@code file} (absolute, or relative to the project's root), or the project. */
	private static IResource resourceOf(IProject project, Path file) {
		if (file == null || project.getLocation() == null)
			return project;
		Path root = project.getLocation().toPath();
		Path abs = file.isAbsolute() ? file.normalize() : root.resolve(file).normalize();
		if (!abs.startsWith(root))
			return project;
		IResource r = project.findMember(IPath.fromPath(root.relativize(abs)));
		return r != null && r.getType() == IResource.FILE ? r : project;
	}

	private static int severity(Severity s) {
		return switch (s) {
		case ERROR -> IMarker.SEVERITY_ERROR;
		case WARNING -> IMarker.SEVERITY_WARNING;
		case NOTE -> IMarker.SEVERITY_INFO;
		};
	}
}
