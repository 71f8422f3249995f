/* Per-core cooperative scheduler, tickless idle, polling API, cross-core
 * messages (per-(sender, receiver) slots + wake-up IPI), sleep, join, mutexes. */
#include <toro/thread.h>

volatile uint32_t toro_ncpus;
struct toro_cpu_stats toro_cpu_stats[TORO_MAX_CPUS];
struct toro_thread toro_threads[TORO_MAX_THREADS];
struct mbox mboxes[TORO_MAX_CPUS][TORO_MAX_CPUS];
volatile uint32_t sched_cpus_running;
static volatile uint32_t next_tid = 1;

enum { MSG_CREATE = 1, MSG_WAKE = 2, MSG_USER = 3, MSG_KICK = 4 };

/* ---------------------------------------------------------------- queues */
static void update_ready(struct cpu *c) { c->st->ready = c->nready + c->npoll; }

static void rq_push(struct cpu *c, thread_t *t)
{
    t->next = 0;
    if (c->rq_tail) c->rq_tail->next = t; else c->rq_head = t;
    c->rq_tail = t;
    c->nready++;
    update_ready(c);
}

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

static void wake_local(struct cpu *c, thread_t *t)
{
    if (t->state == T_BLOCKED) {
        if (t->flags & TF_TIMED) sleeper_unlink(c, t);
        t->state = T_READY;
        rq_push(c, t);
    } else {
        t->wake_pending = 1;
    }
}

/* The core leaves idle for a real reason (a thread to run, a message, an AP
 * woken up): tell a backed-off telemetry sender (telemetry.c, Dekker pair with
 * its flag). One load and a fence, only when a core leaves idle. */
static inline void note_activity(struct cpu *c)
{
    __atomic_store_n(&c->activity, c->activity + 1, __ATOMIC_RELAXED);
    mfence();
    if (__atomic_load_n(&telemetry_backed_off, __ATOMIC_RELAXED)) telemetry_activity(c);
}

/* ---------------------------------------------------------------- mailboxes */
static bool mbox_pending(struct cpu *c)
{
    for (uint32_t s = 0; s < toro_ncpus; s++) {
        struct mbox *m = &mboxes[c->index][s];
        if (__atomic_load_n(&m->tail, __ATOMIC_ACQUIRE) != m->head) return true;
    }
    return false;
}

static void handle_msg(struct cpu *c, struct kmsg *k)
{
    switch (k->type) {
    case MSG_CREATE:
        rq_push(c, (thread_t *)k->a);
        break;
    case MSG_WAKE:
        wake_local(c, (thread_t *)k->a);
        break;
    case MSG_USER: {
        c->umsg[c->umsg_tail % UMSG_SLOTS] = *k;
        c->umsg_tail++;
        thread_t *w = c->umsg_waiters;
        c->umsg_waiters = 0;
        while (w) {
            thread_t *nx = w->wnext;
            w->waiting = 0;
            wake_local(c, w);
            w = nx;
        }
        break;
    }
    case MSG_KICK:
        break;
    }
}

/* Drain every mailbox of this core; interrupts are off. Returns true if any
 * message arrived. */
static bool mbox_process(struct cpu *c)
{
    bool any = false;
    for (uint32_t s = 0; s < toro_ncpus; s++) {
        struct mbox *m = &mboxes[c->index][s];
        uint32_t tail = __atomic_load_n(&m->tail, __ATOMIC_ACQUIRE);
        while (m->head != tail) {
            /* a user message always fits in umsg: its sender reserved the
             * room (msg_send), so the mailbox never stops at one and the
             * kernel's own messages behind it are never held up */
            struct kmsg k = m->m[m->head % MBOX_SLOTS];
            __atomic_store_n(&m->head, m->head + 1, __ATOMIC_RELEASE);
            handle_msg(c, &k);
            any = true;
        }
    }
    if (any) note_activity(c);
    return any;
}

void mbox_send(uint32_t cpu, uint64_t type, uint64_t a, uint64_t b, uint64_t cc)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    struct mbox *m = &mboxes[cpu][c->index];
    while (m->tail - __atomic_load_n(&m->head, __ATOMIC_ACQUIRE) >= MBOX_SLOTS) {
        mbox_process(c);           /* the receiver may be waiting for us */
        cpu_pause();
    }
    struct kmsg *k = &m->m[m->tail % MBOX_SLOTS];
    k->type = type; k->a = a; k->b = b; k->c = cc;
    __atomic_store_n(&m->tail, m->tail + 1, __ATOMIC_RELEASE);
    mfence();
    if (cpu != c->index && __atomic_load_n(&cpus[cpu].halted, __ATOMIC_RELAXED))
        lapic_send_ipi(cpus[cpu].apic_id, VEC_WAKE);
    irq_restore(f);
}

void cpu_kick(uint32_t cpu) { mbox_send(cpu, MSG_KICK, 0, 0, 0); }

/* ---------------------------------------------------------------- timers */
/* sleeper_unlink: takes t (blocked with a deadline, thread_block_until) off
 * c's sleeper list because a wake came first. c's core, interrupts off. */
