/* kmain: the boot core's C entry; ap_main: every other core's. */
#include <toro/thread.h>
#include <toro/irq.h>
#include <toro/virtio.h>
#include <toro/socket.h>

struct boot_info boot_info;
static char cmdline_buf[512];

#define TRAMPOLINE_PAGE 0x8000

/* cmdline_get: the value of the first word key=VALUE of the kernel command
 * line, copied into buf (cut to n-1 bytes, NUL-terminated); NULL when there is
 * none. Words are separated by spaces; no quoting. */
const char *cmdline_get(const char *key, char *buf, size_t n)
{
    size_t kl = strlen(key);
    const char *p = boot_info.cmdline;
    while (p && *p) {
        while (*p == ' ') p++;
        const char *w = p;
        while (*p && *p != ' ') p++;
        if ((size_t)(p - w) > kl && !strncmp(w, key, kl) && w[kl] == '=') {
            size_t vl = (size_t)(p - w) - kl - 1;
            if (vl >= n) vl = n - 1;
            memcpy(buf, w + kl + 1, vl);
            buf[vl] = 0;
            return buf;
        }
    }
    return 0;
}

/* cmdline_uint: key=N as a decimal number; def when absent, empty or not all
 * digits. */
uint64_t cmdline_uint(const char *key, uint64_t def)
{
    char b[32];
    if (!cmdline_get(key, b, sizeof b) || !b[0]) return def;
    uint64_t v = 0;
    for (const char *p = b; *p; p++) {
        if (*p < '0' || *p > '9') return def;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* parse_start_info: reads the PVH start_info (magic, command line, RSDP) into
 * boot_info and the options that the rest of boot needs (telemetry rate and
 * backoff, idle=poll), with their bounds. Boot core, before mm_init_from: the
 * command line is copied out of memory the allocator may hand out. */
static void parse_start_info(uint64_t si)
{
    boot_info.cmdline = "";
    if (!si || *(uint32_t *)si != 0x336ec578) {
        kprintf("toro: warning: no PVH start info (magic %x)\n", si ? *(uint32_t *)si : 0);
        return;
    }
    uint64_t cl = *(uint64_t *)(si + 24);
    if (cl) {
        strncpy0(cmdline_buf, (const char *)cl, sizeof cmdline_buf);
        boot_info.cmdline = cmdline_buf;
    }
    boot_info.rsdp = *(uint64_t *)(si + 32);
    boot_info.telemetry_hz = (uint32_t)cmdline_uint("telemetry", 10);
    if (boot_info.telemetry_hz > 1000) boot_info.telemetry_hz = 1000;
    boot_info.telemetry_idle_ms = (uint32_t)cmdline_uint("telemetry_idle", 5000);
    if (boot_info.telemetry_idle_ms > 3600000) boot_info.telemetry_idle_ms = 3600000;
    char b[16];
    boot_info.idle_poll = cmdline_get("idle", b, sizeof b) && !strncmp(b, "poll", 5);
}

/* ---------------------------------------------------------------- SMP */
/* TCG resets an AP's TSC at INIT. While the boot core waits for the APs it
 * answers TSC requests, one request slot per AP: an AP asks, the boot core
 * replies with its TSC, and the AP sets its own TSC (MSR 0x10) from the reply
 * of its shortest round trip, assumed to be read halfway through it. */
static volatile uint64_t tsc_beacon;
static struct { volatile uint32_t req, ack; volatile uint64_t reply; } __attribute__((aligned(64)))
    tsc_slot[TORO_MAX_CPUS];
extern uint64_t boot_entry_tsc;

/* tsc_serve: answers every pending AP TSC request with this core's TSC (the
 * boot core, while it waits for the APs: see wait_publishing). */
static void tsc_serve(void)
{
    for (uint32_t k = 1; k < TORO_MAX_CPUS; k++) {
        uint32_t r = __atomic_load_n(&tsc_slot[k].req, __ATOMIC_ACQUIRE);
        if (r != tsc_slot[k].ack) {
            tsc_slot[k].reply = rdtsc();
            __atomic_store_n(&tsc_slot[k].ack, r, __ATOMIC_RELEASE);
        }
    }
}

/* tsc_sync_ap: sets this AP's TSC to the boot core's, from the round trip
 * with the shortest time of at most 8 (see the comment above). Called first
 * thing in ap_main, only where the hypervisor does not keep the TSCs in step. */
static void tsc_sync_ap(uint32_t index)
{
    /* Each round trip needs both vCPU threads running at once; on a busy host
     * that can take a scheduler time slice, so the exchange has a 2 ms budget
     * (of this core's TSC) and falls back to the last published boot-core TSC. */
    uint64_t start = rdtsc(), budget = 2 * tsc_khz;
    uint64_t best_rtt = ~0ull, best_off = 0;
    for (int i = 0; i < 8 && rdtsc() - start < budget; i++) {
        uint32_t r = tsc_slot[index].req + 1;
        uint64_t t0 = rdtsc();
        __atomic_store_n(&tsc_slot[index].req, r, __ATOMIC_RELEASE);
        while (__atomic_load_n(&tsc_slot[index].ack, __ATOMIC_ACQUIRE) != r && rdtsc() - start < budget) cpu_pause();
        if (__atomic_load_n(&tsc_slot[index].ack, __ATOMIC_ACQUIRE) != r) break;
        uint64_t reply = tsc_slot[index].reply;
        uint64_t t1 = rdtsc();
        if (t1 - t0 < best_rtt) { best_rtt = t1 - t0; best_off = reply - (t0 + (t1 - t0) / 2); }
        if (i >= 1 && best_rtt < tsc_khz / 50) break;   /* within +-10 us: good enough */
    }
    if (best_rtt != ~0ull) wrmsr(0x10, rdtsc() + best_off);
    else wrmsr(0x10, tsc_beacon);
}

/* wait_publishing: spins for at most us microseconds, or until *counter
 * reaches target (when counter is set), publishing the boot core's TSC and
 * serving the APs' TSC requests meanwhile. Boot core, during SMP start only:
 * the APs it waits for are not yet able to take an IPI, so nothing can halt. */
static void wait_publishing(uint64_t us, volatile uint32_t *counter, uint32_t target)
{
    uint64_t end = rdtsc() + tsc_from_us(us);
    for (;;) {
        uint64_t now = rdtsc();
        tsc_beacon = now;
        tsc_serve();
        if (now >= end) return;
        if (counter && __atomic_load_n(counter, __ATOMIC_ACQUIRE) >= target) return;
    }
}

/* INIT goes out before the timer calibration, so that whatever time the
 * calibration takes counts towards the INIT-to-SIPI delay. */
static uint64_t init_sent_tsc;

/* smp_send_init: INIT to every application core listed by platform_discover.
 * Boot core only, after lapic_init. */
static void smp_send_init(void)
{
    for (uint32_t i = 1; i < platform.ncpus; i++) lapic_send_init(platform.apic_ids[i]);
    init_sent_tsc = rdtsc();
}

/* smp_start_aps: start every application core (SIPI to the trampoline) and
 * wait until each started one is online, answering their TSC requests
 * meanwhile. Boot core only, after smp_send_init and timer_calibrate; returns
 * after at most about 6 s even if cores never come up (with a warning).
 * The delays of the MP start-up protocol exist for hardware, where an INIT
 * takes time to settle and a SIPI can be lost:
 * - under KVM and QEMU's TCG (hypervisor_kind) neither happens: both latch a
 *   SIPI that arrives while the INIT is still pending and act on the INIT
 *   first (KVM's in-kernel LAPIC handles its latched INIT, then the SIPI, in
 *   one pass; QEMU handles CPU_INTERRUPT_INIT before the SIPI and keeps a
 *   pending SIPI across the INIT's reset), and a SIPI is never dropped. So
 *   no INIT-to-SIPI delay and no second SIPI: that saves the fixed 200 us
 *   after the SIPI and, now that the calibration no longer hides it behind
 *   a 5 ms window, the 200 us before it.
 * - under another hypervisor, 200 us after INIT (it takes INIT at once, as
 *   Linux assumes for modern CPUs) and a second SIPI after 200 us to the
 *   cores not yet started;
 * - on hardware, the MP specification's 10 ms INIT-to-SIPI delay, then the
 *   same. */
void smp_start_aps(void)
{
    uint32_t n = platform.ncpus;
    if (n <= 1) return;
    memcpy((void *)TRAMPOLINE_PAGE, tramp_start, (size_t)(tramp_end - tramp_start));
    int hv = hypervisor_kind();
    bool emulated_apic = hv == HV_KVM || hv == HV_TCG;
    uint64_t need = emulated_apic ? 0 : hv == HV_OTHER ? 200 : 10000;
    uint64_t since = tsc_to_us(rdtsc() - init_sent_tsc);
    if (since < need) wait_publishing(need - since, 0, 0);
    for (uint32_t i = 1; i < n; i++) lapic_send_sipi(platform.apic_ids[i], TRAMPOLINE_PAGE >> 12);
    if (!emulated_apic) {
        wait_publishing(200, &ap_started, n - 1);
        if (__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) < n - 1) {
            for (uint32_t i = 1; i < n; i++) {
                bool up = false;   /* arrived, not online: online comes after a TSC sync of up to 2 ms */
                for (uint32_t k = 1; k < TORO_MAX_CPUS; k++)
                    if (__atomic_load_n(&cpus[k].arrived, __ATOMIC_ACQUIRE) && cpus[k].apic_id == platform.apic_ids[i])
                        up = true;
                if (!up) lapic_send_sipi(platform.apic_ids[i], TRAMPOLINE_PAGE >> 12);
            }
        }
    }
    wait_publishing(3000000, &ap_started, n - 1);
    uint32_t got = __atomic_load_n(&ap_started, __ATOMIC_ACQUIRE);
    if (got < n - 1) kprintf("toro: warning: %u of %u application cores started\n", got, n - 1);
    /* wait until each started core is online (its per-CPU data is set up) */
    for (uint32_t k = 1; k <= got; k++) wait_publishing(3000000, &cpus[k].online, 1);
}

/* enable_sse: CR0 (EM off, MP on, NE on) and CR4 (OSFXSR, OSXMMEXCPT), so
 * that an SSE instruction runs instead of raising #UD. The kernel's own C is
 * built with -mgeneral-regs-only and saves no vector state on a switch. Every
 * core, at start. */
static void enable_sse(void)
{
    uint64_t cr0, cr4;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(1ull << 2)) | (1ull << 1) | (1ull << 5);
    __asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= (1ull << 9) | (1ull << 10);
    __asm__ volatile("mov %0, %%cr4" :: "r"(cr4));
}

