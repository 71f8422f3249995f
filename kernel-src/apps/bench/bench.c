/* bench: cycles per operation of the scheduler's basic operations, one line
 * each: toro: bench NAME cycles/op=N (the cross-core ones need 2 cores and
 * print `toro: bench NAME skipped: needs 2 cores` on one). Exits 0. */
#include <toro/thread.h>

#define N_YIELD 20000
#define N_CREATE 2000
#define N_MSG 2000
#define N_LOCK 200000
#define N_CONT 50000

static void report(const char *name, uint64_t cycles, uint64_t ops)
{
    kprintf("toro: bench %s cycles/op=%lu\n", name, cycles / ops);
}

/* yield: two threads on core 0 switch to each other */
static volatile int yield_go;
static void yielder(void *arg)
{
    (void)arg;
    for (int i = 0; i < N_YIELD; i++) thread_yield();
}

static void nothing(void *arg) { (void)arg; }

/* message round trip between cores */
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

/* contended spin lock: one thread per participating core */
static spinlock_t cont_lock = SPINLOCK_INIT;
static volatile uint64_t cont_counter;
static volatile uint32_t cont_ready;
static uint32_t cont_cores;
static void contender(void *arg)
{
    (void)arg;
    __atomic_fetch_add(&cont_ready, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&cont_ready, __ATOMIC_SEQ_CST) < cont_cores) cpu_pause();
    for (int i = 0; i < N_CONT; i++) {
        spin_lock(&cont_lock);
        cont_counter++;
        spin_unlock(&cont_lock);
    }
}

void app_main(void)
{
    uint32_t peer = toro_ncpus > 1 ? 1 : 0;
    bool two = toro_ncpus > 1;

    /* yield: 2 threads x N_YIELD yields = 2*N_YIELD switches */
    thread_t *a = thread_create_on(0, yielder, 0, "yield-a");
    thread_t *b = thread_create_on(0, yielder, 0, "yield-b");
    uint64_t t0 = rdtsc();
    thread_join(a);
    thread_join(b);
    report("yield", rdtsc() - t0, 2 * N_YIELD);

    if (two) {
        t0 = rdtsc();
        for (int i = 0; i < N_CREATE; i++) thread_join(thread_create_on(peer, nothing, 0, "empty"));
        report("remote_create", rdtsc() - t0, N_CREATE);

        thread_t *e = thread_create_on(peer, echo, 0, "echo");
        struct toro_msg m;
        msg_send(peer, 1, 0);   /* warm up */
        msg_recv(&m);
        t0 = rdtsc();
        for (int i = 0; i < N_MSG; i++) {
            msg_send(peer, (uint64_t)i, 0);
            msg_recv(&m);
        }
        report("msg_roundtrip", rdtsc() - t0, N_MSG);
        msg_send(peer, ~0ull, 0);
        thread_join(e);
    } else {
        kprintf("toro: bench remote_create skipped: needs 2 cores\n");
        kprintf("toro: bench msg_roundtrip skipped: needs 2 cores\n");
    }

    mutex_t mu = MUTEX_INIT;
    t0 = rdtsc();
    for (int i = 0; i < N_LOCK; i++) { mutex_lock(&mu); mutex_unlock(&mu); }
    report("mutex_uncontended", rdtsc() - t0, N_LOCK);

    spinlock_t sl = SPINLOCK_INIT;
    t0 = rdtsc();
    for (int i = 0; i < N_LOCK; i++) { spin_lock(&sl); spin_unlock(&sl); }
    report("spin_uncontended", rdtsc() - t0, N_LOCK);

    if (two) {
        cont_cores = 2;
        thread_t *c[2];
        t0 = rdtsc();
        for (uint32_t i = 0; i < cont_cores; i++) c[i] = thread_create_on(i, contender, 0, "contender");
        for (uint32_t i = 0; i < cont_cores; i++) thread_join(c[i]);
        report("spin_contended", rdtsc() - t0, (uint64_t)N_CONT * cont_cores);
    } else {
        kprintf("toro: bench spin_contended skipped: needs 2 cores\n");
    }

    toro_exit(EXIT_SUCCESS_CODE);
}

TORO_SYM(yielder);
TORO_SYM(echo);
TORO_SYM(contender);
TORO_SYM(app_main);