static void sleeper_unlink(struct cpu *c, thread_t *t)
{
    for (thread_t **pp = &c->sleepers; *pp; pp = &(*pp)->next)
        if (*pp == t) { *pp = t->next; break; }
    t->flags &= ~TF_TIMED;
}

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

/* ---------------------------------------------------------------- switching */
static void slot_release(thread_t *t);

static void exit_lock(thread_t *t)
{
    while (__atomic_exchange_n(&t->exit_lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&t->exit_lock, __ATOMIC_RELAXED)) cpu_pause();
}
static void exit_unlock(thread_t *t) { __atomic_store_n(&t->exit_lock, 0, __ATOMIC_RELEASE); }

/* Runs on the exited thread's core, in the next context: its stack is no
 * longer in use. After exit_unlock the slot may be reused at once, so only
 * the values read under the lock are used afterwards. */
static void finalize_exit(struct cpu *c, thread_t *t)
{
    exit_lock(t);
    t->state = T_EXITED;
    thread_t *j = t->joiner;
    uint32_t detached = t->detached;
    exit_unlock(t);
    if (detached) {
        slot_release(t);
    } else if (j) {
        if (j->cpu == c->index) wake_local(c, j);
        else mbox_send(j->cpu, MSG_WAKE, (uint64_t)j, 0, 0);
    }
}

static void finish_switch(void)
{
    struct cpu *c = this_cpu();
    thread_t *p = c->prev;
    c->prev = 0;
    if (p && p->exiting) finalize_exit(c, p);
}

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

/* Called with interrupts off, after the caller set current's new state. */
static void schedule(void)
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

void thread_entry(thread_t *t)
{
    finish_switch();
    sti();
    t->fn(t->arg);
    thread_exit();
}

/* The idle context of a core: runs ready threads; with nothing ready, arms
 * the one-shot timer for the earliest deadline and halts (tickless). */
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
        st->busy_cycles += now - st->last_wake_tsc;
        st->halt_start_tsc = now;
        st->halts++;
        toro_halt_once();
        now = rdtsc();
        st->halted_cycles += now - st->halt_start_tsc;
        st->halt_start_tsc = 0;
        st->last_wake_tsc = now;
        st->wakeups++;
        c->halted = 0;
        st->state = CPU_RUNNING;
        /* telemetry never wakes another core: any wake-up there is activity */
        if (c->index != 0) note_activity(c);
        if (c->pq_head) pollers_wake(c);
    }
}

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

/* ---------------------------------------------------------------- threads */
thread_t *thread_self(void) { return this_cpu()->current; }

thread_t *thread_create_on(uint32_t cpu, void (*fn)(void *), void *arg, const char *name)
{
    if (cpu >= toro_ncpus) return 0;
    thread_t *t = 0;
    uint32_t slot = 0;
    for (; slot < TORO_MAX_THREADS; slot++) {
        uint32_t z = 0;
        if (__atomic_compare_exchange_n(&toro_threads[slot].in_use, &z, 1, false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            t = &toro_threads[slot];
            break;
        }
    }
    if (!t) return 0;
    t->cpu = cpu;
    t->flags = 0;
    t->cpu_cycles = 0;
    strncpy0(t->name, name ? name : "thread", sizeof t->name);
    t->fn = fn;
    t->arg = arg;
    t->next = 0;
    t->wnext = 0;
    t->waiting = 0;
    t->wake_pending = 0;
    t->exiting = 0;
    t->detached = 0;
    t->joiner = 0;
    uint64_t top = stack_for_slot(slot);
    t->stack_top = top;
    uint64_t *sp = (uint64_t *)(top - 24);
    sp[0] = (uint64_t)thread_start;         /* ctx_switch returns here */
    sp[-1] = 0;                             /* rbp */
    sp[-2] = 0;                             /* rbx */
    sp[-3] = (uint64_t)t;                   /* r12 */
    sp[-4] = 0;                             /* r13 */
    sp[-5] = 0;                             /* r14 */
    sp[-6] = 0;                             /* r15 */
    t->rsp = (uint64_t)&sp[-6];
    t->state = T_READY;
    __atomic_store_n(&t->tid, __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED), __ATOMIC_RELEASE);
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    if (cpu == c->index) rq_push(c, t);
    else mbox_send(cpu, MSG_CREATE, (uint64_t)t, 0, 0);
    irq_restore(f);
    return t;
}

thread_t *thread_create(void (*fn)(void *), void *arg, const char *name)
{
    return thread_create_on(cpu_index(), fn, arg, name);
}

static void slot_release(thread_t *t)
{
    t->tid = 0;
    t->state = T_FREE;
    __atomic_store_n(&t->in_use, 0, __ATOMIC_RELEASE);
}

void thread_detach(thread_t *t)
{
    uint64_t f = irq_save();
    exit_lock(t);
    bool done = t->state == T_EXITED;
    t->detached = 1;
    exit_unlock(t);
    irq_restore(f);
    if (done) slot_release(t);
}

