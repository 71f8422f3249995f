; The runtime ABI cross-check: call a routine with sentinel values in every
; callee-saved register and report which ones it failed to restore.
;
; uint64_t toro_abi_call(void *fn, uint64_t a0, uint64_t a1)
;   returns a bit mask: 1 rbx, 2 rbp, 4 r12, 8 r13, 16 r14, 32 r15, 64 rsp.

global toro_abi_call
global toro_abi_nop

section .text
bits 64

toro_abi_call:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    push qword [rel saved_rsp]      ; nesting-safe; also 16-byte alignment at the call
    mov rax, rdi
    mov rdi, rsi
    mov rsi, rdx
    mov [rel saved_rsp], rsp
    mov rbx, 0x5EB0000000000001
    mov rbp, 0x5EB0000000000002
    mov r12, 0x5EB0000000000003
    mov r13, 0x5EB0000000000004
    mov r14, 0x5EB0000000000005
    mov r15, 0x5EB0000000000006
    call rax
    xor eax, eax
    mov rcx, 0x5EB0000000000001
    cmp rbx, rcx
    je .rbp
    or eax, 1
.rbp:
    mov rcx, 0x5EB0000000000002
    cmp rbp, rcx
    je .r12
    or eax, 2
.r12:
    mov rcx, 0x5EB0000000000003
    cmp r12, rcx
    je .r13
    or eax, 4
.r13:
    mov rcx, 0x5EB0000000000004
    cmp r13, rcx
    je .r14
    or eax, 8
.r14:
    mov rcx, 0x5EB0000000000005
    cmp r14, rcx
    je .r15
    or eax, 16
.r15:
    mov rcx, 0x5EB0000000000006
    cmp r15, rcx
    je .rsp
    or eax, 32
.rsp:
    cmp rsp, [rel saved_rsp]
    je .done
    or eax, 64
    mov rsp, [rel saved_rsp]
.done:
    pop qword [rel saved_rsp]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; A routine that does nothing: the harness checking itself.
toro_abi_nop:
    ret

section .bss
align 8
saved_rsp:
    resq 1
