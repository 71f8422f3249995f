/* Freestanding string and memory routines (gcc may emit calls to these). */
#include <toro/kernel.h>

/* Word-at-a-time fast paths: every guest instruction costs under emulation. */
/* memset, memcpy, memmove: as C's. The attribute keeps gcc from turning their
 * loops back into calls to themselves. memcpy's regions must not overlap. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n && ((uintptr_t)p & 7)) { *p++ = (unsigned char)c; n--; }
    uint64_t w = 0x0101010101010101ull * (unsigned char)c;
    for (; n >= 8; n -= 8, p += 8) *(uint64_t *)p = w;
    while (n--) *p++ = (unsigned char)c;
    return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if ((((uintptr_t)dp ^ (uintptr_t)sp) & 7) == 0) {
        while (n && ((uintptr_t)dp & 7)) { *dp++ = *sp++; n--; }
        for (; n >= 8; n -= 8, dp += 8, sp += 8) *(uint64_t *)dp = *(const uint64_t *)sp;
    }
    while (n--) *dp++ = *sp++;
    return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) {
        while (n--) *dp++ = *sp++;
    } else {
        while (n--) dp[n] = sp[n];
    }
    return d;
}

/* memcmp, strlen, strncmp: as C's (unsigned byte order). */
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
        if (!*a) return 0;
    }
    return 0;
}

/* strncpy0: copies at most n-1 bytes of s (NULL is empty) into d and fills
 * the rest of d's n bytes with NULs, so d is always terminated. Returns d. */
char *strncpy0(char *d, const char *s, size_t n)
{
    size_t i = 0;
    if (!n) return d;
    for (; i + 1 < n && s && s[i]; i++) d[i] = s[i];
    for (; i < n; i++) d[i] = 0;
    return d;
}

TORO_SYM(memset);
TORO_SYM(memcpy);
TORO_SYM(memmove);
TORO_SYM(memcmp);
TORO_SYM(strlen);
