/* The per-core cooperative scheduler: ready and polling queues, sleepers,
 * the switch, the tickless idle loop, and the calls with which the running
 * thread gives up its core (yield, block, sleep, poll). */
#include "sched.h"

volatile uint32_t toro_ncpus;
struct toro_cpu_stats toro_cpu_stats[TORO_MAX_CPUS];
volatile uint32_t sched_cpus_running;

/* ---------------------------------------------------------------- queues */
/* Queue operations: interrupts off, on core c (see sched.h).
 * update_ready: publishes the number of runnable threads to the stats. */
static void update_ready(struct cpu *c) { c->st->ready = c->nready + c->npoll; }

/* rq_push: appends t, whose state the caller set, to c's ready queue (FIFO). */
void rq_push(struct cpu *c, thread_t *t)
{
    t->next = 0;
    if (c->rq_tail) c->rq_tail->next = t; else c->rq_head = t;
    c->rq_tail = t;
    c->nready++;
    update_ready(c);
}

/* rq_pop: the oldest ready thread of c, taken off the queue; 0 when none. */
static thread_t *rq_pop(struct cpu *c)
{
    thread_t *t = c->rq_head;
    if (!t) return 0;
    c->rq_head = t->next;
    if (!c->rq_head) c->rq_tail = 0;
    c->nready--;
    update_ready(c);
    return t;
}

/* pq_push: parks t, a thread that only polls, until the core's next event. */
static void pq_push(struct cpu *c, thread_t *t)
{
    t->next = 0;
    if (c->pq_tail) c->pq_tail->next = t; else c->pq_head = t;
    c->pq_tail = t;
    c->npoll++;
    update_ready(c);
}

/* every polling thread becomes runnable again: something happened */
static void pollers_wake(struct cpu *c)
{
    while (c->pq_head) {
        thread_t *t = c->pq_head;
        c->pq_head = t->next;
        c->npoll--;
        rq_push(c, t);
    }
    c->pq_tail = 0;
    update_ready(c);
}

static void sleeper_unlink(struct cpu *c, thread_t *t);

/* wake_local: a blocked t of core c becomes ready (off the sleeper list too if
 * it blocked with a deadline); a t not blocked (running, or about to block)
 * keeps the wake in wake_pending, so that its next thread_block returns at once. */
void wake_local(struct cpu *c, thread_t *t)
{
    if (t->state == T_BLOCKED) {
        if (t->flags & TF_TIMED) sleeper_unlink(c, t);
        t->state = T_READY;
        rq_push(c, t);
    } else {
        t->wake_pending = 1;
    }
}

/* ---------------------------------------------------------------- timers */
/* sleeper_unlink: takes t (blocked with a deadline, thread_block_until) off
 * c's sleeper list because a wake came first. c's core, interrupts off. */
static void sleeper_unlink(struct cpu *c, thread_t *t)
{
    for (thread_t **pp = &c->sleepers; *pp; pp = &(*pp)->next)
        if (*pp == t) { *pp = t->next; break; }
    t->flags &= ~TF_TIMED;
}

/* sleepers_wake: every sleeper of c whose deadline is at or before now is
 * made ready (the list is sorted by deadline). */
static void sleepers_wake(struct cpu *c, uint64_t now)
{
    while (c->sleepers && c->sleepers->deadline <= now) {
        thread_t *t = c->sleepers;
        c->sleepers = t->next;
        t->flags &= ~TF_TIMED;
        t->state = T_READY;
        rq_push(c, t);
    }
}

/* sched_next_deadline: the earliest TSC deadline c's timer must fire for
 * (first sleeper; on core 0 also the telemetry sample); 0 = none. */
uint64_t sched_next_deadline(struct cpu *c)
{
    uint64_t dl = 0;
    if (c->index == 0 && boot_info.telemetry_hz) dl = telemetry_deadline;
    if (c->sleepers && (!dl || c->sleepers->deadline < dl)) dl = c->sleepers->deadline;
    return dl;
}