/* ap_main: an application core's C entry, called by the trampoline with its
 * cpus[] index (order of arrival, from 1). Takes the boot core's TSC unless the
 * hypervisor keeps the TSCs in step, sets up its per-CPU data, scheduler and
 * LAPIC, marks itself online and runs the idle loop; never returns. */
void ap_main(uint32_t index)
{
    if (index >= TORO_MAX_CPUS) for (;;) __asm__ volatile("cli; hlt");
    cpus[index].apic_id = lapic_id();
    __atomic_store_n(&cpus[index].arrived, 1, __ATOMIC_RELEASE);
    /* Only where the hypervisor does not guarantee it: under nested KVM the
     * exchange never got a round trip within +-10 us and always ran its whole
     * 2 ms budget, only to write a TSC that KVM already had in step. */
    if (!tsc_synced_by_hypervisor) tsc_sync_ap(index);
    struct cpu *c = &cpus[index];
    c->index = index;
    cpu_setup(c);
    enable_sse();
    sched_init_cpu(c);
    lapic_init();
    __atomic_store_n(&c->online, 1, __ATOMIC_RELEASE);
    kprintf("toro: cpu %u online\n", index);
    __atomic_fetch_add(&sched_cpus_running, 1, __ATOMIC_SEQ_CST);
    sched_idle_loop();
}

