/* COM2 telemetry, version 2: the format is docs/telemetry.md. Samples are sent
 * by the boot core from its timer interrupt; its one-shot deadline includes the
 * telemetry deadline, so telemetry never wakes it more often than the rate and
 * never wakes another core (their counters are read from memory).
 *
 * Idle backoff (docs/telemetry.md "Idle backoff"). The rule:
 *   - at each sample the sender decides whether the system has been idle since
 *     the previous sample (system_idle() below: every core halted or spinning
 *     in idle, no thread ready, and no core's activity counter, context
 *     switches, IPIs or wake-ups moved, except core 0's one wake-up for the
 *     telemetry timer itself);
 *   - idle: interval = min(2 * interval, ceiling); busy: interval = period;
 *     the next deadline is the previous deadline + interval.
 *   So an idle system is sampled after 100, 200, 400, ... ms, then every 5 s
 *   (telemetry=10, telemetry_idle=5000). A ceiling <= the period (or
 *   telemetry_idle=0) disables the backoff.
 *   - activity while backed off: a core leaving idle (sched.c note_activity)
 *     calls telemetry_activity(); on core 0 that is telemetry_resume() at once,
 *     on another core one VEC_TELEMETRY IPI to core 0, guarded by wake_req so
 *     that there is at most one IPI until core 0 has resumed. telemetry_resume
 *     restores the period and moves the deadline to max(now, last sample +
 *     period): the activity is in a sample within one period, and the stream
 *     never goes faster than the configured rate.
 *   The flag telemetry_backed_off and the cores' activity counters form a
 *   Dekker pair (each side writes its own, full fence, reads the other's): on
 *   an idle sample the sender raises the flag and then checks the counters
 *   again, a core bumps its counter before it reads the flag, so either the
 *   sender sees the activity (busy: full rate) or the core sees the flag and
 *   sends the IPI. */
#include <toro/kernel.h>
#include <toro/netdev.h>

#define TELEMETRY_VERSION 2
/* CONN frames per sample: bounds the time core 0 spends in its timer interrupt
 * and the stream's size (64 * 54 bytes); the rest is counted in SAMPLE_END. */
#define CONN_CAP 64

uint64_t telemetry_deadline;
volatile uint32_t telemetry_backed_off;
struct telemetry_info telemetry_info;
static volatile uint32_t wake_req;
static uint64_t period;
/* per core, at the previous sample */
static uint64_t prev_act[TORO_MAX_CPUS], prev_cs[TORO_MAX_CPUS], prev_ipi[TORO_MAX_CPUS],
    prev_wk[TORO_MAX_CPUS];
static uint32_t seq;
static uint32_t sample_no;
static uint32_t crc_table[256];

enum { F_HELLO = 1, F_CORE = 2, F_THREAD = 3, F_END = 4, F_NET = 5, F_CONN = 6, F_IFACE = 7 };

/* crc_init, telemetry_crc32: zlib's CRC-32 (reflected 0xEDB88320), table
 * built on first use. */
static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t telemetry_crc32(const uint8_t *p, size_t n)
{
    if (!crc_table[1]) crc_init();
    uint32_t c = 0xFFFFFFFFu;
    while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = v >> (8 * i); }

/* send_frame: frames payload[0..n) as one frame of the given type and writes
 * it to COM2. Core 0, from telemetry_init or its timer interrupt (the only
 * sender, so seq needs no lock). Payloads over 96 bytes are not sent. */
static void send_frame(uint8_t type, const uint8_t *payload, uint16_t n)
{
    uint8_t f[10 + 96 + 4];
    if (n > 96) return;
    f[0] = 0xA5; f[1] = 0x5A; f[2] = TELEMETRY_VERSION; f[3] = type;
    put16(f + 4, n);
    put32(f + 6, seq++);
    memcpy(f + 10, payload, n);
    put32(f + 10 + n, telemetry_crc32(f + 2, 8 + n));
    serial2_write(f, 14 + n);
}

/* send_ifaces: one IFACE frame per registered network device. Core 0, as
 * send_frame. netdev_get's acquire load pairs with netdev_register's release
 * store, so every field the driver set before registering is seen. */
static void send_ifaces(void)
{
    for (uint32_t i = 0; i < netdev_count(); i++) {
        struct netdev *d = netdev_get(i);
        uint8_t p[44] = {0};
        put16(p, (uint16_t)i);
        put16(p + 2, (uint16_t)d->cpu);
        put16(p + 4, d->mtu);
        memcpy(p + 6, d->mac, ETH_ALEN);
        memcpy(p + 12, d->name, sizeof d->name);
        p[19] = 0;
        if (d->kind) strncpy0((char *)p + 20, d->kind, 24);
        send_frame(F_IFACE, p, 44);
    }
}

/* send_hello: the HELLO frame and the IFACE frames after it. Core 0, as
 * send_frame. */
static void send_hello(void)
{
    uint8_t p[28] = {0};
    put16(p, (uint16_t)toro_ncpus);
    put16(p + 2, (uint16_t)boot_info.telemetry_hz);
    put32(p + 4, (uint32_t)tsc_khz);
    strncpy0((char *)p + 8, TORO_VERSION, 16);
    put16(p + 24, (uint16_t)netdev_count());
    send_frame(F_HELLO, p, 28);
    send_ifaces();
}

