/* polldemo: a thread on core 0 polls a variable through the polling API while
 * core 1 sets it after 300 ms; core 0 halts while it waits. Exits 0. */
#include <toro/thread.h>

static volatile uint64_t flag;
static volatile uint64_t set_tsc;

static void setter(void *arg)
{
    uint32_t target = (uint32_t)(uintptr_t)arg;
    thread_sleep_ms(300);
    set_tsc = rdtsc();
    __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
    cpu_kick(target);                    /* an event: wake the polling core */
}

static void poller(void *arg)
{
    (void)arg;
    struct toro_cpu_stats *st = &toro_cpu_stats[cpu_index()];
    uint64_t halts0 = st->halts, polls = 0;
    while (!__atomic_load_n(&flag, __ATOMIC_ACQUIRE)) {
        polls++;
        thread_poll_idle();              /* nothing changed: let the core halt */
    }
    thread_poll_active();
    uint64_t seen = rdtsc();
    kprintf("toro: polldemo saw the flag after %lu polls, %lu halts, %lu us after it was set\n",
            polls, st->halts - halts0, tsc_to_us(seen - set_tsc));
}

void app_main(void)
{
    uint32_t other = toro_ncpus > 1 ? 1 : 0;
    thread_t *p = thread_create_on(0, poller, 0, "poller");
    thread_t *s = thread_create_on(other, setter, (void *)(uintptr_t)0, "setter");
    thread_join(p);
    thread_join(s);
    toro_exit(EXIT_SUCCESS_CODE);
}

TORO_SYM(setter);
TORO_SYM(poller);
TORO_SYM(app_main);
