/**
 * The GDB/MI client: gdb as a child process, debugging the Toro kernel through QEMU's stub.
 *
 * <pre>
 * gdb stdout ─► Transport (reader thread: one line → MiParser → one record; bad lines reported, skipped)
 *                  │
 *                  ├─► CommandQueue   result records complete the command of the same token
 *                  ├─► RunTracker     ^running / *running / *stopped / target loss / gdb exit
 *                  └─► EventDispatcher (ONE thread) ─► GdbListener: stopped, running, exited, output, ...
 * GdbSession: typed operations, each one token-correlated MI command with a timeout
 * </pre>
 *
 * The reader never waits on a listener, and a listener may call the session's
 * synchronous methods. The run state never depends on the {@code (gdb)} prompt.
 * The parser lives in {@link toro.studio.gdbmi.mi}.
 */
package toro.studio.gdbmi;