/* send_net: the NET frame of core i. Core 0, as send_frame. Each counter has
 * one writer (the core that counts it) and is an aligned 64-bit load here, so
 * no value is torn; the frame is not one instant (the counters move while it
 * is read), which rates over a sample interval do not notice. */
static void send_net(uint32_t i)
{
    struct toro_net_stats *n = &toro_net_stats[i];
    uint8_t p[88] = {0};
    put16(p, (uint16_t)i);
    put32(p + 4, n->tcp_open);
    put64(p + 8, n->rx_packets);
    put64(p + 16, n->rx_bytes);
    put64(p + 24, n->tx_packets);
    put64(p + 32, n->tx_bytes);
    put64(p + 40, n->rx_drops);
    put64(p + 48, n->tx_drops);
    put64(p + 56, n->irqs);
    put64(p + 64, n->retransmits);
    put64(p + 72, n->tcp_accepts);
    put64(p + 80, n->requests);
    send_frame(F_NET, p, 88);
}

/* net_shown: whether samples carry NET and CONN frames: once the kernel has a
 * network device or any core has counted network work (counters only grow,
 * except tcp_open, so this does not flap). A kernel without a network sends none and
 * its stream costs what version 1 did: every byte on COM2 is a trap into QEMU.
 * Core 0, as send_frame. */
static bool net_shown(void)
{
    if (netdev_count()) return true;
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        struct toro_net_stats *n = &toro_net_stats[i];
        if (n->rx_packets | n->tx_packets | n->rx_drops | n->tx_drops | n->irqs | n->tcp_open | n->tcp_accepts |
            n->requests)
            return true;
    }
    return false;
}

/* send_conns: one CONN frame per TCP slot not CLOSED, at most CONN_CAP;
 * returns the number sent and adds the slots left out to *over. Core 0, as
 * send_frame. state is loaded before the other fields (volatile accesses stay
 * in program order, and x86 does not reorder loads), so a TCP layer that fills
 * a slot and then stores its state is seen whole; see docs/telemetry.md CONN. */
static uint16_t send_conns(uint16_t *over)
{
    uint16_t sent = 0;
    for (int i = 0; i < TORO_MAX_TCP; i++) {
        struct toro_tcp_info *c = &toro_tcp_conns[i];
        uint8_t state = c->state;
        if (state == TCPS_CLOSED || state > TCPS_TIME_WAIT) continue;
        if (sent == CONN_CAP) { (*over)++; continue; }
        uint8_t p[40] = {0};
        put16(p, (uint16_t)i);
        p[2] = state;
        put16(p + 4, c->cpu);
        put32(p + 8, c->laddr);
        put32(p + 12, c->raddr);
        put16(p + 16, c->lport);
        put16(p + 18, c->rport);
        put64(p + 24, c->rx_bytes);
        put64(p + 32, c->tx_bytes);
        send_frame(F_CONN, p, 40);
        sent++;
    }
    return sent;
}

/* send_sample: one whole sample (docs/telemetry.md "Idle backoff": HELLO and
 * IFACE every 10th, CORE, NET (see net_shown), THREAD, CONN frames,
 * SAMPLE_END). Core 0, timer interrupt. */
static void send_sample(void)
{
    uint64_t now = rdtsc();
    uint16_t ncores = 0, nthreads = 0, nnet = 0, nconn, over = 0;
    if (sample_no % 10 == 0) send_hello();
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        struct toro_cpu_stats *s = &toro_cpu_stats[i];
        uint8_t p[72] = {0};
        struct cpu_cycles cy;
        stats_read(s, now, &cy);                 /* one consistent copy: see sched.c */
        put64(p, now);
        put16(p + 8, (uint16_t)i);
        p[10] = (uint8_t)s->state;
        put32(p + 12, s->current_tid);
        put32(p + 16, s->ready);
        put64(p + 24, cy.busy);
        put64(p + 32, cy.halted);
        put64(p + 40, cy.halts);
        put64(p + 48, cy.wakeups);
        put64(p + 56, s->ctx_switches);
        put64(p + 64, s->ipis);
        send_frame(F_CORE, p, 72);
        ncores++;
    }
    bool net = net_shown();
    if (net)
        for (uint32_t i = 0; i < toro_ncpus; i++, nnet++) send_net(i);
    for (int i = 0; i < TORO_MAX_THREADS; i++) {
        struct toro_thread *t = &toro_threads[i];
        uint32_t tid = t->tid;
        if (!t->in_use || !tid || t->state == T_FREE) continue;
        uint8_t p[32] = {0};
        put32(p, tid);
        put16(p + 4, t->cpu);
        p[6] = t->state;
        p[7] = t->flags & 1;
        uint64_t cyc = t->cpu_cycles;
        if (t->state == T_RUNNING && t->cpu < TORO_MAX_CPUS && cpus[t->cpu].current == t) {
            uint64_t since = cpus[t->cpu].switch_tsc;   /* the current run, up to the sample */
            if (since && now > since) cyc += now - since;
        }
        put64(p + 8, cyc);
        memcpy(p + 16, (const void *)t->name, 16);
        p[31] = 0;
        send_frame(F_THREAD, p, 32);
        nthreads++;
    }
    /* no network, no TCP slot in use: and the scan of every slot, though it
     * sends nothing, cost an idle 2-core guest 1 % of a host core at 10 Hz */
    nconn = net ? send_conns(&over) : 0;
    uint8_t e[16] = {0};
    put32(e, sample_no++);
    put16(e + 4, ncores);
    put16(e + 6, nthreads);
    put16(e + 8, nnet);
    put16(e + 10, nconn);
    put16(e + 12, over);
    send_frame(F_END, e, 16);
}

