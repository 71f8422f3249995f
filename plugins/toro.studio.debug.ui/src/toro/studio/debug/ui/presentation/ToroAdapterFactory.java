package toro.studio.debug.ui.presentation;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IModelSelectionPolicyFactory;
import org.eclipse.debug.ui.sourcelookup.ISourceDisplay;

import toro.studio.debug.model.GdbStackFrame;
import toro.studio.debug.model.ToroDebugElement;
import toro.studio.debug.model.ToroDebugTarget;

/** Attaches the presentation's adapters to the Toro debug model (declared in plugin.xml). */
public final class ToroAdapterFactory implements IAdapterFactory {

    private static final ISourceDisplay SOURCE_DISPLAY = new ToroSourceDisplay();
    private static final IModelSelectionPolicyFactory SELECTION_POLICY = (element, context) ->
            element instanceof ToroDebugElement e && e.getDebugTarget() instanceof ToroDebugTarget t
                    ? new AllStopSelectionPolicy(t)
                    : null;

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> type) {
        if (adaptable instanceof GdbStackFrame && type == ISourceDisplay.class) {
            return type.cast(SOURCE_DISPLAY);
        }
        if (adaptable instanceof ToroDebugElement && type == IModelSelectionPolicyFactory.class) {
            return type.cast(SELECTION_POLICY);
        }
        return null;
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] { ISourceDisplay.class, IModelSelectionPolicyFactory.class };
    }
}
