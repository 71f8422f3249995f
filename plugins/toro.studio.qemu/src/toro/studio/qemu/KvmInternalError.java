package toro.studio.qemu;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A vCPU that KVM could not run on: QEMU's "KVM internal error" report from its stderr. QEMU then
 * pauses the machine (run state {@code internal-error}) and, with a debugger attached, tells gdb
 * SIGABRT. On some nested hosts executing gdb's {@code int3} software breakpoints ends this way.
 *
 * The report, as QEMU 7.2 writes it: "KVM internal error. Suberror: N", "extra data[i]: ..." lines,
 * a line naming the kind ("emulation failure"), then the register dump (RAX= ... up to Code=).
 *
 * @param suberror KVM's suberror number, as printed
 * @param kind     the line naming the failure (e.g. "emulation failure"), or "" when absent
 * @param rip      the vCPU's RIP in hex with 0x, or "?" when the dump has none
 * @param report   every line of the report, register dump included
 */
public record KvmInternalError(String suberror, String kind, String rip, List<String> report) {
	/** What a person can do about it. */
	public static final String ADVICE = "KVM cannot run this vCPU on: run with --accel tcg; under a debugger, use hardware "
			+ "breakpoints (hbreak), since some hosts' KVM fails on gdb's int3 breakpoints";
	private static final Pattern HEAD = Pattern.compile("KVM internal error\\. Suberror: (\\d+)");
	private static final Pattern RIP = Pattern.compile("\\bRIP=([0-9a-fA-F]+)");
	/** The report is short; this bounds what is kept if QEMU's output were odd. */
	private static final int MAX_LINES = 64;

	public KvmInternalError {
		report = List.copyOf(report);
	}

	/** @return the first report in {@code stderr}, or null when it holds none */
	public static KvmInternalError find(String stderr) {
		String[] lines = stderr.split("\n");
		for (int i = 0; i < lines.length; i++) {
			Matcher h = HEAD.matcher(lines[i]);
			if (!h.find())
				continue;
			List<String> report = new ArrayList<>();
			String kind = "", rip = "?";
			for (int j = i; j < lines.length && report.size() < MAX_LINES; j++) {
				String l = lines[j];
				if (j > i && (l.startsWith("qemu-system") || l.isBlank()))
					break;
				report.add(l);
				Matcher r = RIP.matcher(l);
				if (rip.equals("?") && r.find())
					rip = "0x" + r.group(1).replaceFirst("^0+(?=.)", "").toLowerCase();
				if (kind.isEmpty() && j > i && !l.startsWith("extra data") && !l.contains("="))
					kind = l.strip();
				if (l.startsWith("Code="))
					break;
			}
			return new KvmInternalError(h.group(1), kind, rip, report);
		}
		return null;
	}

	/** @return one line: "KVM internal error (suberror 1, emulation failure) at RIP=0x103c25" */
	public String summary() {
		return "KVM internal error (suberror " + suberror + (kind.isEmpty() ? "" : ", " + kind) + ") at RIP=" + rip;
	}
}
