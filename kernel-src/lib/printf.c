/* A small vsnprintf: %d %i %u %x %X %p %s %c %%, flags '0' '-', width,
 * length modifiers l, ll, z. */
#include <toro/kernel.h>

struct out { char *buf; size_t n, len; };

/* put: appends c if it fits (one byte stays for the NUL); counts it either way,
 * so that the length returned is the length the output needed. */
static void put(struct out *o, char c)
{
    if (o->len + 1 < o->n) o->buf[o->len] = c;
    o->len++;
}

/* put_num: v in base (10 or 16), with a '-' when neg, padded to width with
 * spaces (left or right) or zeros after the sign. */
static void put_num(struct out *o, uint64_t v, unsigned base, bool upper, bool neg,
                    int width, bool zero, bool left)
{
    char tmp[24];
    int i = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do { tmp[i++] = digits[v % base]; v /= base; } while (v);
    int len = i + (neg ? 1 : 0);
    if (!left && !zero) for (; width > len; width--) put(o, ' ');
    if (neg) put(o, '-');
    if (!left && zero) for (; width > len; width--) put(o, '0');
    while (i) put(o, tmp[--i]);
    if (left) for (; width > len; width--) put(o, ' ');
}

/* kvsnprintf: formats into buf (at most n bytes, NUL-terminated when n > 0)
 * and returns the length the whole output needs, as C's vsnprintf. An unknown
 * conversion is copied as it is. */
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') { put(&o, *fmt); continue; }
        fmt++;
        bool zero = false, left = false;
        int width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') zero = true;
            else if (*fmt == '-') left = true;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') { lng++; fmt++; }
        switch (*fmt) {
        case 'd': case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, v < 0, width, zero, left);
            break;
        }
        case 'u': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_num(&o, v, 10, false, false, width, zero, left);
            break;
        }
        case 'x': case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_num(&o, v, 16, *fmt == 'X', false, width, zero, left);
            break;
        }
        case 'p': {
            uint64_t v = (uintptr_t)va_arg(ap, void *);
            put(&o, '0'); put(&o, 'x');
            put_num(&o, v, 16, false, false, 16, true, false);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            int len = (int)strlen(s);
            if (!left) for (; width > len; width--) put(&o, ' ');
            while (*s) put(&o, *s++);
            if (left) for (; width > len; width--) put(&o, ' ');
            break;
        }
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case '%': put(&o, '%'); break;
        case 0: fmt--; break;
        default: put(&o, '%'); put(&o, *fmt); break;
        }
    }
    if (n) buf[o.len < n ? o.len : n - 1] = 0;
    return (int)o.len;
}

/* ksnprintf: kvsnprintf with its arguments inline. */
int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = kvsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

TORO_SYM(kvsnprintf);
TORO_SYM(ksnprintf);
