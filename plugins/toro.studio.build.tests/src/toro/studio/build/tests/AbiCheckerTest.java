package toro.studio.build.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import toro.studio.build.AbiChecker;
import toro.studio.build.AbiFinding;
import toro.studio.build.BuildResult;
import toro.studio.build.Problem;
import toro.studio.build.Severity;

/** The static ABI checker: routines that respect the SysV ABI pass, each kind of violation is found. */
class AbiCheckerTest {

	private static List<AbiFinding> check(String asm) throws Exception {
		try (Tree t = new Tree()) {
			Path f = t.write("arch/t.asm", asm);
			return AbiChecker.check(List.of(f));
		}
	}

	private static String lines(List<AbiFinding> fs) {
		StringBuilder sb = new StringBuilder();
		for (AbiFinding f : fs)
			sb.append(f.line()).append(": ").append(f.routine()).append(": ").append(f.message()).append('\n');
		return sb.toString();
	}

	@Test
	void correctRoutinesPass() throws Exception {
		List<AbiFinding> fs = check("""
				bits 64
				section .text
				global frame, saves, loops, ctx_switch, aligned
				extern callee
				frame:                      ; a frame with leave
				    push rbp
				    mov rbp, rsp
				    sub rsp, 32
				    mov rax, [rsp]
				    mov [rsp+8], rax
				    leave
				    jmp .out
				.out:
				    ret
				saves:                      ; saved on every path, early exit restores too
				    push rbx
				    push r12
				    mov rbx, rdi
				    test rdi, rdi
				    jz .zero
				    mov r12, 5
				    pop r12
				    pop rbx
				    ret
				.zero:
				    pop r12
				    pop rbx
				    ret
				loops:                      ; a loop with a local label, caller-saved only
				    xor eax, eax
				.again:
				    add rax, rdi
				    dec rdi
				    jnz .again
				    ret
				ctx_switch:                 ; a context switch: pops mirror pushes on the other stack
				    push rbp
				    push rbx
				    push r12
				    mov [rdi], rsp
				    mov rsp, rsi
				    pop r12
				    pop rbx
				    pop rbp
				    ret
				aligned:
				    push rbx
				    mov rbx, rsp
				    and rsp, -16
				    call callee
				    mov rsp, rbx
				    pop rbx
				    ret
				""");
		assertEquals("", lines(fs));
	}

