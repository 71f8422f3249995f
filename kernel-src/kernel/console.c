/* COM1 console (0x3F8) and the raw COM2 port (0x2F8) used by telemetry. */
#include <toro/kernel.h>

#define COM1 0x3F8
#define COM2 0x2F8

static spinlock_t console_lock = SPINLOCK_INIT;

/* uart_init: programs the 16550 at base for 115200 8N1, FIFO on, no
 * interrupts (the kernel only writes, and polls the line status). */
static void uart_init(uint16_t base)
{
    outb(base + 1, 0x00);   /* no interrupts */
    outb(base + 3, 0x80);   /* DLAB */
    outb(base + 0, 0x01);   /* 115200 baud */
    outb(base + 1, 0x00);
    outb(base + 3, 0x03);   /* 8N1 */
    outb(base + 2, 0xC7);   /* FIFO on, cleared */
    outb(base + 4, 0x03);   /* DTR, RTS */
}

/* uart_putc: writes c once the transmitter is empty, or after about 100000
 * polls (a port nobody drains must not hang the kernel). Caller holds the lock
 * of that port, if it has one. */
static inline void uart_putc(uint16_t base, char c)
{
    for (int i = 0; i < 100000 && !(inb(base + 5) & 0x20); i++)
        cpu_pause();
    outb(base, (uint8_t)c);
}

/* console_init, serial2_init: boot core, before any kprintf / telemetry. */
void console_init(void) { uart_init(COM1); }
void serial2_init(void) { uart_init(COM2); }

/* Telemetry volume matters (every port access is a trap into the emulator):
 * with the FIFO on, wait once for an empty transmitter, then write up to 16
 * bytes, the 16550 FIFO depth, with one rep outsb. KVM hands a string
 * instruction's bytes to QEMU in one exit where an outb loop costs one exit per
 * byte (about 100 us each on a nested host: the whole idle cost under KVM). */
void serial2_write(const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n) {
        for (int i = 0; i < 100000 && !(inb(COM2 + 5) & 0x20); i++)
            cpu_pause();
        size_t k = n < 16 ? n : 16;
        n -= k;
        __asm__ volatile("rep outsb" : "+S"(p), "+c"(k) : "d"((uint16_t)COM2) : "memory");
    }
}

/* write_locked: writes s to COM1 with \n as \r\n. Caller holds console_lock. */
static void write_locked(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') uart_putc(COM1, '\r');
        uart_putc(COM1, *s);
    }
}

/* kputs: writes s to the console as one unit (lines of different cores do not
 * interleave). Any context, interrupts too: the lock is taken with interrupts off. */
void kputs(const char *s)
{
    uint64_t f = irq_save();
    spin_lock(&console_lock);
    write_locked(s);
    spin_unlock(&console_lock);
    irq_restore(f);
}

/* kprintf: formats (lib/printf.c's subset, at most 511 bytes: longer output is
 * cut) and writes with kputs. Any context; uses 512 bytes of stack. */
void kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    kputs(buf);
}

/* Used by the panic path: takes the console even if a stopped core held it. */
void console_force_unlock(void) { spin_unlock(&console_lock); }

TORO_SYM(kputs);
TORO_SYM(kprintf);
TORO_SYM(serial2_write);
