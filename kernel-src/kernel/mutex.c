/* Mutexes: a waiting thread blocks (its core runs its other threads, or
 * halts); the lock is handed to the first waiter in arrival order. */
#include "sched.h"

/* mutex_lock: takes m, or queues the calling thread and blocks until
 * mutex_unlock hands m to it. Not recursive. Thread context. */
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

/* mutex_unlock: hands m to its first waiter (and wakes it) or frees it.
 * Called by the owner. */
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

TORO_SYM(mutex_lock);
TORO_SYM(mutex_unlock);
