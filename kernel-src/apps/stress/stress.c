/* stress: for S seconds (command line stress=S, default 3) a driver thread on
 * every core creates short-lived threads on every core (local and remote),
 * each of which allocates and frees memory, some of it freed by another core.
 * Free memory and the live thread count must be the same before and after:
 * exits 0, else 1. */
#include <toro/thread.h>

struct job { uint64_t seed; void *handoff; };

static volatile uint64_t created, finished;
static void *volatile handoff_slot[TORO_MAX_CPUS];

static uint64_t rnd(uint64_t *s) { *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17; return *s; }

static void worker(void *arg)
{
    struct job *j = arg;
    void *p[8];
    for (int i = 0; i < 8; i++) {
        size_t n = 16 + rnd(&j->seed) % 3000;
        p[i] = kmalloc(n);
        if (!p[i]) panic("stress: out of memory");
        memset(p[i], 0x5A, n);
    }
    /* pass one block to another core's worker to free (cross-core kfree) */
    uint32_t c = cpu_index();
    void *mine = __atomic_exchange_n(&handoff_slot[(c + 1) % toro_ncpus], p[0], __ATOMIC_ACQ_REL);
    if (mine) kfree(mine);
    for (int i = 1; i < 8; i++) kfree(p[i]);
    if (rnd(&j->seed) & 1) thread_yield();
    kfree(j);
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

static uint64_t stress_seconds;

static void driver(void *arg)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull * (cpu_index() + 1);
    uint64_t end = rdtsc() + stress_seconds * tsc_khz * 1000;
    thread_t *batch[8];
    while (rdtsc() < end) {
        int n = 0;
        for (int i = 0; i < 8; i++) {
            struct job *j = kmalloc(sizeof *j);
            j->seed = rnd(&seed) | 1;
            uint32_t target = rnd(&seed) % toro_ncpus;
            batch[n] = thread_create_on(target, worker, j, "worker");
            if (batch[n]) { n++; __atomic_fetch_add(&created, 1, __ATOMIC_RELAXED); }
            else kfree(j);
        }
        for (int i = 0; i < n; i++) thread_join(batch[i]);
    }
}

void app_main(void)
{
    stress_seconds = cmdline_uint("stress", 3);
    uint32_t live0 = thread_count_live();
    uint64_t free0 = mem_free_bytes();
    kprintf("toro: stress %lu s on %u cores, free memory %lu bytes, %u live threads\n",
            stress_seconds, toro_ncpus, free0, live0);
    thread_t *d[TORO_MAX_CPUS];
    for (uint32_t i = 0; i < toro_ncpus; i++) d[i] = thread_create_on(i, driver, 0, "driver");
    for (uint32_t i = 0; i < toro_ncpus; i++) thread_join(d[i]);
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        void *p = __atomic_exchange_n(&handoff_slot[i], 0, __ATOMIC_ACQ_REL);
        if (p) kfree(p);
    }
    uint32_t live1 = thread_count_live();
    uint64_t free1 = mem_free_bytes();
    kprintf("toro: stress created %lu threads, %lu finished; free memory %lu -> %lu bytes, live threads %u -> %u\n",
            created, finished, free0, free1, live0, live1);
    bool ok = free0 == free1 && live0 == live1 && created == finished && created > 0;
    kprintf("toro: stress %s\n", ok ? "ok" : "FAILED");
    toro_exit(ok ? EXIT_SUCCESS_CODE : EXIT_TESTS_FAILED);
}

TORO_SYM(worker);
TORO_SYM(driver);
TORO_SYM(app_main);
