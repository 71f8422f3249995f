package toro.studio.debug.model;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IMemoryBlock;

/**
 * A range of guest memory shown in the Memory view. Bytes are read through gdb while the target is
 * suspended; while it runs the view keeps the bytes of the last stop (the stub cannot read a running guest).
 */
public final class GdbMemoryBlock extends ToroDebugElement implements IMemoryBlock {

    /** The largest block the Memory view may ask for in one piece (1 MiB). */
    static final long MAX_LENGTH = 1 << 20;

    private final long start;
    private final int length;
    private byte[] bytes;

    /** Creates the block [start, start+length) of target. */
    GdbMemoryBlock(ToroDebugTarget target, long start, int length) {
        super(target);
        this.start = start;
        this.length = length;
    }

    @Override
    public long getStartAddress() {
        return start;
    }

    @Override
    public long getLength() {
        return length;
    }

    /** Reads the block through gdb when suspended; otherwise returns the bytes of the last stop. */
    @Override
    public synchronized byte[] getBytes() throws DebugException {
        if (isSuspended() || bytes == null) {
            if (!isSuspended()) {
                requestFailed("Memory can only be read while the target is suspended", null);
            }
            bytes = read("memory at 0x" + Long.toHexString(start), () -> gdb().readMemory(start, length));
        }
        return bytes;
    }

    private boolean isSuspended() {
        return getDebugTarget().isSuspended();
    }

    @Override
    public boolean supportsValueModification() {
        return true;
    }

    /** Writes bytes at offset into guest memory through gdb (target suspended only). */
    @Override
    public synchronized void setValue(long offset, byte[] value) throws DebugException {
        if (!isSuspended()) {
            requestFailed("Memory can only be written while the target is suspended", null);
        }
        read("a write at 0x" + Long.toHexString(start + offset), () -> {
            gdb().writeMemory(start + offset, value);
            return null;
        });
        bytes = null;
        fireChangeEvent(DebugEvent.CONTENT);
    }
}