void thread_join(thread_t *t)
{
    thread_t *me = thread_self();
    for (;;) {
        uint64_t f = irq_save();
        exit_lock(t);
        bool done = t->state == T_EXITED;
        if (!done) t->joiner = me;
        exit_unlock(t);
        irq_restore(f);
        if (done) break;
        thread_block();
    }
    slot_release(t);
}

void thread_exit(void)
{
    cli();
    struct cpu *c = this_cpu();
    c->current->exiting = 1;
    schedule();
    panic("thread_exit: returned");
}

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

void thread_wake(thread_t *t)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    if (t->cpu == c->index) wake_local(c, t);
    else mbox_send(t->cpu, MSG_WAKE, (uint64_t)t, 0, 0);
    irq_restore(f);
}

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

uint32_t thread_count_live(void)
{
    uint32_t n = 0;
    for (int i = 0; i < TORO_MAX_THREADS; i++)
        if (toro_threads[i].in_use) n++;
    return n;
}

/* ---------------------------------------------------------------- messages */
/* msg_send: queues (a, b) for the threads of core cpu, in order per sender.
 * At most UMSG_SLOTS user messages wait for one core: past that the sender
 * sleeps 1 ms at a time (its core runs its other threads, or halts) until a
 * thread of that core takes one. The reservation is why a sender never spins
 * with interrupts off on a core where nobody receives: the mailbox drains
 * into umsg, which has room for every reserved message. Called from a thread. */
void msg_send(uint32_t cpu, uint64_t a, uint64_t b)
{
    struct cpu *r = &cpus[cpu];
    while (__atomic_fetch_add(&r->umsg_reserved, 1, __ATOMIC_ACQ_REL) >= UMSG_SLOTS) {
        __atomic_fetch_sub(&r->umsg_reserved, 1, __ATOMIC_RELEASE);
        thread_sleep_ms(1);
    }
    mbox_send(cpu, MSG_USER, cpu_index(), a, b);
}

static bool umsg_pop(struct cpu *c, struct toro_msg *m)
{
    if (c->umsg_head == c->umsg_tail) return false;
    struct kmsg *k = &c->umsg[c->umsg_head % UMSG_SLOTS];
    m->from = (uint32_t)k->a;
    m->a = k->b;
    m->b = k->c;
    c->umsg_head++;
    __atomic_fetch_sub(&c->umsg_reserved, 1, __ATOMIC_RELEASE);   /* room for one more sender */
    return true;
}

bool msg_try_recv(struct toro_msg *m)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    mbox_process(c);
    bool r = umsg_pop(c, m);
    irq_restore(f);
    return r;
}

void msg_recv(struct toro_msg *m)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    thread_t *t = c->current;
    for (;;) {
        mbox_process(c);
        if (umsg_pop(c, m)) break;
        if (!t->waiting) {
            t->waiting = 1;
            t->wnext = c->umsg_waiters;
            c->umsg_waiters = t;
        }
        t->state = T_BLOCKED;
        schedule();
    }
    irq_restore(f);
}

/* ---------------------------------------------------------------- mutex */
void mutex_lock(mutex_t *m)
{
    thread_t *t = thread_self();
    uint64_t f = irq_save();
    spin_lock(&m->lk);
    if (!m->owner) {
        m->owner = t;
        spin_unlock(&m->lk);
        irq_restore(f);
        return;
    }
    t->wnext = 0;
    if (m->wait_tail) m->wait_tail->wnext = t; else m->wait_head = t;
    m->wait_tail = t;
    spin_unlock(&m->lk);
    irq_restore(f);
    while (__atomic_load_n(&m->owner, __ATOMIC_ACQUIRE) != t) thread_block();
}

void mutex_unlock(mutex_t *m)
{
    uint64_t f = irq_save();
    spin_lock(&m->lk);
    thread_t *w = m->wait_head;
    if (w) {
        m->wait_head = w->wnext;
        if (!m->wait_head) m->wait_tail = 0;
    }
    __atomic_store_n(&m->owner, w, __ATOMIC_RELEASE);
    spin_unlock(&m->lk);
    if (w) thread_wake(w);
    irq_restore(f);
}

TORO_SYM(sched_idle_loop);
TORO_SYM(schedule);
TORO_SYM(switch_to);
TORO_SYM(thread_entry);
TORO_SYM(thread_create_on);
TORO_SYM(thread_exit);
TORO_SYM(thread_yield);
TORO_SYM(thread_block);
TORO_SYM(thread_block_until);
TORO_SYM(thread_sleep_us);
TORO_SYM(thread_poll_idle);
TORO_SYM(mbox_send);
TORO_SYM(mbox_process);
TORO_SYM(msg_recv);
TORO_SYM(mutex_lock);
TORO_SYM(mutex_unlock);
TORO_SYM(finalize_exit);
TORO_SYM(finish_switch);
TORO_SYM(process_events);
TORO_SYM(sched_timer_interrupt);
TORO_SYM(thread_wake);
TORO_SYM(thread_join);
TORO_SYM(msg_send);
TORO_SYM(thread_detach);
