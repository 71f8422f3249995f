package toro.studio.qemu.load;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk run, read from its report (wrk 4.1 with {@code --latency}).
 *
 * <p>The lines read, in the report's own words:
 * <pre>
 *   Latency Distribution
 *      50%    2.96ms                       p50Millis
 *      99%    5.90ms                       p99Millis
 *   2549 requests in 2.00s, 1.61MB read    requests, seconds
 *   Socket errors: connect 0, read 5, write 0, timeout 8    (only when there were some)
 *   Non-2xx or 3xx responses: 1990                          (only when there were some)
 * Requests/sec:   1272.73                  requestsPerSecond
 * </pre>
 * Times carry wrk's units (us, ms, s, m, h). A run that completed no request prints 0.00us
 * percentiles; they read as NaN, since no latency was measured.
 *
 * @param connections the connections wrk kept open (its {@code -c})
 * @param requests the responses wrk completed
 * @param seconds how long the run lasted, as wrk measured it
 * @param requestsPerSecond completed responses per second
 * @param p50Millis median latency, NaN without responses
 * @param p99Millis 99th percentile latency, NaN without responses
 * @param non2xx responses whose status was not 2xx or 3xx
 * @param socketErrors connect, read and write errors together
 * @param timeouts requests that got no answer within wrk's {@code --timeout}
 */
public record WrkResult(int connections, long requests, double seconds, double requestsPerSecond, double p50Millis,
		double p99Millis, long non2xx, long socketErrors, long timeouts) {

	private static final String TIME = "([0-9.]+)(us|ms|s|m|h)";
	private static final Pattern P50 = Pattern.compile("^\\s*50%\\s+" + TIME + "\\s*$", Pattern.MULTILINE);
	private static final Pattern P99 = Pattern.compile("^\\s*99%\\s+" + TIME + "\\s*$", Pattern.MULTILINE);
	private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in " + TIME + ",", Pattern.MULTILINE);
	private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)\\s*$", Pattern.MULTILINE);
	private static final Pattern SOCKET = Pattern
			.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
	private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	/** Every response that was not a success: non-2xx/3xx, socket errors and timeouts. */
	public long errors() {
		return non2xx + socketErrors + timeouts;
	}

	/**
	 * Reads the report wrk printed for a run with {@code connections} connections.
	 *
	 * @throws WrkException when the report lacks the request count, the rate or the latency
	 *         distribution (it was not run with --latency, or it is not wrk's report); the message
	 *         quotes the report's first line
	 */
	public static WrkResult parse(int connections, String report) throws WrkException {
		Matcher total = need(TOTAL, report, "the request count");
		Matcher rate = need(RATE, report, "Requests/sec");
		Matcher p50 = need(P50, report, "the 50% latency (was it run with --latency?)");
		Matcher p99 = need(P99, report, "the 99% latency (was it run with --latency?)");
		long requests = Long.parseLong(total.group(1));
		long socket = 0, timeouts = 0, non2xx = 0;
		Matcher s = SOCKET.matcher(report);
		if (s.find()) {
			socket = Long.parseLong(s.group(1)) + Long.parseLong(s.group(2)) + Long.parseLong(s.group(3));
			timeouts = Long.parseLong(s.group(4));
		}
		Matcher n = NON2XX.matcher(report);
		if (n.find())
			non2xx = Long.parseLong(n.group(1));
		return new WrkResult(connections, requests, millis(total.group(2), total.group(3)) / 1000.0,
				Double.parseDouble(rate.group(1)), latency(requests, p50), latency(requests, p99), non2xx, socket, timeouts);
	}

	/** One line of a table: "16 conn: 1272.7 req/s, p50 2.96 ms, p99 5.90 ms, 0 errors". */
	public String summary() {
		return String.format(Locale.ROOT, "%d conn: %.1f req/s, p50 %.2f ms, p99 %.2f ms, %d errors", connections,
				requestsPerSecond, p50Millis, p99Millis, errors());
	}

	private static Matcher need(Pattern p, String report, String what) throws WrkException {
		Matcher m = p.matcher(report);
		if (!m.find()) {
			String first = report.strip().lines().findFirst().orElse("(empty)");
			throw new WrkException("wrk's report has no " + what + "; it begins: " + first);
		}
		return m;
	}

	private static double latency(long requests, Matcher m) {
		return requests == 0 ? Double.NaN : millis(m.group(1), m.group(2));
	}

	/** {@code value} in wrk's {@code unit}, in milliseconds. */
	static double millis(String value, String unit) {
		double v = Double.parseDouble(value);
		return switch (unit) {
		case "us" -> v / 1000;
		case "ms" -> v;
		case "s" -> v * 1000;
		case "m" -> v * 60_000;
		default -> v * 3_600_000; // "h", the last unit the pattern admits
		};
	}
}
