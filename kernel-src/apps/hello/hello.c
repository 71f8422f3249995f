/* hello: one thread on every core prints its core number; exits 0. */
#include <toro/thread.h>

static void hello_thread(void *arg)
{
    (void)arg;
    kprintf("hello from cpu %u\n", cpu_index());
}

void app_main(void)
{
    thread_t *t[TORO_MAX_CPUS];
    for (uint32_t i = 0; i < toro_ncpus; i++) t[i] = thread_create_on(i, hello_thread, 0, "hello");
    for (uint32_t i = 0; i < toro_ncpus; i++) if (t[i]) thread_join(t[i]);
    toro_exit(EXIT_SUCCESS_CODE);
}

TORO_SYM(hello_thread);
TORO_SYM(app_main);
