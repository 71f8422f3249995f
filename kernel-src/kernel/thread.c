/* Threads: creation on any core, exit, join and detach. A thread's slot in
 * toro_threads (and its stack) is reused once it has exited and been joined or
 * detached; exit_lock orders the exit against a join or detach on another core. */
#include "sched.h"

struct toro_thread toro_threads[TORO_MAX_THREADS];
static volatile uint32_t next_tid = 1;

/* exit_lock, exit_unlock: a spin lock per thread slot, taken with interrupts
 * off, ordering finalize_exit against thread_join and thread_detach. */
static void exit_lock(thread_t *t)
{
    while (__atomic_exchange_n(&t->exit_lock, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&t->exit_lock, __ATOMIC_RELAXED)) cpu_pause();
}
static void exit_unlock(thread_t *t) { __atomic_store_n(&t->exit_lock, 0, __ATOMIC_RELEASE); }

/* slot_release: t's slot (and stack) is free for thread_create_on. Called once,
 * by whichever of the exit, the join and the detach comes last. */
static void slot_release(thread_t *t)
{
    t->tid = 0;
    t->state = T_FREE;
    __atomic_store_n(&t->in_use, 0, __ATOMIC_RELEASE);
}

/* Runs on the exited thread's core, in the next context: its stack is no
 * longer in use. After exit_unlock the slot may be reused at once, so only
 * the values read under the lock are used afterwards. */
void finalize_exit(struct cpu *c, thread_t *t)
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

/* ---------------------------------------------------------------- threads */
/* thread_self: the calling thread (the idle context outside threads). */
thread_t *thread_self(void) { return this_cpu()->current; }

/* thread_create_on: takes a free slot, lays out a first frame that starts in
 * thread_entry with fn(arg), and queues it on core cpu (its own ready queue, or
 * a message to another core). Returns the thread, or 0 when cpu is not online
 * or all TORO_MAX_THREADS slots are in use. Any thread context. */
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

/* thread_create: thread_create_on the calling core. */
thread_t *thread_create(void (*fn)(void *), void *arg, const char *name)
{
    return thread_create_on(cpu_index(), fn, arg, name);
}

/* thread_detach: nobody will join t: its slot is released at its exit (or now,
 * if it has exited). */
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

/* thread_join: blocks until t has exited, then releases its slot. At most one
 * joiner; not with thread_detach. Thread context. */
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

/* thread_exit: ends the calling thread; its core finalises it after switching
 * away (finalize_exit). Never returns. */
void thread_exit(void)
{
    cli();
    struct cpu *c = this_cpu();
    c->current->exiting = 1;
    schedule();
    panic("thread_exit: returned");
}

/* thread_count_live: slots in use (running, waiting, or exited and not yet
 * joined), for tests and statistics. */
uint32_t thread_count_live(void)
{
    uint32_t n = 0;
    for (int i = 0; i < TORO_MAX_THREADS; i++)
        if (toro_threads[i].in_use) n++;
    return n;
}

TORO_SYM(thread_create_on);
TORO_SYM(thread_exit);
TORO_SYM(finalize_exit);
TORO_SYM(thread_join);
TORO_SYM(thread_detach);