/* LAPIC timer interrupt: telemetry on core 0, then re-arm for the next future
 * deadline only (a passed sleeper deadline is handled at the next switch). */
void sched_timer_interrupt(void)
{
    struct cpu *c = this_cpu();
    c->armed_deadline = 0;
    uint64_t now = rdtsc();
    if (c->index == 0 && boot_info.telemetry_hz && now >= telemetry_deadline) telemetry_tick();
    uint64_t dl = 0;
    if (c->index == 0 && boot_info.telemetry_hz) dl = telemetry_deadline;
    if (c->sleepers && c->sleepers->deadline > now && (!dl || c->sleepers->deadline < dl))
        dl = c->sleepers->deadline;
    if (dl) lapic_timer_arm(dl);
}

/* process_events: takes what arrived for c (messages, expired sleepers) and,
 * if anything did, lets the polling threads run again. True if any. */
static bool process_events(struct cpu *c)
{
    bool ev = mbox_process(c);
    if (c->sleepers && c->sleepers->deadline <= rdtsc()) {
        sleepers_wake(c, rdtsc());
        ev = true;
    }
    if (ev && c->pq_head) pollers_wake(c);
    return ev;
}

/* ---------------------------------------------------------------- statistics */
/* The cycle fields of a core's stats change together (a busy period ends and
 * a halt starts, or the reverse) and are read by other cores (telemetry on
 * core 0) while they change. A seqlock keeps those reads whole: the owner
 * makes seq odd, then writes, then makes it even again; a reader copies the
 * fields between two equal even loads of seq. Fences: the release fence after
 * the odd store keeps the field stores after it, the release store of the even
 * value keeps them before it; the reader's acquire load and acquire fence
 * mirror them. (On x86 all of these are plain moves: only the compiler is
 * held back.) The owner is the only writer, so seq needs no atomic add. */
