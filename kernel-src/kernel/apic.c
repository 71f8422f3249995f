/* Local APIC, IOAPIC, legacy PIC/PIT shutdown, TSC and LAPIC timer calibration. */
#include <toro/kernel.h>

uint64_t tsc_khz;
uint64_t lapic_khz;
static const char *tsc_source = "?";

#define LAPIC_ID      0x020
#define LAPIC_TPR     0x080
#define LAPIC_EOI     0x0B0
#define LAPIC_SVR     0x0F0
#define LAPIC_ICR_LO  0x300
#define LAPIC_ICR_HI  0x310
#define LAPIC_LVT_TMR 0x320
#define LAPIC_LINT0   0x350
#define LAPIC_LINT1   0x360
#define LAPIC_LVT_ERR 0x370
#define LAPIC_TMR_INIT 0x380
#define LAPIC_TMR_CUR  0x390
#define LAPIC_TMR_DIV  0x3E0

static inline uint32_t lr(uint32_t reg) { return *(volatile uint32_t *)(platform.lapic_base + reg); }
static inline void lw(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(platform.lapic_base + reg) = v; }

uint32_t lapic_id(void) { return lr(LAPIC_ID) >> 24; }
void lapic_eoi(void) { lw(LAPIC_EOI, 0); }

void lapic_init(void)
{
    uint64_t base = rdmsr(0x1B);
    wrmsr(0x1B, base | (1 << 11));           /* global enable */
    lw(LAPIC_TPR, 0);
    lw(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
    lw(LAPIC_LINT0, 1 << 16);                /* masked: the 8259 is off */
    if (this_cpu()->index == 0) lw(LAPIC_LINT1, 4 << 8);   /* NMI */
    else lw(LAPIC_LINT1, 1 << 16);
    lw(LAPIC_LVT_ERR, 1 << 16);
    lw(LAPIC_TMR_DIV, 0x3);                  /* divide by 16 */
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER); /* one-shot, masked until armed */
    lw(LAPIC_TMR_INIT, 0);
    lapic_eoi();
}

static void icr_wait(void)
{
    for (int i = 0; i < 1000000 && (lr(LAPIC_ICR_LO) & (1 << 12)); i++) cpu_pause();
}

static void icr_send(uint32_t apic, uint32_t lo)
{
    uint64_t f = irq_save();
    icr_wait();
    lw(LAPIC_ICR_HI, apic << 24);
    lw(LAPIC_ICR_LO, lo);
    icr_wait();
    irq_restore(f);
}

void lapic_send_ipi(uint32_t apic, uint32_t vector) { icr_send(apic, vector | (1 << 14)); }
void lapic_send_init(uint32_t apic) { icr_send(apic, (5 << 8) | (1 << 14)); }
void lapic_send_sipi(uint32_t apic, uint32_t page) { icr_send(apic, (6 << 8) | (1 << 14) | (page & 0xFF)); }
void lapic_send_nmi_others(void)
{
    /* no wait for delivery: the other cores may be wedged */
    lw(LAPIC_ICR_HI, 0);
    lw(LAPIC_ICR_LO, (4 << 8) | (1 << 14) | (3 << 18));  /* NMI, all excluding self */
}

/* Arm the one-shot timer for an absolute TSC deadline (0 = disarm). */
void lapic_timer_arm(uint64_t deadline)
{
    struct cpu *c = this_cpu();
    c->armed_deadline = deadline;
    if (!deadline) {
        lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
        lw(LAPIC_TMR_INIT, 0);
        return;
    }
    uint64_t now = rdtsc();
    uint64_t delta = deadline > now ? deadline - now : 0;
    uint64_t count = delta / 1000 * lapic_khz / tsc_khz * 1000 + (delta % 1000) * lapic_khz / tsc_khz;
    if (count == 0) count = 1;
    if (count > 0xFFFFFFFFull) count = 0xFFFFFFFFull;
    lw(LAPIC_LVT_TMR, VEC_TIMER);
    lw(LAPIC_TMR_INIT, (uint32_t)count);
}

void delay_us(uint64_t us)
{
    uint64_t end = rdtsc() + tsc_from_us(us);
    while (rdtsc() < end) cpu_pause();
}

void pic_pit_disable(void)
{
    /* remap the 8259s to 0x20..0x2F (away from exceptions), then mask all */
    outb(0x20, 0x11); outb(0xA0, 0x11);
    outb(0x21, 0x20); outb(0xA1, 0x28);
    outb(0x21, 0x04); outb(0xA1, 0x02);
    outb(0x21, 0x01); outb(0xA1, 0x01);
    outb(0x21, 0xFF); outb(0xA1, 0xFF);
    /* PIT channel 0: mode 0, no count written -> no more periodic IRQ 0 */
    outb(0x43, 0x30);
}

/* ---------------------------------------------------------------- IOAPIC */
static void ioapic_write(uint32_t reg, uint32_t v)
{
    volatile uint32_t *io = (volatile uint32_t *)platform.ioapic_base;
    io[0] = reg;
    io[4] = v;
}
static uint32_t ioapic_read(uint32_t reg)
{
    volatile uint32_t *io = (volatile uint32_t *)platform.ioapic_base;
    io[0] = reg;
    return io[4];
}

