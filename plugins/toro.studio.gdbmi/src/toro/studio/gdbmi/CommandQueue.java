package toro.studio.gdbmi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import toro.studio.gdbmi.mi.ResultRecord;

/**
 * Correlates commands with their result records by token. Each command gets
 * a fresh token and a future that completes with its {@code ^done}/{@code ^running}/
 * {@code ^connected}/{@code ^exit}, fails with {@link MiError} on {@code ^error},
 * with {@link GdbException} on timeout, or when gdb dies ({@link #failAll}).
 */
final class CommandQueue {
	/** A command waiting for its result; {@code console} collects stream text while it waits. */
	private record Pending(String command, CompletableFuture<ResultRecord> future, StringBuilder console) {
	}

	private final AtomicLong nextToken = new AtomicLong(1);
	private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
	private volatile String deadReason;

	/** @return how many commands were given a token so far (every one sent, or refused because gdb died). */
	long sent() {
		return nextToken.get() - 1;
	}

	/**
	 * Sends {@code command} through {@code transport} with a new token.
	 *
	 * @param console when non-null, receives the stream text gdb prints until the result
	 * @return the future result; already failed if gdb is dead
	 */
	CompletableFuture<ResultRecord> send(Transport transport, String command, Duration timeout, StringBuilder console) {
		CompletableFuture<ResultRecord> f = new CompletableFuture<>();
		String dead = deadReason;
		if (dead != null) {
			f.completeExceptionally(new GdbException("cannot run " + command + ": " + dead));
			return f;
		}
		long token = nextToken.getAndIncrement();
		pending.put(token, new Pending(command, f, console));
		f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> pending.remove(token));
		try {
			transport.send(token + command);
		} catch (GdbException e) {
			f.completeExceptionally(e);
		}
		return f;
	}

	/** Completes the command whose token {@code r} carries; returns false if none waits for it. */
	boolean complete(ResultRecord r) {
		Pending p = pending.remove(r.token());
		if (p == null)
			return false;
		if (r.isError()) {
			String msg = r.results().string("msg");
			p.future().completeExceptionally(new MiError(p.command(), msg == null ? "gdb reported an error" : msg));
		} else {
			p.future().complete(r);
		}
		return true;
	}

	/** Appends console stream text to every waiting command that asked for it. */
	void capture(String text) {
		for (Pending p : pending.values())
			if (p.console() != null)
				synchronized (p.console()) {
					p.console().append(text);
				}
	}

	/** Fails every waiting command, and every later one, with {@code why}. */
	void failAll(String why) {
		deadReason = why;
		List<Pending> all = new ArrayList<>(pending.values());
		pending.clear();
		for (Pending p : all)
			p.future().completeExceptionally(new GdbException(p.command() + " failed: " + why));
	}
}
