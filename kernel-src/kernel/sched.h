/* Scheduler internals shared by sched.c, thread.c and msg.c. Everything here
 * runs with interrupts off, on the core that owns the queues it touches
 * (a core's queues are only ever changed by that core: other cores send it
 * messages). Not for applications: they use <toro/thread.h>. */
#ifndef TORO_KERNEL_SCHED_H
#define TORO_KERNEL_SCHED_H
#include <toro/thread.h>

/* kernel messages between cores (struct kmsg.type) */
enum { MSG_CREATE = 1, MSG_WAKE = 2, MSG_USER = 3, MSG_KICK = 4 };

/* sched.c */
void rq_push(struct cpu *c, thread_t *t);      /* append t to c's ready queue */
void wake_local(struct cpu *c, thread_t *t);   /* t (of core c) ready again, or its wake kept */
void schedule(void);                           /* run the next ready thread (or idle) */

/* msg.c */
bool mbox_pending(struct cpu *c);              /* a message waits in one of c's mailboxes */
bool mbox_process(struct cpu *c);              /* handle them all; true if there was one */

/* thread.c */
void finalize_exit(struct cpu *c, thread_t *t); /* t exited and its stack is free */

/* The core leaves idle for a real reason (a thread to run, a message, an AP
 * woken up): tell a backed-off telemetry sender (telemetry.c, Dekker pair with
 * its flag). One load and a fence, only when a core leaves idle. */
static inline void note_activity(struct cpu *c)
{
    __atomic_store_n(&c->activity, c->activity + 1, __ATOMIC_RELAXED);
    mfence();
    if (__atomic_load_n(&telemetry_backed_off, __ATOMIC_RELAXED)) telemetry_activity(c);
}

#endif