void ioapic_init(void)
{
    if (!platform.have_ioapic) return;
    uint32_t n = ((ioapic_read(1) >> 16) & 0xFF) + 1;
    for (uint32_t i = 0; i < n; i++) {       /* every input masked: no device IRQs used */
        ioapic_write(0x10 + 2 * i, 1 << 16);
        ioapic_write(0x11 + 2 * i, 0);
    }
}

/* ---------------------------------------------------------------- calibration */
/* PIT channel 2, gated through port 0x61, one-shot of `ticks` at 1.193182 MHz.
 * Returns the TSC cycles elapsed, or 0 if the PIT does not count. */
static uint32_t pit_lapic0, pit_lapic1;   /* LAPIC timer counts over the same window */

static uint64_t pit_measure(uint32_t ticks)
{
    uint8_t p61 = inb(0x61);
    if (p61 == 0xFF) return 0;
    outb(0x61, (p61 & ~0x02) | 0x01);       /* gate on, speaker off */
    outb(0x43, 0xB0);                        /* ch2, lo/hi, mode 0 */
    outb(0x42, ticks & 0xFF);
    outb(0x42, ticks >> 8);
    uint8_t v = inb(0x61);
    outb(0x61, v & ~0x01);                   /* restart the count */
    outb(0x61, v | 0x01);
    pit_lapic0 = lr(LAPIC_TMR_CUR);
    uint64_t t0 = rdtsc();
    uint64_t limit = t0 + 20000000000ull;    /* sanity bound */
    uint32_t spins = 0;
    while (!(inb(0x61) & 0x20)) {
        if (++spins > 50000000 || rdtsc() > limit) return 0;
    }
    uint64_t t1 = rdtsc();
    pit_lapic1 = lr(LAPIC_TMR_CUR);
    outb(0x61, p61);
    return t1 - t0;
}

/* Measure the LAPIC timer against the TSC over `us` microseconds. */
static uint64_t lapic_count_over_tsc(uint64_t tsc_cycles)
{
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
    lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
    uint64_t t0 = rdtsc();
    uint32_t c0 = lr(LAPIC_TMR_CUR);
    while (rdtsc() - t0 < tsc_cycles) cpu_pause();
    uint32_t c1 = lr(LAPIC_TMR_CUR);
    uint64_t t1 = rdtsc();
    lw(LAPIC_TMR_INIT, 0);
    /* scale to exactly tsc_cycles */
    return (uint64_t)(c0 - c1) * tsc_cycles / (t1 - t0);
}

void timer_calibrate(void)
{
    uint32_t r[4];
    /* 1: PIT channel 2 (pc, q35, microvm with its PIT) over 10 ms; the LAPIC
     * timer runs free over the same window */
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
    lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
    uint64_t cyc = pit_measure(11932);
    lw(LAPIC_TMR_INIT, 0);
    if (cyc) {
        tsc_khz = cyc * 1193182ull / 11932ull / 1000ull;
        lapic_khz = (uint64_t)(pit_lapic0 - pit_lapic1) * 1193182ull / 11932ull / 1000ull;
        tsc_source = "pit";
    }
    if (!tsc_khz || tsc_khz < 50000 || tsc_khz > 20000000) {
        tsc_khz = 0;
        /* 2: CPUID 0x15 (crystal ratio) or 0x16 (base MHz) */
        cpuid(0, 0, r);
        uint32_t max = r[0];
        if (max >= 0x15) {
            cpuid(0x15, 0, r);
            if (r[0] && r[1] && r[2]) { tsc_khz = (uint64_t)r[2] / 1000 * r[1] / r[0]; tsc_source = "cpuid15"; }
        }
        if (!tsc_khz && max >= 0x16) {
            cpuid(0x16, 0, r);
            if (r[0]) { tsc_khz = (uint64_t)r[0] * 1000; tsc_source = "cpuid16"; }
        }
        /* 3: hypervisor timing leaf 0x40000010 (TSC kHz, APIC bus kHz) */
        if (!tsc_khz) {
            cpuid(0x40000000, 0, r);
            if (r[0] >= 0x40000010 && r[0] < 0x40010000) {
                cpuid(0x40000010, 0, r);
                if (r[0]) { tsc_khz = r[0]; tsc_source = "cpuid40000010"; }
            }
        }
        /* 4: last resort, QEMU-specific: its LAPIC timer counts at 1 GHz
         * before the divider (QEMU 7.2), so measure the TSC against it. */
        if (!tsc_khz) {
            lw(LAPIC_TMR_DIV, 0x3);
            lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
            lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
            uint32_t c0 = lr(LAPIC_TMR_CUR);
            uint64_t t0 = rdtsc();
            while (c0 - lr(LAPIC_TMR_CUR) < 625000) cpu_pause();   /* 10 ms at 62.5 MHz */
            uint64_t t1 = rdtsc();
            uint32_t c1 = lr(LAPIC_TMR_CUR);
            lw(LAPIC_TMR_INIT, 0);
            uint64_t ns = (uint64_t)(c0 - c1) * 16;
            tsc_khz = (t1 - t0) * 1000000ull / ns;
            lapic_khz = 62500;
            tsc_source = "lapic-assumed-1GHz";
        }
    }
    if (!lapic_khz) {
        /* LAPIC timer (after divide-by-16) against the now known TSC: 5 ms */
        lapic_khz = lapic_count_over_tsc(tsc_khz * 5) / 5;
        if (!lapic_khz) lapic_khz = 62500;
    }
    kprintf("toro: tsc %lu kHz (%s), lapic timer %lu kHz\n", tsc_khz, tsc_source, lapic_khz);
}
