/* In-kernel tests: TORO_TEST(name, order) { ... } defines a test; the runner
 * (tests/runner.c) runs them by increasing order, each in its own thread on
 * core 0. A test returns TEST_PASS, or TEST_FAIL / TEST_SKIP with a message. */
#ifndef TORO_TEST_H
#define TORO_TEST_H
#include <toro/thread.h>

enum { TEST_PASS = 0, TEST_FAIL = 1, TEST_SKIP = 2 };

struct toro_test {
    const char *name;
    int (*fn)(char *msg, size_t n);
    long order;
    long pad;
} __attribute__((aligned(16)));

#define TORO_TEST(nm, ord)                                                        \
    static int test_##nm(char *msg, size_t msglen);                               \
    static const struct toro_test __toro_test_##nm                                \
        __attribute__((used, section(".toro_tests"))) = { #nm, test_##nm, ord, 0 }; \
    static int test_##nm(char *msg, size_t msglen)

#define FAIL(...) do { ksnprintf(msg, msglen, __VA_ARGS__); return TEST_FAIL; } while (0)
#define CHECK(cond, ...) do { if (!(cond)) FAIL(__VA_ARGS__); } while (0)
#define SKIP(...) do { ksnprintf(msg, msglen, __VA_ARGS__); return TEST_SKIP; } while (0)

#endif
