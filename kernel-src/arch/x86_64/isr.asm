; Interrupt entry stubs, the context switch and the few small routines that
; must be assembly. Every global routine callable from C obeys the SysV ABI:
; rbx, rbp, r12-r15 restored, stack balanced.

extern isr_dispatch
extern thread_entry

global isr_table
global ctx_switch
global thread_start
global toro_halt_once
global toro_probe_read
global toro_probe_read_resume
global toro_probe_ud2
global toro_probe_ud2_resume

section .text
bits 64

; ---------------------------------------------------------------- stubs
; Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30.
%macro ISR_STUB 1
isr_stub_%1:
%if (%1 = 8) || (%1 >= 10 && %1 <= 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
    push qword %1
%else
    push qword 0
    push qword %1
%endif
    jmp isr_common
%endmacro

%assign v 0
%rep 256
ISR_STUB v
%assign v v + 1
%endrep

; Stack on entry: vector, error code, then the CPU frame (rip, cs, rflags,
; rsp, ss). Saves every general-purpose register: the C handler may clobber
; any caller-saved one, and the frame is what the exception report prints.
isr_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld
    mov rdi, rsp                    ; struct isr_frame *
    mov rbx, rsp                    ; rbx is callee-saved: survives the call
    and rsp, -16
    call isr_dispatch
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                     ; vector and error code
    iretq

; ---------------------------------------------------------------- switch
; void ctx_switch(uint64_t *save_rsp, uint64_t new_rsp)
; Saves the callee-saved registers on the current stack, stores rsp, loads
; the other context's rsp and restores its registers.
ctx_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; First code of a new thread: ctx_switch "returns" here with r12 = thread.
; Not callable from C.
thread_start:
    mov rdi, r12
    xor ebp, ebp                    ; backtraces end at the thread's root
    call thread_entry
    ud2

; void toro_halt_once(void): sti; hlt as one window, back with IF clear.
toro_halt_once:
    sti
    hlt
    cli
    ret

; uint64_t toro_probe_read(const volatile uint64_t *p): a read that a test
; may let fault; the fault hook resumes at toro_probe_read_resume (rax = 0).
toro_probe_read:
    xor eax, eax
    mov rax, [rdi]
toro_probe_read_resume:
    ret

; void toro_probe_ud2(void): raises #UD; the hook resumes after it.
toro_probe_ud2:
    ud2
toro_probe_ud2_resume:
    ret

section .rodata
align 8
isr_table:
%assign v 0
%rep 256
    dq isr_stub_ %+ v
%assign v v + 1
%endrep

; Symbol records for backtraces (as TORO_SYM in include/toro/kernel.h emits them).
section .rodata
sym_isr_common: db "isr_common", 0
sym_ctx_switch: db "ctx_switch", 0
sym_thread_start: db "thread_start", 0
sym_toro_halt_once: db "toro_halt_once", 0
sym_toro_probe_read: db "toro_probe_read", 0
sym_toro_probe_ud2: db "toro_probe_ud2", 0
section .toro_syms
align 16
    dq isr_common, sym_isr_common
    dq ctx_switch, sym_ctx_switch
    dq thread_start, sym_thread_start
    dq toro_halt_once, sym_toro_halt_once
    dq toro_probe_read, sym_toro_probe_read
    dq toro_probe_ud2, sym_toro_probe_ud2
