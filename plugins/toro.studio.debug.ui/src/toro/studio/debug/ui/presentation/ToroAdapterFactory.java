package toro.studio.debug.ui.presentation;

import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.debug.ui.sourcelookup.ISourceDisplay;

import toro.studio.debug.model.GdbStackFrame;

/** Attaches the presentation's adapters to the Toro debug model (declared in plugin.xml). */
public final class ToroAdapterFactory implements IAdapterFactory {

    private static final ISourceDisplay SOURCE_DISPLAY = new ToroSourceDisplay();

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> type) {
        if (adaptable instanceof GdbStackFrame && type == ISourceDisplay.class) {
            return type.cast(SOURCE_DISPLAY);
        }
        return null;
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] { ISourceDisplay.class };
    }
}
