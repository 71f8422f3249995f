/* Toro kernel: common definitions. */
#ifndef TORO_KERNEL_H
#define TORO_KERNEL_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include <toro/stats.h>

#define TORO_VERSION "toro 0.1"

/* ---- port I/O and CPU helpers ---- */
static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outl(uint16_t p, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(p)); }
static inline void outw(uint16_t p, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint16_t inw(uint16_t p) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint32_t inl(uint16_t p) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline uint64_t rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((uint64_t)hi << 32) | lo; }
static inline uint64_t rdmsr(uint32_t m) { uint32_t lo, hi; __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(m)); return ((uint64_t)hi << 32) | lo; }
static inline void wrmsr(uint32_t m, uint64_t v) { __asm__ volatile("wrmsr" :: "c"(m), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))); }
static inline void cpu_pause(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline uint64_t irq_save(void) { uint64_t f; __asm__ volatile("pushfq; popq %0; cli" : "=r"(f) :: "memory"); return f; }
static inline void irq_restore(uint64_t f) { if (f & 0x200) sti(); }
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void invlpg(uint64_t a) { __asm__ volatile("invlpg (%0)" :: "r"(a) : "memory"); }
#define barrier() __asm__ volatile("" ::: "memory")
#define mfence() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* ---- symbol records for backtraces ---- */
struct toro_sym { uintptr_t addr; const char *name; };
#define TORO_SYM(f) \
    static const struct toro_sym __toro_sym_##f __attribute__((used, section(".toro_syms"), aligned(16))) = { (uintptr_t)(f), #f }
const char *sym_lookup(uintptr_t addr, uintptr_t *off);

/* ---- console (COM1) ---- */
void console_init(void);
void kputs(const char *s);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
void serial2_init(void);
void serial2_write(const void *buf, size_t n);

/* ---- lib ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy0(char *d, const char *s, size_t n); /* always NUL-terminates */

/* ---- spin locks ---- */
typedef struct { volatile uint32_t v; } spinlock_t;
#define SPINLOCK_INIT { 0 }
static inline void spin_lock(spinlock_t *l) {
    while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&l->v, __ATOMIC_RELAXED)) cpu_pause();
}
static inline bool spin_trylock(spinlock_t *l) { return !__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE); }
static inline void spin_unlock(spinlock_t *l) { __atomic_store_n(&l->v, 0, __ATOMIC_RELEASE); }

/* ---- exit and panic ---- */
#define EXIT_SUCCESS_CODE 0
#define EXIT_TESTS_FAILED 1
#define EXIT_PANIC 2
void toro_exit(int code) __attribute__((noreturn));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---- boot information ---- */
struct boot_info {
    const char *cmdline;
    uint64_t rsdp;
    uint32_t telemetry_hz;
    uint32_t telemetry_idle_ms;   /* idle backoff ceiling (telemetry_idle=MS), 0 = none */
    bool idle_poll;
    uint64_t ram_bytes;
};
extern struct boot_info boot_info;
const char *cmdline_get(const char *key, char *buf, size_t n); /* value of key=..., or NULL */
uint64_t cmdline_uint(const char *key, uint64_t def);

/* ---- time ---- */
extern uint64_t tsc_khz;       /* calibrated TSC frequency */
extern uint64_t lapic_khz;     /* LAPIC timer input clock (after the divider) */
extern bool tsc_synced_by_hypervisor; /* kvmclock's TSC-stable flag: no AP TSC sync needed */
static inline uint64_t tsc_from_us(uint64_t us) { return us * tsc_khz / 1000; }
static inline uint64_t tsc_to_us(uint64_t t) { return t * 1000 / tsc_khz; }
static inline uint64_t tsc_to_ns(uint64_t t) { return t * 1000000 / tsc_khz; }
void delay_us(uint64_t us);

