; Toro boot: PVH entry (32-bit protected mode, paging off), page tables,
; long mode, then kmain(start_info). Also the AP real-mode trampoline, which
; lives here as a position-independent bits-16 block copied below 1 MiB.

%ifndef TORO_MAX_CPUS
%define TORO_MAX_CPUS 16
%endif
%define BOOT_STACK_SIZE 16384

extern kmain
extern ap_main
extern __bss_start
extern __bss_end

global pvh_start
global boot_pml4
global boot_pdpt
global gdt64
global gdt64_ptr
global cpu_boot_stacks
global ap_started
global boot_entry_tsc
global tramp_start
global tramp_end

; ---------------------------------------------------------------- PVH note
; XEN_ELFNOTE_PHYS32_ENTRY (18): name "Xen", desc = 32-bit entry address.
section .note.Xen note alloc noexec nowrite align=4
    dd 4                ; namesz
    dd 8                ; descsz
    dd 18               ; type
    db "Xen", 0
    dq pvh_start

; ---------------------------------------------------------------- BSP entry
section .text.boot exec
bits 32
pvh_start:
    cli
    cld
    mov esi, ebx                    ; hvm_start_info *
    rdtsc                           ; boot-time figure: TSC at entry
    mov [boot_entry_tsc], eax
    mov [boot_entry_tsc + 4], edx

    ; zero .bss, 32 bytes per iteration (a rep stos is one emulated
    ; iteration per dispatch under TCG: slow); .noinit is left alone
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    shr ecx, 5
    xor eax, eax
    jecxz .zeroed
.zero:
    mov [edi], eax
    mov [edi + 4], eax
    mov [edi + 8], eax
    mov [edi + 12], eax
    mov [edi + 16], eax
    mov [edi + 20], eax
    mov [edi + 24], eax
    mov [edi + 28], eax
    add edi, 32
    dec ecx
    jnz .zero
.zeroed:
    ; PML4 and PDPT: zero the entries that are not filled below
    mov edi, boot_pml4
    mov ecx, 2048                   ; two pages of dwords
.ptz:
    mov [edi], eax
    add edi, 4
    dec ecx
    jnz .ptz

    ; PML4[0] -> PDPT
    mov eax, boot_pdpt
    or eax, 3
    mov [boot_pml4], eax

    ; PDPT[0..7] -> 8 page directories: identity map 0..8 GiB
    xor ecx, ecx
.pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, 3
    mov [boot_pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 8
    jb .pdpt

    ; 4096 2 MiB pages; 0xFE000000..0xFFFFFFFF (LAPIC, IOAPIC) uncached
    xor ecx, ecx
.pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                    ; present, writable, 2 MiB
    mov edx, ecx
    shr edx, 11                     ; high dword of the address
    cmp ecx, 2032
    jb .cached
    cmp ecx, 2048
    jae .cached
    or eax, 0x18                    ; PCD | PWT
.cached:
    mov [boot_pd + ecx * 8], eax
    mov [boot_pd + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, 4096
    jb .pd

    ; CR4: PAE, OSFXSR, OSXMMEXCPT
    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    ; EFER.LME
    mov ecx, 0xC0000080
    rdmsr
    or eax, (1 << 8)
    wrmsr
    ; CR0: PG, NE, MP, PE; clear EM
    mov eax, cr0
    and eax, ~(1 << 2)
    or eax, (1 << 31) | (1 << 5) | (1 << 1) | 1
    mov cr0, eax

    lgdt [gdt64_ptr]
    jmp 0x08:long_entry

bits 64
; Flat data selector in ds, es and ss; null fs and gs (GS base is set later
; through its MSR). Every core does this on its first 64-bit instruction.
%macro load_data_segments 0
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
%endmacro

long_entry:
    load_data_segments
    mov rsp, cpu_boot_stacks + BOOT_STACK_SIZE
    xor ebp, ebp                    ; backtraces end here
    mov edi, esi                    ; start info (zero-extended)
    call kmain
.halt:
    cli
    hlt
    jmp .halt

; AP 64-bit entry, reached from the trampoline by a far jump.
ap_entry64:
    load_data_segments
    mov eax, 1
    lock xadd [ap_started], eax     ; eax = order of arrival, 0-based
    inc eax                         ; cpu index (0 is the boot core)
    mov edi, eax
    lea rax, [rax + 1]
    shl rax, 14                     ; * BOOT_STACK_SIZE
    mov rcx, cpu_boot_stacks
    add rax, rcx
    mov rsp, rax
    xor ebp, ebp
    call ap_main
.halt:
    cli
    hlt
    jmp .halt

; ---------------------------------------------------------------- trampoline
; Copied to a page below 1 MiB; the SIPI vector makes CS = page >> 4, IP = 0.
; Every memory reference is an offset from tramp_start (DS = CS).
section .text
bits 16
tramp_start:
    cli
    cld
    mov ax, cs
    mov ds, ax
    o32 lgdt [tramp_gdtr - tramp_start]
    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    mov ecx, 0xC0000080
    rdmsr
    or eax, (1 << 8)
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)
    or eax, (1 << 31) | (1 << 5) | (1 << 1) | 1
    mov cr0, eax
    jmp dword 0x08:ap_entry64
align 8
tramp_gdtr:
    dw gdt64_end - gdt64 - 1
    dd gdt64
tramp_end:

; ---------------------------------------------------------------- data
section .data
align 16
gdt64:
    dq 0
    dq 0x00AF9A000000FFFF           ; 0x08 code, 64-bit
    dq 0x00CF92000000FFFF           ; 0x10 data
gdt64_end:
align 16
gdt64_ptr:
    dw gdt64_end - gdt64 - 1
    dq gdt64
align 4
ap_started:
    dd 0
align 8
boot_entry_tsc:
    dq 0

section .noinit nobits alloc write align=4096
boot_pml4:
    resb 4096
boot_pdpt:
    resb 4096
boot_pd:
    resb 4096 * 8
align 16
cpu_boot_stacks:
    resb BOOT_STACK_SIZE * TORO_MAX_CPUS

; Symbol records for backtraces (as TORO_SYM in include/toro/kernel.h emits them).
section .rodata
sym_pvh_start: db "pvh_start", 0
sym_long_entry: db "long_entry", 0
sym_ap_entry64: db "ap_entry64", 0
section .toro_syms
align 16
    dq pvh_start, sym_pvh_start
    dq long_entry, sym_long_entry
    dq ap_entry64, sym_ap_entry64
