package toro.studio.core;

import java.util.Map;

import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
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
 * The builder asks the engine every time, even when Eclipse's change list is
 * empty: a source edited outside Eclipse (another editor, git) is not in that
 * list, and skipping the engine then launched a stale image. The engine is
 * itself incremental; its no-op (read the descriptor, stat every input) takes
 * about 1.5 ms.
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

	@Override
	protected IProject[] build(int kind, Map<String, String> args, IProgressMonitor monitor) throws CoreException {
		IProject project = getProject();
		String target = args == null ? null : args.get(TARGET);
		String profile = args != null && args.get(PROFILE) != null ? args.get(PROFILE) : ProjectSettings.profile(project);
		Map<String, String> tools = ToolPaths.buildOverrides();
		run(project, new BuildRequest(project.getLocation().toPath(), profile, target, 0, false, false, tools), monitor);
		return null;
	}

	@Override
	protected void clean(IProgressMonitor monitor) throws CoreException {
		IProject project = getProject();
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

	private static void refreshOutputs(IProject project, IProgressMonitor monitor) throws CoreException {
		IFolder out = project.getFolder(OUTPUT_FOLDER);
		out.refreshLocal(IResource.DEPTH_INFINITE, monitor);
		if (out.exists() && !out.isDerived())
			out.setDerived(true, null);
	}
}
