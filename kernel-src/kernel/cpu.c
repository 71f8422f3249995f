/* Per-core descriptor tables, interrupt dispatch, exception reports, panic. */
#include <toro/irq.h>

struct cpu cpus[TORO_MAX_CPUS];

struct idt_entry {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));
static volatile int panicking;
void console_force_unlock(void);

static void idt_set(int v, uint64_t h, int ist)
{
    idt[v].off0 = h & 0xFFFF;
    idt[v].sel = 0x08;
    idt[v].ist = ist;
    idt[v].type = 0x8E;            /* present, interrupt gate */
    idt[v].off1 = (h >> 16) & 0xFFFF;
    idt[v].off2 = h >> 32;
    idt[v].zero = 0;
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++) idt_set(v, isr_table[v], 0);
    idt_set(2, isr_table[2], 1);   /* NMI on IST1 */
    idt_set(8, isr_table[8], 3);   /* double fault on IST3: an NMI on IST1 that faults must
                                    * not have its frame overwritten by the #DF frame */
    idt_set(14, isr_table[14], 2); /* page fault on IST2: a guard-page hit still reports */
}

void idt_load(void)
{
    struct __attribute__((packed)) { uint16_t lim; uint64_t base; } p = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(p));
}

void cpu_setup(struct cpu *c)
{
    c->self = c;
    struct gdt_tss *g = &c->gt;
    g->gdt[0] = 0;
    g->gdt[1] = 0x00AF9A000000FFFFull;
    g->gdt[2] = 0x00CF92000000FFFFull;
    uint64_t base = (uint64_t)&g->tss, lim = sizeof g->tss - 1;
    g->gdt[3] = (lim & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
                (((lim >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    g->gdt[4] = base >> 32;
    g->tss.ist[0] = (uint64_t)&c->ist_stack[0][4096];
    g->tss.ist[1] = (uint64_t)&c->ist_stack[1][4096];
    g->tss.ist[2] = (uint64_t)&c->ist_stack[2][4096];
    g->tss.iomap = sizeof g->tss;
    struct __attribute__((packed)) { uint16_t lim; uint64_t base; } p = { 5 * 8 - 1, (uint64_t)g->gdt };
    __asm__ volatile("lgdt %0" :: "m"(p));
    __asm__ volatile("ltr %w0" :: "r"(0x18));
    idt_load();
    wrmsr(0xC0000101, (uint64_t)c);   /* GS base */
    wrmsr(0xC0000102, 0);
}

/* ---------------------------------------------------------------- symbols */
extern const struct toro_sym __toro_syms_start[], __toro_syms_end[];

const char *sym_lookup(uintptr_t addr, uintptr_t *off)
{
    const struct toro_sym *best = 0;
    for (const struct toro_sym *s = __toro_syms_start; s < __toro_syms_end; s++)
        if (s->addr <= addr && (!best || s->addr > best->addr)) best = s;
    if (!best) return 0;
    *off = addr - best->addr;
    return best->name;
}

static void print_addr(const char *prefix, uint64_t a)
{
    uintptr_t off = 0;
    const char *n = sym_lookup(a, &off);
    if (n) kprintf("%s%016lx  %s+0x%lx\n", prefix, a, n, off);
    else kprintf("%s%016lx  ?\n", prefix, a);
}

extern char __kernel_start[], __kernel_end[];

static bool addr_ok(uint64_t a)
{
    /* the kernel's stacks: boot stacks (in the image) and thread stacks */
    return a >= 0x1000 && (a & 7) == 0 && a < (1ull << 36);
}

void backtrace_from(uint64_t rip, uint64_t rbp)
{
    kprintf("backtrace:\n");
    print_addr("  ", rip);
    for (int depth = 0; rbp && depth < 32; depth++) {
        if (!addr_ok(rbp)) { kprintf("  (bad frame pointer %lx)\n", rbp); break; }
        uint64_t ret = ((uint64_t *)rbp)[1];
        if (!ret) break;
        print_addr("  ", ret);
        uint64_t next = ((uint64_t *)rbp)[0];
        if (next && next <= rbp) { break; }
        rbp = next;
    }
}

/* ---------------------------------------------------------------- exit */
void toro_exit(int code)
{
    cli();
    outl(0xF4, (uint32_t)code);       /* isa-debug-exit: QEMU exits (code << 1) | 1 */
    for (;;) __asm__ volatile("cli; hlt");
}

static void stop_others(void)
{
    if (this_cpu() && toro_ncpus > 1 && platform.lapic_base) lapic_send_nmi_others();
}

static const char *exc_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 error", "alignment check", "machine check", "SIMD error", "virtualization",
    "control protection", "reserved", "reserved", "reserved", "reserved", "reserved",
    "reserved", "hypervisor injection", "VMM communication", "security", "reserved" };

static void exception_report(struct isr_frame *f)
{
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) for (;;) __asm__ volatile("cli; hlt");
    stop_others();
    console_force_unlock();
    uint64_t cr2 = read_cr2();
    kprintf("\ntoro: PANIC: CPU exception %lu (%s) on cpu %u\n", f->vector,
            f->vector < 32 ? exc_names[f->vector] : "?", this_cpu() ? this_cpu()->index : 0);
    kprintf("vector=%lu error=0x%lx rip=0x%016lx cr2=0x%016lx\n", f->vector, f->error, f->rip, cr2);
    if (f->vector == 14 || f->vector == 8) {
        uint64_t g = cr2 & ~0xFFFull;
        if (g >= 0x400000000ull && g < 0x500000000ull)
            kprintf("note: address is in the thread stack region (guard page hit = stack overflow?)\n");
    }
    kprintf("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n", f->rsi, f->rdi, f->rbp, f->rsp);
    kprintf("r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n", f->r8, f->r9, f->r10, f->r11);
    kprintf("r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n", f->r12, f->r13, f->r14, f->r15);
    kprintf("rflags=%016lx cs=%lx ss=%lx\n", f->rflags, f->cs, f->ss);
    backtrace_from(f->rip, f->rbp);
    toro_exit(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    cli();
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) for (;;) __asm__ volatile("cli; hlt");
    stop_others();
    console_force_unlock();
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kprintf("\ntoro: PANIC on cpu %u: %s\n", this_cpu() ? this_cpu()->index : 0, buf);
    backtrace_from((uint64_t)__builtin_return_address(0), (uint64_t)__builtin_frame_address(0) ?
                   *(uint64_t *)__builtin_frame_address(0) : 0);
    toro_exit(EXIT_PANIC);
}

/* ---------------------------------------------------------------- dispatch */
void isr_dispatch(struct isr_frame *f)
{
    uint64_t v = f->vector;
    if (v == 2) {                        /* NMI: another core panicked */
        if (panicking) for (;;) __asm__ volatile("cli; hlt");
        return;
    }
    if (v < 32) {
        struct cpu *c = this_cpu();
        if (c && c->hook.armed) {
            c->hook.vector = v;
            c->hook.error = f->error;
            c->hook.cr2 = read_cr2();
            c->hook.rip = f->rip;
            c->hook.armed = 0;
            f->rip = c->hook.resume_rip;
            return;
        }
        exception_report(f);
    }
    if (v == VEC_SPURIOUS) return;
    struct cpu *c = this_cpu();
    if (v == VEC_TIMER) {
        lapic_eoi();
        sched_timer_interrupt();
        return;
    }
    if (v == VEC_WAKE) {
        c->st->ipis++;
        lapic_eoi();
        return;
    }
    if (v == VEC_TELEMETRY) {            /* core 0: another core left idle */
        c->st->ipis++;
        lapic_eoi();
        if (c->index == 0) telemetry_resume();
        return;
    }
    if (v >= VEC_IRQ_FIRST && v <= VEC_IRQ_LAST) {   /* a device (kernel/irq.c) */
        irq_dispatch((uint32_t)v);
        return;
    }
    if (v >= 0x20 && v < 0x30) return;   /* stray 8259 interrupt (masked; no EOI to the LAPIC) */
    lapic_eoi();
}

TORO_SYM(isr_dispatch);
TORO_SYM(panic);
TORO_SYM(exception_report);
TORO_SYM(backtrace_from);
TORO_SYM(cpu_setup);
