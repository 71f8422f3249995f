/* bench: cycles per operation of the scheduler's basic operations, one line
 * each: toro: bench NAME cycles/op=N. Each benchmark runs in ROUNDS rounds and
 * reports the fastest round: under emulation on a busy host, preemption of a
 * vCPU thread only ever adds time. The cross-core ones need 2 cores and print
 * `toro: bench NAME skipped: needs 2 cores` on one. Exits 0. */
#include <toro/thread.h>

#define ROUNDS 5
#define N_YIELD 4000
#define N_CREATE 400
#define N_MSG 400
#define N_LOCK 40000
#define N_CONT 10000

static uint32_t peer;

static void report(const char *name, uint64_t best, uint64_t ops)
{
    kprintf("toro: bench %s cycles/op=%lu\n", name, best / ops);
}

/* yield: two threads on core 0 switch to each other */
static void yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < N_YIELD; i++) thread_yield();
}

static uint64_t run_yield(void)
{
    thread_t *a = thread_create_on(0, yielder, 0, "yield-a");
    thread_t *b = thread_create_on(0, yielder, 0, "yield-b");
    thread_yield();                          /* let both start */
    uint64_t t0 = rdtsc();
    thread_join(a);
    thread_join(b);
    return rdtsc() - t0;                     /* about 2 * N_YIELD switches */
}

static void nothing(void *arg) { (void)arg; }

static uint64_t run_create(void)
{
    uint64_t t0 = rdtsc();
    for (int i = 0; i < N_CREATE; i++) thread_join(thread_create_on(peer, nothing, 0, "empty"));
    return rdtsc() - t0;
}

static void echo(void *arg)
{
    (void)arg;
    struct toro_msg m;
    for (;;) {
        msg_recv(&m);
        if (m.a == ~0ull) return;
        msg_send(m.from, m.a, 0);
    }
}

static uint64_t run_msg(void)
{
    struct toro_msg m;
    uint64_t t0 = rdtsc();
    for (int i = 0; i < N_MSG; i++) {
        msg_send(peer, (uint64_t)i, 0);
        msg_recv(&m);
    }
    return rdtsc() - t0;
}

static uint64_t run_mutex(void)
{
    static mutex_t mu = MUTEX_INIT;
    uint64_t t0 = rdtsc();
    for (int i = 0; i < N_LOCK; i++) { mutex_lock(&mu); mutex_unlock(&mu); }
    return rdtsc() - t0;
}

static uint64_t run_spin(void)
{
    static spinlock_t sl = SPINLOCK_INIT;
    uint64_t t0 = rdtsc();
    for (int i = 0; i < N_LOCK; i++) { spin_lock(&sl); spin_unlock(&sl); }
    return rdtsc() - t0;
}

/* contended spin lock: one thread on core 0 and one on core 1 */
static spinlock_t cont_lock = SPINLOCK_INIT;
static volatile uint64_t cont_counter;
static volatile uint32_t cont_ready;

static void contender(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&cont_ready, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&cont_ready, __ATOMIC_SEQ_CST) < 2) cpu_pause();
    for (int i = 0; i < N_CONT; i++) {
        spin_lock(&cont_lock);
        cont_counter++;
        spin_unlock(&cont_lock);
    }
}

static uint64_t run_contended(void)
{
    cont_ready = 0;
    thread_t *c1 = thread_create_on(peer, contender, 0, "contender");
    uint64_t t0 = rdtsc();
    contender(0);
    thread_join(c1);
    return rdtsc() - t0;                     /* 2 * N_CONT lock/unlock pairs */
}

static uint64_t best_of(uint64_t (*fn)(void))
{
    uint64_t best = ~0ull;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t = fn();
        if (t < best) best = t;
    }
    return best;
}

void app_main(void)
{
    bool two = toro_ncpus > 1;
    peer = two ? 1 : 0;

    report("yield", best_of(run_yield), 2 * N_YIELD);
    if (two) {
        report("remote_create", best_of(run_create), N_CREATE);
        thread_t *e = thread_create_on(peer, echo, 0, "echo");
        struct toro_msg m;
        msg_send(peer, 1, 0);                /* warm up */
        msg_recv(&m);
        report("msg_roundtrip", best_of(run_msg), N_MSG);
        msg_send(peer, ~0ull, 0);
        thread_join(e);
    } else {
        kprintf("toro: bench remote_create skipped: needs 2 cores\n");
        kprintf("toro: bench msg_roundtrip skipped: needs 2 cores\n");
    }
    report("mutex_uncontended", best_of(run_mutex), N_LOCK);
    report("spin_uncontended", best_of(run_spin), N_LOCK);
    if (two) report("spin_contended", best_of(run_contended), 2 * N_CONT);
    else kprintf("toro: bench spin_contended skipped: needs 2 cores\n");
    toro_exit(EXIT_SUCCESS_CODE);
}

TORO_SYM(yielder);
TORO_SYM(echo);
TORO_SYM(contender);
TORO_SYM(best_of);
TORO_SYM(app_main);
