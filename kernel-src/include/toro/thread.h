/* Toro threads, messages and locks: the API applications use. */
#ifndef TORO_THREAD_H
#define TORO_THREAD_H
#include <toro/kernel.h>

typedef struct toro_thread thread_t;

/* Create a thread on core `cpu` (any core; a remote one goes through the
 * per-(sender, receiver) message slots and wakes the core if it halts). */
thread_t *thread_create_on(uint32_t cpu, void (*fn)(void *), void *arg, const char *name);
thread_t *thread_create(void (*fn)(void *), void *arg, const char *name); /* this core */
void thread_detach(thread_t *t);
void thread_join(thread_t *t);     /* waits for the thread, then frees its slot */
void thread_exit(void) __attribute__((noreturn));
void thread_yield(void);
void thread_sleep_us(uint64_t us);
void thread_sleep_ms(uint64_t ms);
thread_t *thread_self(void);
uint32_t thread_count_live(void);

/* Polling API (Toro's SysThreadSwitch(idle) / SysThreadActive pair):
 * thread_poll_idle() = "I only poll and nothing changed": the thread waits for
 * the next event; a core whose runnable threads all poll halts until an
 * interrupt, an IPI or its next timer deadline. thread_poll_active() = "I did
 * real work": the thread is a normal runnable thread again. */
void thread_poll_idle(void);
void thread_poll_active(void);

/* Block/wake (wakes across cores are messages to the owner core). */
void thread_block(void);
void thread_wake(thread_t *t);
/* thread_block with a deadline (TSC; ~0 = none): returns on a wake or at the
 * deadline, whichever comes first (see sched.c). */
void thread_block_until(uint64_t deadline_tsc);

/* Messages between cores: every core has one inbox. */
struct toro_msg { uint32_t from; uint64_t a, b; };
void msg_send(uint32_t cpu, uint64_t a, uint64_t b);   /* blocks while 256 wait at cpu */
void msg_recv(struct toro_msg *m);      /* blocks the calling thread */
bool msg_try_recv(struct toro_msg *m);

/* Mutex: blocks the thread (other threads of the core keep running). */
typedef struct {
    spinlock_t lk;
    thread_t *owner;
    thread_t *wait_head, *wait_tail;
} mutex_t;
#define MUTEX_INIT { SPINLOCK_INIT, 0, 0, 0 }
void mutex_lock(mutex_t *m);
void mutex_unlock(mutex_t *m);

#endif
