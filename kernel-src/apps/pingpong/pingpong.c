/* pingpong: a thread on core 0 and one on core 1 bounce a counter through the
 * per-core message queues; exits 0 when every reply carried the right value.
 * pong_main runs only on core 1 (a debugger breakpoint target). */
#include <toro/thread.h>

#define ROUNDS 1000

static volatile uint32_t pong_seen;

void pong_main(void *arg)
{
    (void)arg;
    struct toro_msg m;
    for (;;) {
        msg_recv(&m);
        if (m.a == ~0ull) break;
        pong_seen++;
        msg_send(m.from, m.a + 1, m.b);
    }
}

void ping_main(void *arg)
{
    (void)arg;
    uint32_t peer = 1;
    struct toro_msg m;
    uint64_t t0 = rdtsc();
    for (uint64_t i = 0; i < ROUNDS; i++) {
        msg_send(peer, i * 2, 0);
        msg_recv(&m);
        if (m.a != i * 2 + 1 || m.from != peer) {
            kprintf("toro: pingpong FAIL: round %lu got %lu from cpu %u\n", i, m.a, m.from);
            toro_exit(EXIT_TESTS_FAILED);
        }
    }
    uint64_t t1 = rdtsc();
    msg_send(peer, ~0ull, 0);
    kprintf("toro: pingpong %u round trips between cpu 0 and cpu 1, %lu cycles each\n",
            ROUNDS, (t1 - t0) / ROUNDS);
}

void app_main(void)
{
    if (toro_ncpus < 2) {
        kprintf("toro: pingpong needs 2 cores (run with -smp 2 or more)\n");
        toro_exit(EXIT_TESTS_FAILED);
    }
    thread_t *pong = thread_create_on(1, pong_main, 0, "pong");
    thread_t *ping = thread_create_on(0, ping_main, 0, "ping");
    thread_join(ping);
    thread_join(pong);
    kprintf("toro: pingpong done\n");
    toro_exit(EXIT_SUCCESS_CODE);
}

TORO_SYM(pong_main);
TORO_SYM(ping_main);
TORO_SYM(app_main);
