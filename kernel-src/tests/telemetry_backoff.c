/* Telemetry idle backoff (docs/telemetry.md "Idle backoff"): with the system
 * idle the sender's interval grows to the ceiling, and activity on another
 * core (on one core: on core 0 itself) brings a sample within about one
 * configured period. Uses the sender's own state (telemetry_info). */
#include <toro/test.h>

static volatile uint64_t act_tsc, seen_tsc, act_samples, act_resumes;

static void late_activity(void *arg)
{
    thread_sleep_ms((uint64_t)(uintptr_t)arg);   /* every core idle meanwhile */
    act_tsc = rdtsc();
    act_samples = telemetry_info.samples;
    act_resumes = telemetry_info.resumes;
    /* busy until the next sample is out (the timer interrupt on core 0 sends
     * it, also while this thread runs on core 0), at most 5 s */
    while (telemetry_info.samples == act_samples && rdtsc() - act_tsc < tsc_from_us(5000000)) cpu_pause();
    seen_tsc = rdtsc();
}

TORO_TEST(telemetry_backoff, 84)
{
    struct telemetry_info *ti = &telemetry_info;
    if (!boot_info.telemetry_hz) SKIP("telemetry off");
    uint64_t period = ti->period, saved = ti->ceiling;
    uint64_t period_ms = 1000 / boot_info.telemetry_hz;
    /* a short ceiling for the test: 8 periods (800 ms at 10 Hz) */
    ti->ceiling = 8 * period;
    uint32_t cpu = toro_ncpus > 1 ? 1 : 0, last = toro_ncpus - 1;
    uint64_t s0 = ti->samples, r0 = ti->resumes, i0 = ti->resume_ipis;
    uint64_t wk_last = toro_cpu_stats[last].wakeups;
    act_tsc = seen_tsc = 0;
    /* the activity comes after 25 periods: the interval reaches the ceiling
     * after about 8 periods of idleness (1 busy sample, then 2, 4, 8) */
    thread_t *t = thread_create_on(cpu, late_activity, (void *)(uintptr_t)(25 * period_ms), "late");
    CHECK(t, "cannot create a thread on cpu %u", cpu);
    thread_join(t);
    uint64_t idle_samples = act_samples - s0, latency = seen_tsc - act_tsc;
    uint64_t wk_last_now = toro_cpu_stats[last].wakeups;
    ti->ceiling = saved;
    kprintf("toro: note telemetry backoff: %lu samples in %lu ms idle (%lu at the full rate), "
            "interval at resume %lu ms, first sample %lu us after the activity (cpu %u)\n",
            idle_samples, 25 * period_ms, 25ul, tsc_to_us(ti->resume_interval) / 1000,
            tsc_to_us(latency), cpu);
    CHECK(seen_tsc && ti->samples > act_samples, "no sample within 5 s of the activity");
    /* resumed exactly once (on another core the resume is asynchronous: it
     * may come after the thread started; the sample after it proves it) */
    CHECK(ti->resumes == r0 + 1 || (ti->resumes > r0 && act_resumes == r0),
          "activity did not end the backoff once (resumes %lu -> %lu)", r0, ti->resumes);
    CHECK(ti->resume_interval == 8 * period, "interval at resume %lu ms, expected the ceiling %lu ms",
          tsc_to_us(ti->resume_interval) / 1000, 8 * period_ms);
    CHECK(idle_samples <= 12, "%lu samples in 25 idle periods: no backoff", idle_samples);
    /* about one period; generous for a loaded host (the backoff alone would
     * give up to 8 periods) */
    CHECK(latency <= 5 * period, "first sample %lu ms after the activity, expected <= %lu ms",
          tsc_to_us(latency) / 1000, 5 * period_ms);
    if (cpu != 0) CHECK(ti->resume_ipis > i0, "the resume was not signalled by an IPI");
    if (last >= 2) CHECK(wk_last_now == wk_last, "cpu %u woke %lu times while idle: telemetry woke an AP?",
                         last, wk_last_now - wk_last);
    return TEST_PASS;
}
