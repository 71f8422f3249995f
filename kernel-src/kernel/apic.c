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
    if (delta > (1ull << 40)) delta = 1ull << 40;            /* no overflow below */
    uint64_t count = (delta * lapic_khz + tsc_khz - 1) / tsc_khz; /* rounded up: never early */
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
/* Under TCG on a busy host the vCPU thread can be descheduled for milliseconds
 * at any point, so every reading of a reference counter is bracketed by two
 * TSC reads; the tightest of several brackets is kept. */
struct stamp { uint64_t tsc; uint32_t val; };

static uint32_t pit2_read(void)
{
    outb(0x43, 0x80);                        /* latch channel 2 */
    uint32_t lo = inb(0x42), hi = inb(0x42);
    return (hi << 8) | lo;
}
static uint32_t lapic_cur_read(void) { return lr(LAPIC_TMR_CUR); }

static struct stamp take(uint32_t (*read)(void))
{
    struct stamp best = { 0, 0 };
    uint64_t width = ~0ull;
    for (int i = 0; i < 8; i++) {
        uint64_t a = rdtsc();
        uint32_t v = read();
        uint64_t b = rdtsc();
        if (b - a < width) { width = b - a; best.tsc = a + (b - a) / 2; best.val = v; }
    }
    return best;
}

/* PIT channel 2 counting down from 0xFFFF (mode 0, gate on, speaker off):
 * returns the TSC frequency in kHz, 0 if there is no working PIT. The LAPIC
 * timer, running free, is stamped over the same window. */
static uint64_t pit_calibrate(uint64_t *lapic_out)
{
    uint8_t p61 = inb(0x61);
    if (p61 == 0xFF) return 0;
    outb(0x61, (p61 & ~0x02) | 0x01);
    outb(0x43, 0xB0);                        /* ch2, lo/hi, mode 0 */
    outb(0x42, 0xFF);
    outb(0x42, 0xFF);
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
    lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
    struct stamp p0 = take(pit2_read), l0 = take(lapic_cur_read);
    /* wait for 5 ms of PIT ticks (5966), with a bound in case it never moves */
    uint32_t spins = 0;
    struct stamp p1;
    for (;;) {
        uint32_t v = pit2_read();
        if (p0.val - v >= 5966 && v < p0.val) break;
        if (++spins > 2000000) { outb(0x61, p61); return 0; }
    }
    p1 = take(pit2_read);
    struct stamp l1 = take(lapic_cur_read);
    lw(LAPIC_TMR_INIT, 0);
    outb(0x61, p61);
    if (p1.val >= p0.val) return 0;
    uint64_t ticks = p0.val - p1.val, dt = p1.tsc - p0.tsc;
    uint64_t khz = dt * 1193182ull / ticks / 1000ull;
    uint64_t dl = (uint64_t)(l0.val - l1.val), dlt = l1.tsc - l0.tsc;
    if (dlt) *lapic_out = dl * khz / dlt;
    return khz;
}

/* PIT channel 0 (for machines without the port 0x61 gate, e.g. microvm):
 * mode 2 from 0xFFFF, read through the latch command; its IRQ 0 stays masked
 * at the 8259/IOAPIC, and the channel is stopped again afterwards. */
static uint32_t pit0_read(void)
{
    outb(0x43, 0x00);                        /* latch channel 0 */
    uint32_t lo = inb(0x40), hi = inb(0x40);
    return (hi << 8) | lo;
}

static uint64_t pit0_calibrate(uint64_t *lapic_out)
{
    outb(0x43, 0x34);                        /* ch0, lo/hi, mode 2 */
    outb(0x40, 0xFF);
    outb(0x40, 0xFF);
    uint32_t a = pit0_read();
    if (a == 0xFFFF && pit0_read() == 0xFFFF && pit0_read() == 0xFFFF) { outb(0x43, 0x30); return 0; }
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
    lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
    struct stamp p0 = take(pit0_read), l0 = take(lapic_cur_read);
    uint32_t spins = 0;
    for (;;) {
        uint32_t v = pit0_read();
        if (v < p0.val && p0.val - v >= 5966) break;
        if (v > p0.val + 16 || ++spins > 2000000) { outb(0x43, 0x30); lw(LAPIC_TMR_INIT, 0); return 0; }
    }
    struct stamp p1 = take(pit0_read), l1 = take(lapic_cur_read);
    lw(LAPIC_TMR_INIT, 0);
    outb(0x43, 0x30);                        /* stop channel 0 again */
    if (p1.val >= p0.val) return 0;
    uint64_t khz = (p1.tsc - p0.tsc) * 1193182ull / (p0.val - p1.val) / 1000ull;
    uint64_t dlt = l1.tsc - l0.tsc;
    if (dlt) *lapic_out = (uint64_t)(l0.val - l1.val) * khz / dlt;
    return khz;
}