/* fault=ud|pf|stack|panic on the command line: a deliberate crash on the last core
 * after boot, to check the exception report, the stop of the other cores and
 * the exit status 2. */
static int __attribute__((noinline)) overflow(volatile char *prev, int depth)
{
    volatile char frame[512];
    if (depth > (1 << 20)) return 0;   /* never reached: the guard page comes first */
    frame[0] = (char)depth;
    frame[511] = prev ? prev[0] : 0;
    return overflow(frame, depth + 1) + frame[511];
}

/* fault_thread: the deliberate crash named by fault= (ud, stack, pf, panic),
 * 20 ms after it starts; never returns. */
static void fault_thread(void *arg)
{
    const char *what = arg;
    thread_sleep_ms(20);
    if (!strncmp(what, "ud", 3)) __asm__ volatile("ud2");
    if (!strncmp(what, "stack", 6)) overflow(0, 0);   /* runs into the guard page */
    if (!strncmp(what, "pf", 3)) {
        volatile uint64_t *p = (volatile uint64_t *)stack_guard_for_slot((uint32_t)(thread_self() - toro_threads));
        (void)*p;
    }
    panic("deliberate panic (fault=%s)", what);
}

/* app_thread: starts the network stack when a driver registered a device
 * (here, not in kmain, so that the drivers' start-up in kmain stays theirs),
 * then runs the application. Core 0. */
