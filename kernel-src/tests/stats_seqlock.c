/* stats_read (kernel/sched.c) against a core that halts and wakes all the
 * time: every copy must be whole. Every cycle of a core is accounted either
 * busy or halted, so for a whole copy now - (busy + halted) is the same
 * constant (the TSC at which the core's accounting started) at every read. A
 * torn copy (the halt's start still set while its length is already added,
 * or a busy period ended but its halt not yet begun) moves it by the length
 * of a halt or of a busy period: far more than the bound. */
#include <toro/test.h>

#define SLEEP_US 400      /* the other core's halts: far above the bound */
#define BOUND_US 100      /* TSC skew between cores (<= 20 us) plus the read itself */

static volatile uint32_t sleeper_stop;

/* sleeper: sleeps SLEEP_US at a time, so its core halts and wakes, until told to stop. */
static void sleeper(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&sleeper_stop, __ATOMIC_ACQUIRE)) thread_sleep_us(SLEEP_US);
}

TORO_TEST(stats_seqlock, 79)
{
    if (toro_ncpus < 2) SKIP("needs 2 cores");
    uint32_t other = toro_ncpus - 1;
    const struct toro_cpu_stats *s = &toro_cpu_stats[other];
    sleeper_stop = 0;
    thread_t *t = thread_create_on(other, sleeper, 0, "sleeper");
    CHECK(t, "cannot create the sleeper");
    thread_sleep_ms(20);
    struct cpu_cycles c;
    uint64_t now, give_up = rdtsc() + tsc_from_us(100000);
    bool fast;
    do {                          /* the reference read must not be a slow one either */
        now = rdtsc();
        stats_read(s, now, &c);
        fast = rdtsc() - now <= tsc_from_us(BOUND_US / 4);
    } while (!fast && now < give_up);
    if (!fast) {                  /* bounded: where every read is slow, none can be judged */
        __atomic_store_n(&sleeper_stop, 1, __ATOMIC_RELEASE);
        thread_join(t);
        SKIP("no read under %u us in 100 ms (slow rdtsc, e.g. nested KVM): torn and slow look alike", BOUND_US / 4);
    }
    uint64_t base = now - (c.busy + c.halted), halts0 = c.halts;
    uint64_t worst = 0, end = rdtsc() + tsc_from_us(300000);
    uint32_t reads = 0, skipped = 0;
    while ((now = rdtsc()) < end) {
        stats_read(s, now, &c);
        /* a read that took long (the host descheduled this vCPU) sees the
         * owner's later state against an old now: not a torn copy, skip it */
        if (rdtsc() - now > tsc_from_us(BOUND_US / 4)) { skipped++; continue; }
        uint64_t b = now - (c.busy + c.halted);
        uint64_t off = b > base ? b - base : base - b;
        if (off > worst) worst = off;
        reads++;
    }
    __atomic_store_n(&sleeper_stop, 1, __ATOMIC_RELEASE);
    thread_join(t);
    kprintf("toro: note stats_seqlock: %u reads of cpu %u over %lu halts (%u slow ones skipped), worst offset %lu us\n",
            reads, other, c.halts - halts0, skipped, tsc_to_us(worst));
    if (reads == 0)
        SKIP("all %u reads took over %u us: torn and slow look alike", skipped, BOUND_US / 4);
    CHECK(c.halts - halts0 >= 50, "cpu %u halted only %lu times in 300 ms", other, c.halts - halts0);
    CHECK(tsc_to_us(worst) <= BOUND_US, "a torn read: busy + halted off by %lu us (bound %u)", tsc_to_us(worst), BOUND_US);
    return TEST_PASS;
}
