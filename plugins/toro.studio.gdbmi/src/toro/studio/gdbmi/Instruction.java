package toro.studio.gdbmi;

/**
 * One disassembled instruction.
 *
 * @param addr   its address
 * @param func   the enclosing function, or null
 * @param offset the offset in that function
 * @param text   the instruction (AT&T syntax, gdb's default)
 * @param file   its source file, or null
 * @param line   its source line, or 0
 */
public record Instruction(long addr, String func, int offset, String text, String file, int line) {
}