/* telemetry_init: COM2, the period and backoff ceiling from the command line,
 * the first deadline and the first HELLO. Boot core, after calibration;
 * nothing when telemetry=0. */
void telemetry_init(void)
{
    if (!boot_info.telemetry_hz) return;
    crc_init();
    serial2_init();
    period = tsc_khz * 1000 / boot_info.telemetry_hz;
    telemetry_info.period = period;
    telemetry_info.interval = period;
    telemetry_info.ceiling = (uint64_t)boot_info.telemetry_idle_ms * tsc_khz;
    telemetry_deadline = rdtsc() + period;
    send_hello();
}

/* Idle since the previous sample? Also takes the snapshot for the next one. */
static bool system_idle(void)
{
    bool idle = true;
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        struct cpu *c = &cpus[i];
        struct toro_cpu_stats *s = &toro_cpu_stats[i];
        uint64_t act = c->activity, cs = s->ctx_switches, ipi = s->ipis, wk = s->wakeups;
        uint32_t state = s->state;
        if (state != CPU_IDLE && state != CPU_POLLING && state != CPU_SPINNING) idle = false;
        if (c->nready) idle = false;
        if (act != prev_act[i] || cs != prev_cs[i] || ipi != prev_ipi[i]) idle = false;
        /* core 0 wakes once per sample for the telemetry timer itself */
        if (wk - prev_wk[i] > (i == 0 ? 1u : 0u)) idle = false;
        prev_act[i] = act; prev_cs[i] = cs; prev_ipi[i] = ipi; prev_wk[i] = wk;
    }
    return idle;
}

/* Timer interrupt on core 0, deadline reached. */
void telemetry_tick(void)
{
    struct telemetry_info *ti = &telemetry_info;
    uint64_t ceiling = ti->ceiling, interval = ti->interval;
    bool idle = false;
    if (ceiling > period && system_idle()) {
        /* Dekker: raise the flag, then look at the activity counters again;
         * a busy sample never raises it, so busy cores never send an IPI */
        __atomic_store_n(&telemetry_backed_off, 1, __ATOMIC_RELAXED);
        mfence();
        idle = true;
        for (uint32_t i = 0; i < toro_ncpus; i++)
            if (cpus[i].activity != prev_act[i]) idle = false;
    }
    interval = idle ? (interval * 2 < ceiling ? interval * 2 : ceiling) : period;
    if (!idle) __atomic_store_n(&telemetry_backed_off, 0, __ATOMIC_RELAXED);
    send_sample();
    uint64_t now = rdtsc();
    ti->samples++;
    if (idle) ti->idle_samples++;
    ti->last_sample_tsc = now;
    ti->interval = interval;
    telemetry_deadline += interval;
    if (telemetry_deadline <= now) telemetry_deadline = now + interval;   /* missed periods */
}

/* Core 0, interrupts off: activity was seen, back to the configured rate. */
void telemetry_resume(void)
{
    struct telemetry_info *ti = &telemetry_info;
    bool ipi = __atomic_exchange_n(&wake_req, 0, __ATOMIC_ACQ_REL);
    if (!boot_info.telemetry_hz || !telemetry_backed_off) return;
    uint64_t now = rdtsc();
    uint64_t dl = ti->last_sample_tsc + period;
    if (dl < now) dl = now;
    ti->resumes++;
    if (ipi) ti->resume_ipis++;
    ti->resume_interval = ti->interval;
    ti->resume_tsc = now;
    ti->interval = period;
    __atomic_store_n(&telemetry_backed_off, 0, __ATOMIC_RELAXED);
    if (dl < telemetry_deadline) {
        telemetry_deadline = dl;
        lapic_timer_arm(sched_next_deadline(this_cpu()));
    }
}

/* Core c left idle (it bumped c->activity, fenced, and saw the flag). */
void telemetry_activity(struct cpu *c)
{
    if (c->index == 0) {
        uint64_t f = irq_save();
        telemetry_resume();
        irq_restore(f);
    } else if (!__atomic_exchange_n(&wake_req, 1, __ATOMIC_ACQ_REL)) {
        lapic_send_ipi(cpus[0].apic_id, VEC_TELEMETRY);
    }
}

TORO_SYM(telemetry_tick);
TORO_SYM(telemetry_resume);
TORO_SYM(telemetry_activity);
TORO_SYM(system_idle);
TORO_SYM(send_sample);
TORO_SYM(send_frame);