static inline void stats_write_begin(struct toro_cpu_stats *st)
{
    __atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void stats_write_end(struct toro_cpu_stats *st)
{
    __atomic_store_n(&st->seq, st->seq + 1, __ATOMIC_RELEASE);
}

/* stats_read: see kernel.h. */
void stats_read(const struct toro_cpu_stats *s, uint64_t now, struct cpu_cycles *out)
{
    uint64_t busy, halted, hs, lw;
    for (int tries = 0;; tries++) {
        uint32_t q = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
        busy = s->busy_cycles;
        halted = s->halted_cycles;
        hs = s->halt_start_tsc;
        lw = s->last_wake_tsc;
        out->halts = s->halts;
        out->wakeups = s->wakeups;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((!(q & 1) && __atomic_load_n(&s->seq, __ATOMIC_RELAXED) == q) || tries >= 1000) break;
        cpu_pause();
    }
    if (hs && now > hs) halted += now - hs;            /* the current halt */
    else if (!hs && lw && now > lw) busy += now - lw;  /* the current busy period */
    out->busy = busy;
    out->halted = halted;
}

/* ---------------------------------------------------------------- switching */
/* finish_switch: runs first in the context switched to: frees the exited
 * thread switched away from, now that its stack is no longer in use. */
static void finish_switch(void)
{
    struct cpu *c = this_cpu();
    thread_t *p = c->prev;
    c->prev = 0;
    if (p && p->exiting) finalize_exit(c, p);
}

/* switch_to: charges the CPU time of the current thread, makes next current
 * and switches stacks; returns when the current thread runs again. */
static void switch_to(struct cpu *c, thread_t *next)
{
    thread_t *prev = c->current;
    uint64_t now = rdtsc();
    prev->cpu_cycles += now - c->switch_tsc;
    c->switch_tsc = now;
    next->state = T_RUNNING;
    c->current = next;
    c->st->current_tid = next->tid;
    c->st->ctx_switches++;
    c->prev = prev;
    ctx_switch(&prev->rsp, next->rsp);
    finish_switch();
}

/* schedule: runs the next ready thread, or the idle context when there is
 * none; returns when the calling thread is picked again (at once if it is the
 * next one). Interrupts off, after the caller set the current thread's new
 * state and, for a ready thread, queued it. */
void schedule(void)
{
    struct cpu *c = this_cpu();
    process_events(c);
    thread_t *next = rq_pop(c);
    if (!next) next = &c->idle;
    if (next == c->current) {
        next->state = T_RUNNING;
        return;
    }
    switch_to(c, next);
}

/* thread_entry: a new thread's first C frame (from thread_start in isr.asm,
 * with t in r12): completes the switch, opens interrupts, runs t->fn(t->arg)
 * and exits the thread when it returns. */
void thread_entry(thread_t *t)
{
    finish_switch();
    sti();
    t->fn(t->arg);
    thread_exit();
}

/* sched_idle_loop: the idle context of a core: runs ready threads; with nothing
 * ready, arms the one-shot timer for the earliest deadline and halts (tickless)
 * until an interrupt. Entered once per core at the end of its boot; never returns. */
void sched_idle_loop(void)
{
    struct cpu *c = this_cpu();
    struct toro_cpu_stats *st = c->st;
    cli();
    c->current = &c->idle;
    c->idle.state = T_RUNNING;
    c->switch_tsc = rdtsc();
    st->last_wake_tsc = rdtsc();
    st->state = CPU_RUNNING;
    for (;;) {
        process_events(c);
        thread_t *t = rq_pop(c);
        if (t) {
            st->state = CPU_RUNNING;
            note_activity(c);
            switch_to(c, t);
            st->current_tid = 0;
            continue;
        }
        if (boot_info.idle_poll) {
            /* measurement baseline: spin with pause, interrupts open */
            st->state = CPU_SPINNING;
            uint64_t dl = sched_next_deadline(c);
            if (dl != c->armed_deadline) lapic_timer_arm(dl);
            sti();
            for (int i = 0; i < 64; i++) cpu_pause();
            cli();
            if (c->pq_head) pollers_wake(c);
            continue;
        }
        uint64_t dl = sched_next_deadline(c);
        if (dl != c->armed_deadline) lapic_timer_arm(dl);
        st->state = c->npoll ? CPU_POLLING : CPU_IDLE;
        __atomic_store_n(&c->halted, 1, __ATOMIC_RELAXED);
        mfence();
        if (mbox_pending(c)) {
            c->halted = 0;
            continue;
        }
        uint64_t now = rdtsc();
        stats_write_begin(st);
        st->busy_cycles += now - st->last_wake_tsc;
        st->halt_start_tsc = now;
        st->halts++;
        stats_write_end(st);
        toro_halt_once();
        now = rdtsc();
        stats_write_begin(st);
        st->halted_cycles += now - st->halt_start_tsc;
        st->halt_start_tsc = 0;
        st->last_wake_tsc = now;
        st->wakeups++;
        stats_write_end(st);
        c->halted = 0;
        st->state = CPU_RUNNING;
        /* telemetry never wakes another core: any wake-up there is activity */
        if (c->index != 0) note_activity(c);
        if (c->pq_head) pollers_wake(c);
    }
}

/* sched_init_cpu: c's stats entry and idle context (tid 0, the boot stack).
 * On core c, before its idle loop. */
void sched_init_cpu(struct cpu *c)
{
    c->st = &toro_cpu_stats[c->index];
    c->st->cpu = c->index;
    c->st->apic_id = c->apic_id;
    c->idle.tid = 0;
    c->idle.cpu = c->index;
    strncpy0(c->idle.name, "idle", sizeof c->idle.name);
    c->current = &c->idle;
}

/* thread_yield: the calling thread goes to the back of its core's ready queue
 * and the others run first. Thread context. */
void thread_yield(void)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    thread_t *t = c->current;
    t->state = T_READY;
    rq_push(c, t);
    schedule();
    irq_restore(f);
}

