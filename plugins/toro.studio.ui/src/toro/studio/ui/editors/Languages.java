package toro.studio.ui.editors;

import java.util.Set;

import toro.studio.ui.editors.CodeScanner.Language;

/** The languages of a Toro kernel tree: NASM and C11. */
final class Languages {
	private Languages() {
	}

	/** NASM for x86-64: instructions, registers, directives; case-insensitive; ';' comments. */
	static final Language NASM = new Language(";", false, null, true,
			Set.of("mov", "movzx", "movsx", "movsxd", "lea", "push", "pop", "pushfq", "popfq", "call", "ret", "jmp", "je",
					"jne", "jz", "jnz", "ja", "jae", "jb", "jbe", "jg", "jge", "jl", "jle", "jc", "jnc", "js", "jns", "loop",
					"add", "sub", "adc", "sbb", "inc", "dec", "neg", "mul", "imul", "div", "idiv", "and", "or", "xor", "not",
					"shl", "shr", "sal", "sar", "rol", "ror", "bt", "bts", "btr", "cmp", "test", "xchg", "cmpxchg", "lock",
					"rep", "stosb", "stosq", "movsb", "movsq", "cli", "sti", "hlt", "pause", "nop", "int", "iretq", "iret",
					"sysret", "syscall", "lgdt", "lidt", "ltr", "invlpg", "cpuid", "rdtsc", "rdtscp", "rdmsr", "wrmsr",
					"in", "out", "swapgs", "mfence", "lfence", "sfence", "xsave", "xrstor", "fxsave", "fxrstor", "cld",
					"std", "leave", "enter", "cqo", "cdq", "retf", "jrcxz", "ud2", "sete", "setne", "cmove", "cmovne"),
			Set.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
					"r15", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "ax", "bx", "cx", "dx", "si", "di",
					"sp", "bp", "al", "bl", "cl", "dl", "ah", "bh", "ch", "dh", "cs", "ds", "es", "fs", "gs", "ss", "cr0",
					"cr2", "cr3", "cr4", "rip", "byte", "word", "dword", "qword", "rel", "abs"),
			Set.of("section", "segment", "global", "extern", "bits", "default", "org", "align", "alignb", "db", "dw", "dd",
					"dq", "resb", "resw", "resd", "resq", "times", "equ", "incbin", "struc", "endstruc", "istruc", "iend",
					"at", "%define", "%macro", "%endmacro", "%include", "%if", "%ifdef", "%ifndef", "%else", "%endif",
					"%assign", "%rep", "%endrep"));

	/** C11: keywords, common types, and '#' preprocessor lines. */
	static final Language C = new Language("//", true, "#", false,
			Set.of("auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern", "for", "goto",
					"if", "inline", "register", "restrict", "return", "sizeof", "static", "struct", "switch", "typedef",
					"union", "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Noreturn", "_Static_assert",
					"_Thread_local", "asm", "__asm__", "__attribute__", "__volatile__"),
			Set.of("void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool",
					"size_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t", "int64_t",
					"uintptr_t", "intptr_t", "true", "false", "NULL"),
			Set.of());
}
