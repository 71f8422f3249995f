/* The in-kernel test runner: the `test` image's app_main. Console contract:
 *   toro: test NAME pass | toro: test NAME fail: MESSAGE | toro: test NAME skip: REASON
 *   toro: tests done passed=N failed=M
 * then exit 0 if M = 0, else 1. */
#include <toro/test.h>

extern const struct toro_test __toro_tests_start[], __toro_tests_end[];

struct run { const struct toro_test *t; int result; char msg[160]; };

static void run_one(void *arg)
{
    struct run *r = arg;
    r->msg[0] = 0;
    r->result = r->t->fn(r->msg, sizeof r->msg);
}

void app_main(void)
{
    size_t n = (size_t)(__toro_tests_end - __toro_tests_start);
    const struct toro_test *order[128];
    if (n > 128) n = 128;
    for (size_t i = 0; i < n; i++) order[i] = &__toro_tests_start[i];
    for (size_t i = 1; i < n; i++)        /* insertion sort by order */
        for (size_t k = i; k > 0 && order[k]->order < order[k - 1]->order; k--) {
            const struct toro_test *x = order[k]; order[k] = order[k - 1]; order[k - 1] = x;
        }
    uint32_t passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        static struct run r;
        r.t = order[i];
        thread_t *t = thread_create_on(0, run_one, &r, order[i]->name);
        if (!t) { kprintf("toro: test %s fail: cannot create its thread\n", order[i]->name); failed++; continue; }
        thread_join(t);
        if (r.result == TEST_PASS) { kprintf("toro: test %s pass\n", r.t->name); passed++; }
        else if (r.result == TEST_SKIP) kprintf("toro: test %s skip: %s\n", r.t->name, r.msg);
        else { kprintf("toro: test %s fail: %s\n", r.t->name, r.msg); failed++; }
    }
    kprintf("toro: tests done passed=%u failed=%u\n", passed, failed);
    toro_exit(failed ? EXIT_TESTS_FAILED : EXIT_SUCCESS_CODE);
}

TORO_SYM(run_one);
TORO_SYM(app_main);