/* LAPIC timer against the known TSC over about 5 ms (bracketed stamps). */
static uint64_t lapic_calibrate(void)
{
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
    lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
    struct stamp a = take(lapic_cur_read);
    while (rdtsc() - a.tsc < tsc_khz * 5) cpu_pause();
    struct stamp b = take(lapic_cur_read);
    lw(LAPIC_TMR_INIT, 0);
    return (uint64_t)(a.val - b.val) * tsc_khz / (b.tsc - a.tsc);
}

/* Hypervisor timing before anything else: CPUID 0x40000010 (TSC kHz in eax,
 * APIC bus kHz in ebx) where the hypervisor's leaf range includes it, then
 * CPUID 0x15/0x16. Returns the TSC kHz (0 if none) and sets *lapic_out to the
 * LAPIC bus kHz when the leaf gives it. No port I/O: under KVM every inb is a
 * VM exit, and the PIT loops cost hundreds of milliseconds. */
static uint64_t cpuid_calibrate(uint64_t *lapic_out)
{
    uint32_t r[4];
    cpuid(0x40000000, 0, r);
    if (r[0] >= 0x40000010 && r[0] < 0x40010000) {
        cpuid(0x40000010, 0, r);
        if (r[0]) { *lapic_out = r[1] / 16; /* divide-by-16, see lapic_init */ tsc_source = "cpuid40000010"; return r[0]; }
    }
    cpuid(0, 0, r);
    uint32_t max = r[0];
    if (max >= 0x15) {
        cpuid(0x15, 0, r);
        if (r[0] && r[1] && r[2]) { tsc_source = "cpuid15"; return (uint64_t)r[2] / 1000 * r[1] / r[0]; }
    }
    if (max >= 0x16) {
        cpuid(0x16, 0, r);
        if (r[0]) { tsc_source = "cpuid16"; return (uint64_t)r[0] * 1000; }
    }
    return 0;
}

/* Calibrate the TSC and the LAPIC timer; sets tsc_khz and lapic_khz and prints
 * the source. Precondition: lapic_init ran on the boot core. Order: CPUID
 * timing leaves; the PIT only where CPUID.1:ECX[31] says there is no
 * hypervisor (bare metal, and TCG without the hypervisor bit); last, the
 * LAPIC timer's 1 GHz base (QEMU's emulated and KVM's in-kernel LAPIC both
 * count at 1 GHz), which needs no PIT (microvm with pit=off). */
void timer_calibrate(void)
{
    uint32_t r[4];
    static const uint64_t lo = 50000, hi = 20000000;
    cpuid(1, 0, r);
    int hypervisor = (r[2] >> 31) & 1;
    tsc_khz = cpuid_calibrate(&lapic_khz);
    if (!hypervisor && (tsc_khz < lo || tsc_khz > hi)) {
        /* PIT channel 2 (pc, q35), then channel 0 where the gate is missing (microvm) */
        lapic_khz = 0;
        tsc_khz = pit_calibrate(&lapic_khz);
        if (tsc_khz) tsc_source = "pit";
        if (tsc_khz < lo || tsc_khz > hi) {
            lapic_khz = 0;
            tsc_khz = pit0_calibrate(&lapic_khz);
            if (tsc_khz) tsc_source = "pit0";
        }
    }
    if (tsc_khz < lo || tsc_khz > hi) {
        /* the LAPIC timer counts at 1 GHz before the divider, i.e. 62.5 MHz
         * after divide-by-16; measure the TSC against it over 5 ms. */
        lw(LAPIC_TMR_DIV, 0x3);
        lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
        lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
        struct stamp a = take(lapic_cur_read);
        while (a.val - lr(LAPIC_TMR_CUR) < 312500) cpu_pause();   /* 5 ms */
        struct stamp b = take(lapic_cur_read);
        lw(LAPIC_TMR_INIT, 0);
        uint64_t ns = (uint64_t)(a.val - b.val) * 16;
        tsc_khz = (b.tsc - a.tsc) * 1000000ull / ns;
        lapic_khz = 62500;
        tsc_source = "lapic-assumed-1GHz";
    }
    if (!lapic_khz || lapic_khz > 10000000) lapic_khz = lapic_calibrate();
    if (!lapic_khz) lapic_khz = 62500;
    kprintf("toro: tsc %lu kHz (%s), lapic timer %lu kHz\n", tsc_khz, tsc_source, lapic_khz);
}

TORO_SYM(lapic_init);
TORO_SYM(lapic_timer_arm);
TORO_SYM(lapic_send_ipi);
TORO_SYM(timer_calibrate);
TORO_SYM(ioapic_init);
TORO_SYM(delay_us);
