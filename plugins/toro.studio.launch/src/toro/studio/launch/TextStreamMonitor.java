package toro.studio.launch;

import org.eclipse.core.runtime.ListenerList;
import org.eclipse.debug.core.IStreamListener;
import org.eclipse.debug.core.model.IFlushableStreamMonitor;

/**
 * One text stream of a QEMU process (the guest's COM1 console, or the runner's
 * own messages) as the Console view consumes it: listeners get each piece of
 * text; until the console has connected, text is also buffered.
 */
final class TextStreamMonitor implements IFlushableStreamMonitor {
	private final ListenerList<IStreamListener> listeners = new ListenerList<>();
	private final StringBuilder contents = new StringBuilder();
	private boolean buffered = true;

	/** Appends {@code text} and hands it to the listeners. */
	synchronized void append(String text) {
		if (buffered)
			contents.append(text);
		for (IStreamListener l : listeners)
			l.streamAppended(text, this);
	}

	@Override
	public synchronized void addListener(IStreamListener listener) {
		listeners.add(listener);
	}

	@Override
	public synchronized void removeListener(IStreamListener listener) {
		listeners.remove(listener);
	}

	@Override
	public synchronized String getContents() {
		return contents.toString();
	}

	@Override
	public synchronized void flushContents() {
		contents.setLength(0);
	}

	@Override
	public synchronized void setBuffered(boolean buffer) {
		buffered = buffer;
	}

	@Override
	public synchronized boolean isBuffered() {
		return buffered;
	}
}
