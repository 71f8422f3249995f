package toro.studio.debug.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.debug.core.DebugException;

import toro.studio.gdbmi.Instruction;

/**
 * The machine code around a frame's PC with the source lines it came from interleaved: what the Disassembly
 * view lists. It starts at the start of the PC's function (x86 instructions cannot be decoded backwards)
 * and keeps a window of instructions before and after the PC.
 *
 * @param rows the rows, in address order
 * @param note why there is nothing to list, or null
 */
public record DisassemblyListing(List<Row> rows, String note) {

    /** Instructions kept before and after the PC. */
    private static final int BEFORE = 40, AFTER = 60;
    /** Bytes disassembled after the PC (enough for AFTER x86 instructions of average length). */
    private static final int SPAN = 400;
    /** EFER.LMA: the vCPU runs in long mode (64-bit code). */
    private static final long EFER_LMA = 1 << 10;

    /**
     * One row: an instruction (address, text, whether the PC is on it) or a source line (address of its
     * first instruction, "file:line  text").
     */
    public record Row(long addr, String text, boolean source, boolean pc) {
    }

    /** Lists the code around frame's PC; gdb failures become a note, not an exception. */
    public static DisassemblyListing around(GdbStackFrame frame) throws DebugException {
        ToroDebugTarget target = (ToroDebugTarget) frame.getDebugTarget();
        long pc = frame.frame().addr();
        try {
            if (!longMode(frame)) {
                return new DisassemblyListing(List.of(), "vCPU " + ((VcpuThread) frame.getThread()).core()
                        + " is not in long mode yet (EFER.LMA = 0): its 32-bit boot code would be decoded as 64-bit"
                        + " code from the ELF64 image. Step by source line in the NASM file instead.");
            }
            List<Instruction> head = target.session().disassemble(pc, pc + 1);
            long start = head.isEmpty() || head.get(0).offset() <= 0 || head.get(0).offset() > 1 << 16 ? pc
                    : pc - head.get(0).offset();
            List<Instruction> code = target.session().disassemble(start, pc + SPAN);
            return new DisassemblyListing(rows(code, pc, sourceRoot(frame)), code.isEmpty() ? "gdb listed no code at 0x" + Long.toHexString(pc) : null);
        } catch (RuntimeException e) {
            return new DisassemblyListing(List.of(), "Could not disassemble at 0x" + Long.toHexString(pc) + ": " + e.getMessage());
        }
    }

    /**
     * Returns false only when gdb shows EFER with LMA clear. gdb prints EFER as its flag names ("[ LME LMA ]")
     * or as a number; an unreadable EFER counts as long mode.
     */
    private static boolean longMode(GdbStackFrame frame) {
        try {
            String efer = frame.evaluate("$efer").trim();
            if (efer.startsWith("[")) {
                return efer.matches(".*\\bLMA\\b.*");
            }
            long v = efer.startsWith("0x") ? Long.parseUnsignedLong(efer.substring(2), 16) : Long.parseLong(efer);
            return (v & EFER_LMA) != 0;
        } catch (DebugException | NumberFormatException e) {
            return true;
        }
    }

    /** Returns the compilation directory of the frame's file (fullname minus the compiled name), or null. */
    private static Path sourceRoot(GdbStackFrame frame) {
        String full = frame.frame().fullname(), file = frame.frame().file();
        if (full == null || file == null || !full.endsWith(file)) {
            return null;
        }
        return Path.of(full.substring(0, full.length() - file.length()));
    }

    private static List<Row> rows(List<Instruction> code, long pc, Path root) {
        int at = 0;
        while (at < code.size() && code.get(at).addr() < pc) {
            at++;
        }
        List<Instruction> window = code.subList(Math.max(0, at - BEFORE), Math.min(code.size(), at + AFTER));
        Map<String, List<String>> files = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        String lastFile = null;
        int lastLine = -1;
        for (Instruction i : window) {
            if (i.file() != null && i.line() > 0 && (i.line() != lastLine || !i.file().equals(lastFile))) {
                rows.add(new Row(i.addr(), i.file() + ":" + i.line() + "  " + sourceLine(files, root, i.file(), i.line()), true, false));
                lastFile = i.file();
                lastLine = i.line();
            }
            String where = i.func() == null ? "" : "    <" + i.func() + "+" + i.offset() + ">";
            rows.add(new Row(i.addr(), i.text() + where, false, i.addr() == pc));
        }
        return rows;
    }

    /** Returns line (1-based) of file, read once per listing; "" when the file cannot be read. */
    private static String sourceLine(Map<String, List<String>> files, Path root, String file, int line) {
        List<String> lines = files.computeIfAbsent(file, f -> {
            Path p = Path.of(f).isAbsolute() || root == null ? Path.of(f) : root.resolve(f);
            try {
                return Files.readAllLines(p, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        return line <= lines.size() ? lines.get(line - 1).strip() : "";
    }
}