/* ---- interrupts, APIC ---- */
#define VEC_TIMER    0x40
#define VEC_WAKE     0x41
#define VEC_TELEMETRY 0x42   /* to core 0: activity while telemetry is backed off */
#define VEC_SPURIOUS 0xFF
struct isr_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};
void idt_init(void);
void idt_load(void);
void lapic_init(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, uint32_t vector);
void lapic_send_nmi_others(void);
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint32_t page);
void lapic_timer_arm(uint64_t deadline_tsc); /* one-shot; 0 = disarm */
void timer_calibrate(void);
/* hypervisor_kind(): from CPUID.1:ECX[31] and the CPUID 0x40000000 signature */
enum { HV_NONE, HV_KVM, HV_TCG, HV_OTHER };
int hypervisor_kind(void);
void pic_pit_disable(void);

/* fault hook: a test arms it to survive a deliberate exception */
struct fault_hook {
    volatile int armed;
    volatile uint64_t vector, error, cr2, rip;
    uint64_t resume_rip;
};

/* ---- per-CPU data (GS) ---- */
struct gdt_tss {
    uint64_t gdt[7];
    struct __attribute__((packed)) {
        uint32_t r0; uint64_t rsp[3]; uint64_t r1; uint64_t ist[7]; uint64_t r2; uint16_t r3, iomap;
    } tss;
};

#define MBOX_SLOTS 32
struct kmsg { uint64_t type, a, b, c; };
struct mbox {  /* single producer (sender core) single consumer (receiver core) */
    volatile uint32_t head, tail;
    struct kmsg m[MBOX_SLOTS];
};
#define UMSG_SLOTS 256

struct heap_cpu;

struct cpu {
    struct cpu *self;
    uint32_t index, apic_id;
    struct toro_cpu_stats *st;
    struct toro_thread *current;
    struct toro_thread idle;          /* the idle context (boot stack), tid 0 */
    struct toro_thread *prev;         /* thread switched away from, finalised after */
    struct toro_thread *rq_head, *rq_tail;   /* ready */
    struct toro_thread *pq_head, *pq_tail;   /* polling (waiting for the next wake-up) */
    struct toro_thread *sleepers;     /* sorted by deadline */
    uint32_t nready, npoll;
    uint64_t switch_tsc;
    volatile uint32_t halted;         /* 1 while in sti;hlt: senders must IPI */
    volatile uint32_t online;
    volatile uint32_t in_sched;
    uint64_t armed_deadline;
    volatile uint64_t activity;       /* +1 whenever the core leaves idle (telemetry backoff) */
    struct fault_hook hook;
    /* user messages: a local ring filled from the mailboxes */
    struct kmsg umsg[UMSG_SLOTS];
    uint32_t umsg_head, umsg_tail;
    /* user messages reserved by senders and not yet taken by a thread here:
     * never above UMSG_SLOTS, so every one has room in umsg (see msg_send) */
    volatile uint32_t umsg_reserved;
    struct toro_thread *umsg_waiters;
    struct heap_cpu *heap;
    struct gdt_tss gt;
    uint8_t ist_stack[3][4096] __attribute__((aligned(16))); /* IST1 NMI, IST2 #PF, IST3 #DF */
};
extern struct cpu cpus[TORO_MAX_CPUS];
extern struct mbox mboxes[TORO_MAX_CPUS][TORO_MAX_CPUS]; /* [receiver][sender] */
static inline struct cpu *this_cpu(void) { struct cpu *c; __asm__ volatile("mov %%gs:0, %0" : "=r"(c)); return c; }
static inline uint32_t cpu_index(void) { return this_cpu()->index; }
void cpu_setup(struct cpu *c);   /* GDT, TSS, IDT, GS on the calling core */
uint32_t cpu_count(void);
void cpu_kick(uint32_t cpu);     /* wake a halted core (IPI only when needed) */

/* ---- ACPI / SMP ---- */
#define MAX_IOAPICS 4
#define MAX_ISOS 16
#define MAX_MMIO_DEVS 8
struct ioapic_info { uint64_t base; uint32_t gsi_base; uint8_t id; };
/* MADT interrupt source override: ISA IRQ `irq` arrives at GSI `gsi`;
 * flags as in the MADT (bits 0-1 polarity, 2-3 trigger; 0 = bus default). */
