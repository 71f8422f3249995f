package toro.studio.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.debug.core.model.IStreamMonitor;
import org.eclipse.debug.core.model.IStreamsProxy2;

/**
 * The streams of a QEMU process as the Console view sees them: output is the
 * guest's COM1 console, error is the runner's messages (exit status, crash
 * report, QEMU's log), and input typed in the console goes to COM1.
 */
final class QemuStreams implements IStreamsProxy2 {
	private final TextStreamMonitor out = new TextStreamMonitor();
	private final TextStreamMonitor err = new TextStreamMonitor();
	private final OutputStream input;

	QemuStreams(OutputStream input) {
		this.input = input;
	}

	/** The guest console's monitor, which the session's reader feeds. */
	TextStreamMonitor console() {
		return out;
	}

	/** The monitor of the runner's own messages. */
	TextStreamMonitor messages() {
		return err;
	}

	@Override
	public IStreamMonitor getOutputStreamMonitor() {
		return out;
	}

	@Override
	public IStreamMonitor getErrorStreamMonitor() {
		return err;
	}

	/** Sends what the user typed to the guest's COM1. */
	@Override
	public void write(String text) throws IOException {
		input.write(text.getBytes(StandardCharsets.UTF_8));
		input.flush();
	}

	@Override
	public void closeInputStream() throws IOException {
		input.close();
	}
}
