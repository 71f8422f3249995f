; floor.asm: the idle floor of `toro bench idle`. A PVH guest that does nothing
; but halt with interrupts off on its boot core (the other cores are never
; started): what QEMU costs the host for a guest that never wakes up. Every
; figure of the real kernel's idle cost is read against it.

; XEN_ELFNOTE_PHYS32_ENTRY (18): name "Xen", desc = the 32-bit entry address,
; as in arch/x86_64/boot.asm.
section .note.Xen note alloc noexec nowrite align=4
    dd 4                ; namesz
    dd 8                ; descsz
    dd 18               ; type
    db "Xen", 0
    dq pvh_start

section .text.boot exec
bits 32
global pvh_start
; pvh_start: entered in 32-bit protected mode by the PVH loader; never returns.
; hlt with interrupts off ends only on NMI or reset; the loop takes it back.
pvh_start:
    cli
.halt:
    hlt
    jmp .halt
