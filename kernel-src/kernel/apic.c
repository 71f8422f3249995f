/* Local APIC, legacy PIC/PIT shutdown, TSC and LAPIC timer calibration. */
#include <toro/kernel.h>

uint64_t tsc_khz;
uint64_t lapic_khz;
bool tsc_synced_by_hypervisor;
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

/* take_w: the tightest of 8 bracketed reads of a reference counter; the stamp
 * is the bracket's midpoint, *width_out its width in TSC ticks. */
static struct stamp take_w(uint32_t (*read)(void), uint64_t *width_out)
{
    struct stamp best = { 0, 0 };
    uint64_t width = ~0ull;
    for (int i = 0; i < 8; i++) {
        uint64_t a = rdtsc();
        uint32_t v = read();
        uint64_t b = rdtsc();
        if (b - a < width) { width = b - a; best.tsc = a + (b - a) / 2; best.val = v; }
    }
    *width_out = width;
    return best;
}

/* take: take_w without the width. */
static struct stamp take(uint32_t (*read)(void))
{
    uint64_t w;
    return take_w(read, &w);
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

/* Measure the LAPIC timer (divide-by-16, running free from 0xFFFFFFFF)
 * against the TSC. Returns the LAPIC ticks counted and sets *tsc_out to the
 * TSC ticks over the same window; 0 if the timer did not move.
 * The window is not fixed: it ends as soon as the error bound is below 0.1%,
 * or at max_lapic LAPIC ticks, or at max_tsc TSC ticks (0 = no TSC bound).
 * The error of one stamp is at most half its bracket (the read happened
 * somewhere inside it), so the bound is (half of both widths) / window, a
 * ratio of TSC ticks that needs no known frequency; at least 2000 LAPIC
 * ticks are counted so their granularity stays under 0.05% too. 0.1% is
 * far inside what the timers need: a LAPIC/TSC ratio off by 0.1% makes a
 * 10 ms sleep's interrupt 10 us late, or early, which the scheduler
 * re-arms for (it compares the deadline with the TSC). Under TCG on this
 * project's 2-core host a bracket was 200-400 TSC ticks, so the window
 * ended after 5000-9000 LAPIC ticks (80-145 us instead of the former fixed
 * 5 ms) and the TSC came within 0.012% of kvmclock's figure for the same
 * host. A host preemption inside the window costs nothing (both counters
 * keep running); one inside a bracket widens it, and take_w keeps the
 * tightest of its 8 tries, or the window grows to keep the bound. */
static uint32_t lapic_measure(uint32_t max_lapic, uint64_t max_tsc, uint64_t *tsc_out)
{
    lw(LAPIC_TMR_DIV, 0x3);
    lw(LAPIC_LVT_TMR, (1 << 16) | VEC_TIMER);
    lw(LAPIC_TMR_INIT, 0xFFFFFFFF);
    uint64_t wa, wb;
    struct stamp a = take_w(lapic_cur_read, &wa), b;
    /* the loop bound only matters for a timer that never moves */
    for (uint32_t i = 0;; i++) {
        b = take_w(lapic_cur_read, &wb);
        uint32_t ticks = a.val - b.val;
        uint64_t dt = b.tsc - a.tsc;
        if (ticks >= max_lapic || (max_tsc && dt >= max_tsc) || i >= 1000000) break;
        if (ticks >= 2000 && (wa + wb) / 2 * 1000 <= dt) break;
    }
    lw(LAPIC_TMR_INIT, 0);
    *tsc_out = b.tsc - a.tsc;
    return a.val - b.val;
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

/* ---------------------------------------------------------------- kvmclock */
/* The pvclock_vcpu_time_info record KVM fills in guest memory (the KVM
 * documentation's Documentation/virt/kvm/x86/msr.rst, MSR_KVM_SYSTEM_TIME_NEW):
 * guest time in ns = system_time + scaled(tsc - tsc_timestamp), where
 * scaled(d) = ((d << tsc_shift, or >> -tsc_shift when negative) * mul) >> 32.
 * 32 bytes; aligned to 32 so it never straddles a page (older KVMs map only
 * the page the address is in). The kernel is identity mapped (kernel.ld: loaded
 * at 1 MiB, physical = virtual), so its address is its physical address. */
struct pvclock_time {
    uint32_t version;        /* odd while KVM updates the record */
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad[2];
} __attribute__((packed));
_Static_assert(sizeof(struct pvclock_time) == 32, "pvclock_vcpu_time_info is 32 bytes");
static struct pvclock_time kvmclock_area __attribute__((aligned(32)));

#define MSR_KVM_SYSTEM_TIME_OLD 0x12          /* KVM_FEATURE_CLOCKSOURCE, bit 0 */
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01    /* KVM_FEATURE_CLOCKSOURCE2, bit 3 */

/* hypervisor_kind: what CPUID says this kernel runs on. HV_NONE when
 * CPUID.1:ECX[31] is clear (bare metal, or a hypervisor that hides itself);
 * else HV_KVM for the signature "KVMKVMKVM\0\0\0" at CPUID 0x40000000, HV_TCG
 * for QEMU's "TCGTCGTCGTCG", HV_OTHER for any other. Cached after the first
 * call; callable on any core (CPUID is the same on all). */
int hypervisor_kind(void)
{
    static int kind = -1;
    if (kind >= 0) return kind;
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!((r[2] >> 31) & 1)) return kind = HV_NONE;
    cpuid(0x40000000, 0, r);
    char sig[13];
    memcpy(sig, &r[1], 4);
    memcpy(sig + 4, &r[2], 4);
    memcpy(sig + 8, &r[3], 4);
    sig[12] = 0;
    /* compared as 12 bytes: KVM pads its 9 letters with NULs */
    if (!memcmp(sig, "KVMKVMKVM\0\0\0", 12)) return kind = HV_KVM;
    if (!memcmp(sig, "TCGTCGTCGTCG", 12)) return kind = HV_TCG;
    return kind = HV_OTHER;
}

/* kvmclock_calibrate: the TSC kHz from KVM's clock record, 0 when KVM offers
 * no kvmclock. Precondition: hypervisor_kind() == HV_KVM, boot core. Registers
 * kvmclock_area for this core (bit 0 of the MSR value = enable), reads the
 * TSC-to-ns scale and the flags under the version protocol (sets
 * tsc_synced_by_hypervisor from the flags), and unregisters it again (MSR
 * value 0): nothing else reads the record, and KVM must not keep writing into
 * kernel memory. KVM fills the record before the vCPU runs again after the
 * MSR write, so the first read normally succeeds; the bound on the retries
 * only guards against a KVM that never does. */
static uint64_t kvmclock_calibrate(void)
{
    uint32_t r[4];
    cpuid(0x40000000, 0, r);
    /* eax = highest hypervisor leaf; old KVMs return 0 there, meaning 0x40000001 */
    if (r[0] && r[0] < 0x40000001) return 0;
    cpuid(0x40000001, 0, r);
    uint32_t msr;
    if (r[0] & (1u << 3)) msr = MSR_KVM_SYSTEM_TIME_NEW;
    else if (r[0] & (1u << 0)) msr = MSR_KVM_SYSTEM_TIME_OLD;
    else return 0;
    volatile struct pvclock_time *pv = &kvmclock_area;
    memset(&kvmclock_area, 0, sizeof kvmclock_area);
    wrmsr(msr, (uint64_t)(uintptr_t)&kvmclock_area | 1);
    uint32_t mul = 0;
    int8_t shift = 0;
    uint8_t flags = 0;
    for (int tries = 0; tries < 100000; tries++) {
        uint32_t v0 = pv->version;
        barrier();       /* x86 keeps loads in order; only the compiler could move them */
        mul = pv->tsc_to_system_mul;
        shift = pv->tsc_shift;
        flags = pv->flags;
        barrier();
        uint32_t v1 = pv->version;
        if (v0 && !(v0 & 1) && v0 == v1) break;
        mul = 0;
        cpu_pause();
    }
    wrmsr(msr, 0);
    if (!mul || shift < -10 || shift > 10) return 0;
    /* PVCLOCK_TSC_STABLE_BIT: KVM keeps all vCPUs' TSCs on one offset (its
     * master clock), and an INIT does not change a vCPU's TSC under KVM */
    tsc_synced_by_hypervisor = flags & 1;
    /* ns per TSC tick = mul * 2^shift / 2^32, so
     * kHz = 10^6 * 2^32 / (mul * 2^shift). 10^6 * 2^32 < 2^52, so up to 10 left
     * shifts fit in 64 bits before the division; rounded to the nearest kHz. */
    uint64_t num = 1000000ull << 32;
    if (shift < 0) num <<= -shift;
    uint64_t khz = (num + mul / 2) / mul;
    if (shift > 0) khz = (khz + (1ull << (shift - 1))) >> shift;
    tsc_source = "kvmclock";
    return khz;
}

/* Calibrate the TSC and the LAPIC timer; sets tsc_khz and lapic_khz and prints
 * the source. Precondition: lapic_init ran on the boot core. Order:
 * 1. CPUID timing leaves (0x40000010, 0x15, 0x16);
 * 2. under KVM, kvmclock's TSC scale;
 * 3. the PIT, only where CPUID.1:ECX[31] says there is no hypervisor (bare
 *    metal): under a hypervisor each PIT access is a trap and the PIT is often
 *    absent (microvm, pit=off);
 * 4. last, the TSC measured against the LAPIC timer's 1 GHz base, with the
 *    short adaptive window of lapic_measure.
 * The LAPIC rate: from the leaf or the PIT run when they give it; under KVM or
 * QEMU's TCG known without measuring: KVM's in-kernel LAPIC and QEMU's
 * emulated one (hw/intc/apic_common.c counts in QEMU_CLOCK_VIRTUAL ns) both
 * count at 1 GHz before the divider, 62.5 MHz after divide-by-16. Else it is
 * measured against the now known TSC. */
void timer_calibrate(void)
{
    static const uint64_t lo = 50000, hi = 20000000;
    int hv = hypervisor_kind();
    tsc_khz = cpuid_calibrate(&lapic_khz);
    if (hv == HV_KVM && (tsc_khz < lo || tsc_khz > hi)) tsc_khz = kvmclock_calibrate();
    if (hv == HV_NONE && (tsc_khz < lo || tsc_khz > hi)) {
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
    if ((hv == HV_KVM || hv == HV_TCG) && (!lapic_khz || lapic_khz > 10000000)) lapic_khz = 62500;
    if (tsc_khz < lo || tsc_khz > hi) {
        /* the LAPIC timer counts at 1 GHz before the divider (QEMU and KVM;
         * an assumption elsewhere), i.e. 16 ns per tick after divide-by-16;
         * at most 5 ms (312500 ticks). */
        uint64_t dt;
        uint32_t ticks = lapic_measure(312500, 0, &dt);
        if (!ticks) panic("no PIT, no timing leaf and a LAPIC timer that does not count");
        tsc_khz = dt * 62500ull / ticks;
        lapic_khz = 62500;
        tsc_source = "lapic-assumed-1GHz";
    }
    if (!lapic_khz || lapic_khz > 10000000) {
        /* the TSC is known here: at most 5 ms of it */
        uint64_t dt;
        uint32_t ticks = lapic_measure(0xFFFFFFFF, tsc_khz * 5, &dt);
        lapic_khz = dt ? (uint64_t)ticks * tsc_khz / dt : 0;
    }
    if (!lapic_khz) lapic_khz = 62500;
    kprintf("toro: tsc %lu kHz (%s), lapic timer %lu kHz\n", tsc_khz, tsc_source, lapic_khz);
}

TORO_SYM(lapic_init);
TORO_SYM(lapic_timer_arm);
TORO_SYM(lapic_send_ipi);
TORO_SYM(timer_calibrate);
TORO_SYM(delay_us);
TORO_SYM(hypervisor_kind);
TORO_SYM(kvmclock_calibrate);
TORO_SYM(lapic_measure);