	@Test
	void aRegisterSavedOnOnePathButNotAnother() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				global f
				f:
				    test rdi, rdi
				    jz .fast
				    push rbx
				    mov rbx, rdi
				    pop rbx
				    ret
				.fast:
				    mov bl, 1
				    ret
				""");
		assertEquals("12: f: rbx is not restored before this ret: written at line 11 ('mov bl, 1')\n", lines(fs));
		assertEquals(" f: rbx is not restored before this ret: written at line 11 ('mov bl, 1')",
				fs.get(0).toString().substring(fs.get(0).toString().indexOf(".asm:12:") + 8));
	}

	@Test
	void anEarlyRet() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				global g
				g:
				    push r12
				    mov r12, rdi
				    cmp rdi, 3
				    jne .go
				    ret
				.go:
				    pop r12
				    ret
				""");
		String s = lines(fs);
		assertTrue(s.contains("8: g: stack not balanced at this ret: 8 bytes pushed and not popped"), s);
		assertTrue(s.contains("8: g: r12 is not restored before this ret: written at line 5 ('mov r12, rdi')"), s);
		assertEquals(2, fs.size(), s);
	}

	@Test
	void pushPopMismatch() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				global h, swapped
				h:
				    push rbx
				    push rbp
				    pop rbp
				    ret
				swapped:
				    push r13
				    push r14
				    xor r13d, r13d
				    pop r13
				    pop r14
				    ret
				""");
		String s = lines(fs);
		assertTrue(s.contains("7: h: stack not balanced at this ret: 8 bytes pushed and not popped"), s);
		assertTrue(s.contains("14: swapped: r13 is not restored before this ret: popped at line 12 from the slot that saved r14"), s);
		assertTrue(s.contains("14: swapped: r14 is not restored before this ret: popped at line 13 from the slot that saved r13"), s);
	}

	@Test
	void interruptStubThatClobbersARegister() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				extern handler
				%macro STUB 1
				stub_%1:
				    push qword %1
				    jmp common
				%endmacro
				%assign v 0
				%rep 4
				STUB v
				%assign v v + 1
				%endrep
				common:
				    push rax
				    push rcx
				    push rdx
				    push rsi
				    push rdi
				    push r8
				    push r9
				    push r10
				    mov rdi, rsp
				    call handler
				    pop r10
				    pop r9
				    pop r8
				    pop rdi
				    pop rsi
				    pop rdx
				    pop rcx
				    pop rax
				    add rsp, 8
				    iretq
				section .rodata
				table:
				%assign v 0
				%rep 4
				    dq stub_ %+ v
				%assign v v + 1
				%endrep
				""");
		assertEquals("33: stub_0: r11 is not restored before iretq (an interrupt must preserve every register): changed by the call at line 23\n",
				lines(fs));
	}

	@Test
	void macrosFromAnIncludeWithLocalLabelsAndConditions() throws Exception {
		try (Tree t = new Tree()) {
			t.write("include/save.inc", """
					%macro SAVE 0-1
					    push rbx
					%ifidn %1, all
					    push r12
					%endif
					%endmacro
					%macro CLAMP 1          ; a %% label per expansion
					    cmp %1, 10
					    jbe %%ok
					    mov %1, 10
					%%ok:
					%endmacro
					""");
			Path f = t.write("arch/m.asm", """
					%include "save.inc"
					%ifndef LIMIT
					%define LIMIT 3
					%endif
					section .text
					global good, bad
					good:
					    SAVE
					    mov rbx, LIMIT
					    CLAMP rbx
					    pop rbx
					    ret
					bad:
					    push rbx
					    CLAMP r12
					    CLAMP rbx
					    pop rbx
					    ret
					""");
			List<AbiFinding> fs = AbiChecker.check(List.of(f), List.of(t.root, t.root.resolve("include")));
			// %ifidn is beyond the checker: said plainly, at the line that invokes the macro
			assertEquals("""
					8: (preprocessor): not analysed: the directive %ifidn is not supported by the checker
					18: bad: r12 is not restored before this ret: written at line 15 ('mov r12, 10')
					""", lines(fs));
		}
	}

	@Test
	void aTailJumpMustRestoreToo() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				global t
				extern elsewhere
				t:
				    mov r15, 1
				    jmp elsewhere
				""");
		assertEquals("6: t: r15 is not restored before the tail jump to elsewhere: written at line 5 ('mov r15, 1')\n", lines(fs));
	}

	@Test
	void whatCannotBeFollowedIsSaidPlainly() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				global ind, weird
				ind:
				    jmp [rdi]
				weird:
				    sub rsp, rdi
				    ret
				%rotate 1
				""");
		String s = lines(fs);
		assertTrue(s.contains("4: ind: not analysed: indirect jump 'jmp [rdi]'"), s);
		assertTrue(s.contains("6: weird: not analysed: cannot tell by how much 'sub rsp, rdi' moves rsp"), s);
		assertTrue(s.contains("8: (preprocessor): not analysed: the directive %rotate is not supported by the checker"), s);
		assertTrue(fs.stream().allMatch(AbiFinding::notAnalysed));
	}

	/**
	 * Loading rsp is a context switch only after the routine saved its own rsp, on every path to the load;
	 * otherwise it is a new stack, and returning on it is not analysed (a boot entry that never returns is fine).
	 */
	@Test
	void rspLoadedWithoutASaveIsNotAnalysed() throws Exception {
		List<AbiFinding> fs = check("""
				section .text
				global jump_stack, maybe_saved, saved
				jump_stack:                 ; no save: a clobbered stack, not a switch
				    push rbx
				    mov rsp, rdi
				    pop rbx
				    ret
				maybe_saved:                ; saved on one path only
				    test rsi, rsi
				    jz .load
				    mov [rsi], rsp
				.load:
				    mov rsp, rdi
				    ret
				saved:                      ; saved first, then switched: accepted
				    mov [rel slot], rsp
				    mov rsp, [rdi]
				    ret
				section .bss
				slot: resq 1
				""");
		String s = lines(fs);
		assertTrue(s.contains("7: jump_stack: not analysed: rsp is not tracked at this ret (changed at line 5, loaded by "
				+ "'mov rsp, rdi' from neither a copy of rsp nor a stack this routine saved (mov [..], rsp))"), s);
		assertTrue(s.contains("14: maybe_saved: not analysed: rsp is not tracked at this ret (changed at line 13"), s);
		assertEquals(2, fs.size(), s);
		assertTrue(fs.stream().allMatch(AbiFinding::notAnalysed), s);
	}

	@Test
	void theKernelsOwnAssemblyPasses() throws Exception {
		Path tree = Path.of(System.getProperty("toro.root", "../..")).resolve("kernel-src").toAbsolutePath().normalize();
		List<Path> files = toro.studio.build.BuildDescriptor.load(tree).assemblySources();
		assertFalse(files.isEmpty());
		List<AbiFinding> fs = AbiChecker.check(files, List.of(tree.resolve("include")));
		assertEquals("", lines(fs));
	}

	@Test
	void releaseBuildsReportFindingsAsErrors() throws Exception {
		try (Tree t = new Tree()) {
			t.write("arch/entry.asm", "bits 64\nsection .text\nglobal _start\nextern kmain\n_start:\n    mov rbx, 1\n    call kmain\n    ret\n");
			BuildResult r = t.build();
			assertFalse(r.success());
			Problem p = r.problems().stream().filter(x -> x.tool().equals("abi-check")).findFirst().orElseThrow();
			assertEquals(Severity.ERROR, p.severity());
			assertEquals(t.root.resolve("arch/entry.asm"), p.file());
			assertEquals(8, p.line());
			assertEquals("_start: rbx is not restored before this ret: written at line 6 ('mov rbx, 1')", p.message());
			// the debug profile assembles the same source without the check
			BuildResult debug = t.build(new toro.studio.build.BuildRequest(t.root, "debug", null, 0, false, false), () -> false);
			assertTrue(debug.success(), Tree.errors(debug));
		}
	}
}
