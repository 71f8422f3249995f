/* COM1 console (0x3F8) and the raw COM2 port (0x2F8) used by telemetry. */
#include <toro/kernel.h>

#define COM1 0x3F8
#define COM2 0x2F8

static spinlock_t console_lock = SPINLOCK_INIT;

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

static inline void uart_putc(uint16_t base, char c)
{
    for (int i = 0; i < 100000 && !(inb(base + 5) & 0x20); i++)
        cpu_pause();
    outb(base, (uint8_t)c);
}

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

static void write_locked(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') uart_putc(COM1, '\r');
        uart_putc(COM1, *s);
    }
}

void kputs(const char *s)
{
    uint64_t f = irq_save();
    spin_lock(&console_lock);
    write_locked(s);
    spin_unlock(&console_lock);
    irq_restore(f);
}

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
