/* COM2 telemetry, version 1: the format is docs/telemetry.md. Samples are sent
 * by the boot core from its timer interrupt; its one-shot deadline includes the
 * telemetry deadline, so telemetry never wakes it more often than the rate and
 * never wakes another core (their counters are read from memory). */
#include <toro/kernel.h>

uint64_t telemetry_deadline;
static uint64_t period;
static uint32_t seq;
static uint32_t sample_no;
static uint32_t crc_table[256];

enum { F_HELLO = 1, F_CORE = 2, F_THREAD = 3, F_END = 4 };

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

static void send_frame(uint8_t type, const uint8_t *payload, uint16_t n)
{
    uint8_t f[10 + 96 + 4];
    if (n > 96) return;
    f[0] = 0xA5; f[1] = 0x5A; f[2] = 1; f[3] = type;
    put16(f + 4, n);
    put32(f + 6, seq++);
    memcpy(f + 10, payload, n);
    put32(f + 10 + n, telemetry_crc32(f + 2, 8 + n));
    serial2_write(f, 14 + n);
}

static void send_hello(void)
{
    uint8_t p[24] = {0};
    put16(p, (uint16_t)toro_ncpus);
    put16(p + 2, (uint16_t)boot_info.telemetry_hz);
    put32(p + 4, (uint32_t)tsc_khz);
    strncpy0((char *)p + 8, TORO_VERSION, 16);
    send_frame(F_HELLO, p, 24);
}

static void send_sample(void)
{
    uint64_t now = rdtsc();
    uint16_t ncores = 0, nthreads = 0;
    if (sample_no % 10 == 0) send_hello();
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        struct toro_cpu_stats *s = &toro_cpu_stats[i];
        uint8_t p[72] = {0};
        uint64_t hs = s->halt_start_tsc;
        uint64_t halted = s->halted_cycles, busy = s->busy_cycles;
        if (hs && now > hs) halted += now - hs;                 /* the current halt */
        else if (s->last_wake_tsc && now > s->last_wake_tsc) busy += now - s->last_wake_tsc;
        put64(p, now);
        put16(p + 8, (uint16_t)i);
        p[10] = (uint8_t)s->state;
        put32(p + 12, s->current_tid);
        put32(p + 16, s->ready);
        put64(p + 24, busy);
        put64(p + 32, halted);
        put64(p + 40, s->halts);
        put64(p + 48, s->wakeups);
        put64(p + 56, s->ctx_switches);
        put64(p + 64, s->ipis);
        send_frame(F_CORE, p, 72);
        ncores++;
    }
    for (int i = 0; i < TORO_MAX_THREADS; i++) {
        struct toro_thread *t = &toro_threads[i];
        uint32_t tid = t->tid;
        if (!t->in_use || !tid || t->state == T_FREE) continue;
        uint8_t p[32] = {0};
        put32(p, tid);
        put16(p + 4, t->cpu);
        p[6] = t->state;
        p[7] = t->flags & 1;
        put64(p + 8, t->cpu_cycles);
        memcpy(p + 16, (const void *)t->name, 16);
        p[31] = 0;
        send_frame(F_THREAD, p, 32);
        nthreads++;
    }
    uint8_t e[8];
    put32(e, sample_no++);
    put16(e + 4, ncores);
    put16(e + 6, nthreads);
    send_frame(F_END, e, 8);
}

void telemetry_init(void)
{
    if (!boot_info.telemetry_hz) return;
    crc_init();
    serial2_init();
    period = tsc_khz * 1000 / boot_info.telemetry_hz;
    telemetry_deadline = rdtsc() + period;
    send_hello();
}

/* Timer interrupt on core 0, deadline reached. */
void telemetry_tick(void)
{
    send_sample();
    uint64_t now = rdtsc();
    telemetry_deadline += period;
    if (telemetry_deadline <= now) telemetry_deadline = now + period;   /* missed periods */
}

TORO_SYM(telemetry_tick);
TORO_SYM(send_sample);
TORO_SYM(send_frame);
