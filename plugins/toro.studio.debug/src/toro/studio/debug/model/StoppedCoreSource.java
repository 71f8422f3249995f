package toro.studio.debug.model;

import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.debug.core.ILaunch;

import toro.studio.launch.CoreModelSource;
import toro.studio.launch.CoreModelSources;
import toro.studio.launch.IdleHistory;
import toro.studio.launch.QemuLaunch;
import toro.studio.telemetry.CoreModel;

/**
 * What the Cores and Idle views read for a debug launch: while the target is suspended, a core model fed
 * from the kernel's statistics read through gdb at each stop (rates from one stop to the next); while it
 * runs, the launch's live telemetry ({@link QemuLaunch}). The idle history is always the telemetry's.
 */
final class StoppedCoreSource implements CoreModelSource {

    private final QemuLaunch live;
    private final CoreModel model = new CoreModel();
    private final AtomicLong version = new AtomicLong();
    private long stops;

    StoppedCoreSource(QemuLaunch live) {
        this.live = live;
    }

    /** Feeds the snapshot of a stop into the model and makes this the launch's source for the views. */
    void stopped(KernelSnapshot snapshot) {
        if (snapshot.error() == null) {
            model.accept(snapshot.toSample(++stops));
        }
        version.incrementAndGet();
        CoreModelSources.put(this);
    }

    /** Gives the views back the live telemetry of the running kernel. */
    void resumed() {
        CoreModelSources.put(live);
    }

    @Override
    public ILaunch launch() {
        return live.launch();
    }

    @Override
    public CoreModel coreModel() {
        return model;
    }

    @Override
    public IdleHistory history() {
        return live.history();
    }

    @Override
    public long version() {
        return version.get() + live.version();
    }
}