static void app_thread(void *arg)
{
    (void)arg;
    net_init();
    app_main();
}

/* kmain: boot core's C entry from boot.asm with the PVH start_info address:
 * console, memory, platform discovery, LAPIC/IOAPIC, timer calibration, the
 * other cores, telemetry, the "ready" and boot-phase lines, app_main's thread;
 * then this core's idle loop. Never returns. */
void kmain(uint64_t start_info)
{
    struct cpu *c = &cpus[0];
    c->index = 0;
    cpu_setup(c);
    idt_init();
    enable_sse();
    console_init();
    parse_start_info(start_info);
    kprintf("toro: booting %s, cmdline \"%s\"\n", TORO_VERSION, boot_info.cmdline);
    mm_init_from(start_info);
    uint64_t memory_tsc = rdtsc();
    platform_discover();
    c->apic_id = lapic_id();
    sched_init_cpu(c);
    pic_pit_disable();
    lapic_init();
    ioapic_init();
    smp_send_init();
    timer_calibrate();
    uint64_t timer_tsc = rdtsc();
    stacks_init();
    kprintf("toro: %lu MiB RAM, %lu MiB free, %u cores (%s)\n", boot_info.ram_bytes >> 20,
            page_free_count() >> 8, platform.ncpus, platform.source);
    if (platform.dropped_cpus)
        kprintf("toro: warning: %u more cores than this build's TORO_MAX_CPUS (%u) stay halted; "
                "raise it in toro.build's [flags] defines to use them\n", platform.dropped_cpus, TORO_MAX_CPUS);
    toro_ncpus = platform.ncpus;
    c->online = 1;
    kprintf("toro: cpu 0 online\n");
    smp_start_aps();
    toro_ncpus = 1 + __atomic_load_n(&ap_started, __ATOMIC_ACQUIRE);
    if (toro_ncpus > platform.ncpus) toro_ncpus = platform.ncpus;
    __atomic_fetch_add(&sched_cpus_running, 1, __ATOMIC_SEQ_CST);
    uint64_t end = rdtsc() + tsc_from_us(3000000);
    while (__atomic_load_n(&sched_cpus_running, __ATOMIC_ACQUIRE) < toro_ncpus && rdtsc() < end) cpu_pause();
    uint64_t smp_tsc = rdtsc();
    telemetry_init();
    /* devices after the cores: a driver starts its threads and routes its
     * interrupt to an online core */
    pci_scan();
    virtio_probe();
    uint64_t ready_tsc = rdtsc();
    kprintf("toro: ready cpus=%u\n", toro_ncpus);
    /* Offsets from the kernel's entry, not absolute TSC values: KVM does not
     * reset the TSC at VM start (TCG does), so only differences mean the same
     * under both. The time before entry (QEMU, firmware) is the host's to measure. */
    kprintf("toro: boot phases us since kernel entry: memory %lu, timer %lu, smp %lu, ready %lu\n",
            tsc_to_us(memory_tsc - boot_entry_tsc), tsc_to_us(timer_tsc - boot_entry_tsc),
            tsc_to_us(smp_tsc - boot_entry_tsc), tsc_to_us(ready_tsc - boot_entry_tsc));
    if (app_main) {
        thread_t *a = thread_create_on(0, app_thread, 0, "app_main");
        if (a) thread_detach(a);
    }
    static char fault_buf[16];
    if (cmdline_get("fault", fault_buf, sizeof fault_buf))
        thread_detach(thread_create_on(toro_ncpus - 1, fault_thread, fault_buf, "fault"));
    sched_idle_loop();
}

TORO_SYM(kmain);
TORO_SYM(parse_start_info);
TORO_SYM(smp_send_init);
TORO_SYM(ap_main);
TORO_SYM(app_thread);
TORO_SYM(fault_thread);
TORO_SYM(overflow);
TORO_SYM(smp_start_aps);
