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

    ; The page tables are built by the assembler (section .data.boot_pt
    ; below) and loaded with the image: no loop over 4096 entries here.

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
    ; zero .bss with one rep stosq. Under nested KVM (kvm-pvm) a guest that
    ; is not PVM-aware runs its supervisor code in the instruction emulator,
    ; about 1 us per instruction: the old loop of 32 bytes per iteration
    ; (20,000 iterations) took ~320 ms there, where the emulator runs a rep
    ; in batches. 8-byte stores halve the iterations that TCG executes one
    ; by one. .noinit is left alone.
    mov rdi, __bss_start
    mov rcx, __bss_end
    sub rcx, rdi
    shr rcx, 3
    xor eax, eax
    rep stosq
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

; Boot page tables, complete in the image: PML4[0] -> PDPT, PDPT[0..7] ->
; eight page directories that identity-map 0..8 GiB in 2 MiB pages, with
; 0xFE000000..0xFFFFFFFF (LAPIC, IOAPIC, virtio-mmio) uncached (PCD | PWT).
; They used to be filled by a loop at entry; as data they cost no guest
; instruction (see the .bss comment at pvh_start). Writable: stacks_init adds
; PDPT[16] for the thread stacks.
section .data.boot_pt progbits alloc write noexec align=4096
boot_pml4:
    dq boot_pdpt + 3
    times 511 dq 0
boot_pdpt:
%assign i 0
%rep 8
    dq boot_pd + i * 4096 + 3
%assign i i + 1
%endrep
    times 504 dq 0
boot_pd:
%assign i 0
%rep 4096
%if i >= 2032 && i < 2048
    dq (i << 21) | 0x83 | 0x18
%else
    dq (i << 21) | 0x83
%endif
%assign i i + 1
%endrep

section .noinit nobits alloc write align=4096
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
