package toro.studio.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

import toro.studio.build.BuildException;
import toro.studio.build.BuildRequest;
import toro.studio.build.BuildResult;
import toro.studio.build.KernelBuild;

/**
 * The incremental builder of a Toro kernel project: runs the build engine
 * in-process on the project's tree with the project's profile, reports its
 * progress to the monitor, stops when the monitor is cancelled, and turns the
 * problems it finds into markers.
 *
 * Arguments (optional): {@value #TARGET} and {@value #PROFILE}; the defaults
 * are the descriptor's default target and the project's profile.
 *
 * The engine is itself incremental, but even its no-op reads the descriptor and
 * stats every file; so the builder remembers which (profile, target) pairs it
 * built (with which tool paths) since the last change of a source (a change
 * outside build/) and skips those outright: that is what makes a launch of an up-to-date project cheap.
 */
public final class ToroBuilder extends IncrementalProjectBuilder {
	/** The builder's id. */
	public static final String ID = "toro.studio.core.builder";
	/** Builder argument: the target to build. */
	public static final String TARGET = "target";
	/** Builder argument: the profile to build, overriding the project's. */
	public static final String PROFILE = "profile";
	/** The folder of build outputs, which the builder itself writes. */
	public static final String OUTPUT_FOLDER = "build";

	/** The image of each (profile, target, tools) key built since the last source change. */
	private final Map<String, Path> upToDate = new HashMap<>();

	@Override
	protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
		IProject project = getProject();
		String target = args == null ? null : args.get(TARGET);
		String profile = args != null && args.get(PROFILE) != null ? args.get(PROFILE) : ProjectSettings.profile(project);
		Map<String, String> tools = ToolPaths.buildOverrides();
		String key = profile + "/" + target + "/" + new TreeMap<>(tools);
		if (kind == FULL_BUILD || sourcesChanged(getDelta(project)))
			upToDate.clear();
		Path image = upToDate.get(key);
		if (image != null && Files.exists(image))
			return null;
		BuildResult r = run(project, new BuildRequest(project.getLocation().toPath(), profile, target, 0, false, false, tools), monitor);
		if (r != null && r.image() != null)
			upToDate.put(key, r.image());
		return null;
	}

	@Override
	protected void clean(IProgressMonitor monitor) throws CoreException {
		IProject project = getProject();
		upToDate.clear();
		BuildMarkers.clear(project);
		IFolder out = project.getFolder(OUTPUT_FOLDER);
		if (out.exists())
			out.delete(true, monitor);
	}

	/** Runs the engine, replaces the project's markers with the problems found, and refreshes build/. */
	private static BuildResult run(IProject project, BuildRequest request, IProgressMonitor monitor) throws CoreException {
		SubMonitor sub = SubMonitor.convert(monitor, "Building " + project.getName(), 101);
		ProgressListener listener = new ProgressListener(sub.split(100));
		BuildResult result;
		try {
			result = KernelBuild.build(request, listener, sub::isCanceled);
		} catch (BuildException e) {
			BuildMarkers.clear(project);
			BuildMarkers.addFailure(project, e.getMessage());
			return null;
		} finally {
			refreshOutputs(project, sub.split(1));
		}
		if (sub.isCanceled())
			throw new OperationCanceledException();
		BuildMarkers.clear(project);
		BuildMarkers.add(project, result.problems());
		if (!result.success() && result.problems().isEmpty())
			BuildMarkers.addFailure(project, "the build failed without a diagnostic; the last output was: " + listener.lastOutput());
		return result;
	}

	/** True when the delta touches anything besides the build outputs (or is unknown). */
	private static boolean sourcesChanged(IResourceDelta delta) throws CoreException {
		if (delta == null)
			return true;
		boolean[] changed = { false };
		delta.accept(d -> {
			IResource r = d.getResource();
			if (changed[0] || r.getType() == IResource.FOLDER && r.getProjectRelativePath().toString().equals(OUTPUT_FOLDER))
				return false;
			if (r.getType() == IResource.FILE)
				changed[0] = true;
			return true;
		});
		return changed[0];
	}

	private static void refreshOutputs(IProject project, IProgressMonitor monitor) throws CoreException {
		IFolder out = project.getFolder(OUTPUT_FOLDER);
		out.refreshLocal(IResource.DEPTH_INFINITE, monitor);
		if (out.exists() && !out.isDerived())
			out.setDerived(true, null);
	}
}
