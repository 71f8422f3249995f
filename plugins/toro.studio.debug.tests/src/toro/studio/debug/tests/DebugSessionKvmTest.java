package toro.studio.debug.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import toro.studio.qemu.Accel;

/**
 * The whole of {@link DebugSessionTest} again under KVM, where /dev/kvm is usable (skipped with the
 * reason elsewhere). Under KVM the model puts every breakpoint into the debug registers, since some
 * hosts' KVM cannot run gdb's int3; the walk through the session must not notice.
 */
class DebugSessionKvmTest extends DebugSessionTest {

    @Override
    String accel() {
        return "KVM";
    }

    @Override
    @BeforeAll
    void setUp() throws Exception {
        assumeTrue(Accel.detect() == Accel.KVM, Accel.kvmStatus());
        super.setUp();
    }

    /**
     * Skipped under KVM, with the reason: on this project's nested KVM host (QEMU 7.2), a debug-register
     * breakpoint that QEMU places in DR0 after the vCPUs have run is not intercepted; its #DB reaches the
     * guest, whose handler panics. Reproduced with gdb alone over MI (temporary hbreak kmain, continue,
     * interrupt, hbreak telemetry.c:191, continue: "CPU exception 1 (debug)"); with a lower-addressed
     * breakpoint kept in DR0 the same breakpoint, now in DR1, is hit. Left open in issue 11's note.
     */
    @Override
    @Test
    @Order(8)
    void hardwareBreakpointSetWhileRunningIsHit() {
        assumeTrue(false, "a breakpoint in DR0 set after the vCPUs ran is delivered to the guest on this nested KVM host; see the javadoc");
    }
}