/* thread_block: the calling thread sleeps until thread_wake(it). A wake that
 * came first (while the thread was still running) is kept in wake_pending and
 * makes this return at once; at most one such wake is kept, and a wake that
 * arrives while the thread is READY (already woken, not yet run) is absorbed
 * by that same wake. Contract for callers: wakes are not counted, so block in
 * a loop on the condition you wait for (while (!cond) thread_block();). */
void thread_block(void)
{
    uint64_t f = irq_save();
    thread_t *t = this_cpu()->current;
    if (t->wake_pending) {
        t->wake_pending = 0;
    } else {
        t->state = T_BLOCKED;
        schedule();
        t->wake_pending = 0;
    }
    irq_restore(f);
}

/* thread_block_until: thread_block with a deadline (a TSC value): returns on
 * a wake (also one that came first, as thread_block) or once rdtsc() reaches
 * deadline, whichever is first; the caller tells them apart by its own
 * condition and the clock. deadline ~0 means none (plain thread_block).
 * While blocked the thread is T_BLOCKED with TF_TIMED and sits on its core's
 * sleeper list, so the core's one-shot timer is armed for the deadline and
 * the core halts meanwhile; wake_local takes it off the list when a wake wins.
 * Thread context, any core. */
void thread_block_until(uint64_t deadline)
{
    if (deadline == ~0ull) { thread_block(); return; }
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    thread_t *t = c->current;
    if (t->wake_pending) {
        t->wake_pending = 0;
    } else if (rdtsc() < deadline) {
        t->deadline = deadline;
        t->state = T_BLOCKED;
        t->flags |= TF_TIMED;
        thread_t **pp = &c->sleepers;
        while (*pp && (*pp)->deadline <= deadline) pp = &(*pp)->next;
        t->next = *pp;
        *pp = t;
        schedule();
        t->wake_pending = 0;
    }
    irq_restore(f);
}

/* thread_wake: makes t (of any core) ready (see wake_local); a remote t is
 * woken by a message to its core. Any context, its own core's interrupt
 * handlers included. */
void thread_wake(thread_t *t)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    if (t->cpu == c->index) wake_local(c, t);
    else mbox_send(t->cpu, MSG_WAKE, (uint64_t)t, 0, 0);
    irq_restore(f);
}

/* thread_sleep_us: the calling thread waits at least us microseconds; its core
 * runs other threads or halts until the timer fires. Thread context. */
void thread_sleep_us(uint64_t us)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    thread_t *t = c->current;
    t->deadline = rdtsc() + tsc_from_us(us);
    t->state = T_SLEEPING;
    thread_t **pp = &c->sleepers;
    while (*pp && (*pp)->deadline <= t->deadline) pp = &(*pp)->next;
    t->next = *pp;
    *pp = t;
    schedule();
    irq_restore(f);
}

void thread_sleep_ms(uint64_t ms) { thread_sleep_us(ms * 1000); }

/* thread_poll_idle, thread_poll_active: see <toro/thread.h>. Thread context. */
void thread_poll_idle(void)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    thread_t *t = c->current;
    t->flags |= TF_POLLING;
    t->state = T_READY;
    pq_push(c, t);
    schedule();
    irq_restore(f);
}

void thread_poll_active(void)
{
    thread_t *t = this_cpu()->current;
    t->flags &= ~TF_POLLING;
}

TORO_SYM(sched_idle_loop);
TORO_SYM(stats_read);
TORO_SYM(schedule);
TORO_SYM(switch_to);
TORO_SYM(thread_entry);
TORO_SYM(thread_yield);
TORO_SYM(thread_block);
TORO_SYM(thread_block_until);
TORO_SYM(thread_sleep_us);
TORO_SYM(thread_poll_idle);
TORO_SYM(finish_switch);
TORO_SYM(process_events);
TORO_SYM(sched_timer_interrupt);
TORO_SYM(thread_wake);