struct irq_override { uint8_t irq; uint16_t flags; uint32_t gsi; };
/* a virtio-mmio transport found in the DSDT (LNRO0005) or on the command line */
struct mmio_dev { uint64_t base, size; uint32_t gsi; bool level, active_low; };
struct platform {
    uint32_t ncpus;
    uint32_t dropped_cpus;   /* enabled cores past TORO_MAX_CPUS: never started */
    uint32_t apic_ids[TORO_MAX_CPUS];
    uint64_t lapic_base;
    uint32_t nioapics;       /* every IOAPIC of the MADT (MP table: the first) */
    struct ioapic_info ioapics[MAX_IOAPICS];
    uint32_t nisos;
    struct irq_override isos[MAX_ISOS];
    uint32_t nmmio;          /* virtio-mmio transports of the DSDT */
    struct mmio_dev mmio[MAX_MMIO_DEVS];
    const char *source;     /* "acpi", "mp", "none" */
};
extern struct platform platform;
void platform_discover(void);
void smp_start_aps(void);

/* ---- memory ---- */
void mm_init_from(uint64_t start_info);
void *page_alloc(size_t npages);
void page_free(void *p, size_t npages);
uint64_t page_free_count(void);
void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);
uint64_t mem_free_bytes(void);   /* free pages + free heap blocks on every core */
void stacks_init(void);
uint64_t stack_for_slot(uint32_t slot);       /* top of the slot's stack */
uint64_t stack_guard_for_slot(uint32_t slot); /* address of its guard page */

/* ---- telemetry ---- */
void telemetry_init(void);
void telemetry_tick(void);       /* called from the timer interrupt on core 0 */
extern uint64_t telemetry_deadline;
uint32_t telemetry_crc32(const uint8_t *p, size_t n);  /* zlib crc32 */
/* Idle backoff (docs/telemetry.md "Idle backoff"). */
extern volatile uint32_t telemetry_backed_off;   /* 1 while the interval is above the period */
void telemetry_activity(struct cpu *c);          /* c left idle while backed off */
void telemetry_resume(void);                     /* core 0, interrupts off: full rate now */
struct telemetry_info {                          /* the sender's state, for tests and gdb */
    volatile uint64_t period;          /* configured period (TSC cycles) */
    volatile uint64_t ceiling;         /* backoff ceiling (TSC cycles), 0 = no backoff */
    volatile uint64_t interval;        /* current interval (TSC cycles) */
    volatile uint64_t samples;         /* samples sent */
    volatile uint64_t idle_samples;    /* samples that found the system idle */
    volatile uint64_t last_sample_tsc;
    volatile uint64_t resumes;         /* backoffs ended by activity */
    volatile uint64_t resume_ipis;     /* of which signalled by another core's IPI */
    volatile uint64_t resume_interval; /* the interval in effect at the last resume */
    volatile uint64_t resume_tsc;      /* when core 0 handled the last resume */
};
extern struct telemetry_info telemetry_info;

/* ---- scheduler internals ---- */
void sched_init_cpu(struct cpu *c);
void sched_idle_loop(void) __attribute__((noreturn));
void sched_timer_interrupt(void);
uint64_t sched_next_deadline(struct cpu *c);
extern volatile uint32_t sched_cpus_running;
void mbox_send(uint32_t cpu, uint64_t type, uint64_t a, uint64_t b, uint64_t c);

/* ---- assembly ---- */
void ctx_switch(uint64_t *save_rsp, uint64_t new_rsp);
void thread_start(void);
void toro_halt_once(void);
uint64_t toro_probe_read(const volatile uint64_t *p);
void toro_probe_read_resume(void);
void toro_probe_ud2(void);
void toro_probe_ud2_resume(void);
extern const uint64_t isr_table[256];
extern char tramp_start[], tramp_end[];
extern volatile uint32_t ap_started;
extern uint64_t boot_pml4[512];
extern uint64_t boot_pdpt[512];

/* application entry (weak): the app or the test runner defines it */
void app_main(void) __attribute__((weak));

#endif
