/* Messages between cores: the kernel's own (create, wake, kick) through one
 * single-producer single-consumer mailbox per (receiver, sender) pair plus a
 * wake-up IPI to a halted receiver, and the applications' user messages
 * (msg_send / msg_recv) carried over them into the receiver's umsg ring. */
#include "sched.h"

struct mbox mboxes[TORO_MAX_CPUS][TORO_MAX_CPUS];

/* ---------------------------------------------------------------- mailboxes */
/* mbox_pending: whether a message waits for c in any mailbox (the idle loop
 * asks after publishing halted, so a sender either sees halted and sends an
 * IPI, or its message is seen here: a Dekker pair with mbox_send). */
bool mbox_pending(struct cpu *c)
{
    for (uint32_t s = 0; s < toro_ncpus; s++) {
        struct mbox *m = &mboxes[c->index][s];
        if (__atomic_load_n(&m->tail, __ATOMIC_ACQUIRE) != m->head) return true;
    }
    return false;
}

/* handle_msg: acts on one kernel message on its receiving core c: queue a
 * created thread, wake one, or move a user message into umsg and wake the
 * threads waiting in msg_recv. */
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
bool mbox_process(struct cpu *c)
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

/* mbox_send: puts a kernel message in the (cpu, this core) mailbox and IPIs
 * cpu if it halts. While the mailbox is full it handles its own mailboxes (the
 * receiver may be waiting on this core) and retries. Any context. */
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

/* cpu_kick: an empty message, to make a halted core run its idle loop once. */
void cpu_kick(uint32_t cpu) { mbox_send(cpu, MSG_KICK, 0, 0, 0); }

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

/* umsg_pop: the oldest user message of c into m, giving back its sender's
 * reservation; false when there is none. Interrupts off, on core c. */
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

/* msg_try_recv: a user message for this core into m if one has arrived;
 * never blocks. Thread context. */
bool msg_try_recv(struct toro_msg *m)
{
    uint64_t f = irq_save();
    struct cpu *c = this_cpu();
    mbox_process(c);
    bool r = umsg_pop(c, m);
    irq_restore(f);
    return r;
}

/* msg_recv: the next user message for this core into m; the thread blocks
 * (its core runs others or halts) until one arrives. Thread context. */
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

TORO_SYM(mbox_send);
TORO_SYM(mbox_process);
TORO_SYM(msg_recv);
TORO_SYM(msg_send);
