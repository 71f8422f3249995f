/* Device interrupt routing: IOAPIC redirection entries, vector allocation and
 * dispatch to the drivers' handlers. */
#include <toro/irq.h>

/* The IOAPIC's index/data register pair is one access window: the lock keeps
 * two cores (or an interrupt) from interleaving their index writes. */
static spinlock_t ioapic_lock = SPINLOCK_INIT;

/* Devices on one GSI (a shared PCI INTx line) share its vector: each handler
 * checks its own device's status. */
#define HANDLERS_PER_VECTOR 4
struct vec_entry {
    uint32_t gsi, cpu, nhandlers;
    irq_handler_fn fn[HANDLERS_PER_VECTOR];
    void *arg[HANDLERS_PER_VECTOR];
};
static struct vec_entry vectors[VEC_IRQ_LAST + 1];
static spinlock_t vec_lock = SPINLOCK_INIT;   /* allocation and handler lists */
static uint32_t next_vector = VEC_IRQ_FIRST;

/* ioapic_read/ioapic_write: one register of an IOAPIC through its index
 * (offset 0) and data (offset 0x10) window. Boot core at boot, otherwise under
 * ioapic_lock with interrupts off. */
static uint32_t ioapic_read(const struct ioapic_info *io, uint32_t reg)
{
    volatile uint32_t *r = (volatile uint32_t *)io->base;
    r[0] = reg;
    return r[4];
}

static void ioapic_write(const struct ioapic_info *io, uint32_t reg, uint32_t v)
{
    volatile uint32_t *r = (volatile uint32_t *)io->base;
    r[0] = reg;
    r[4] = v;
}

/* ioapic_inputs: number of redirection entries (from the version register). */
static uint32_t ioapic_inputs(const struct ioapic_info *io)
{
    return ((ioapic_read(io, 1) >> 16) & 0xFF) + 1;
}

/* ioapic_init: see irq.h. Nothing is routed until a driver asks. */
void ioapic_init(void)
{
    for (uint32_t k = 0; k < platform.nioapics; k++) {
        const struct ioapic_info *io = &platform.ioapics[k];
        uint32_t n = ioapic_inputs(io);
        for (uint32_t i = 0; i < n; i++) {
            ioapic_write(io, 0x10 + 2 * i, 1 << 16);
            ioapic_write(io, 0x11 + 2 * i, 0);
        }
    }
}

/* ioapic_for: the IOAPIC whose inputs include gsi, and the input number. */
static const struct ioapic_info *ioapic_for(uint32_t gsi, uint32_t *pin)
{
    for (uint32_t k = 0; k < platform.nioapics; k++) {
        const struct ioapic_info *io = &platform.ioapics[k];
        if (gsi >= io->gsi_base && gsi < io->gsi_base + ioapic_inputs(io)) {
            *pin = gsi - io->gsi_base;
            return io;
        }
    }
    return 0;
}

uint32_t irq_isa(uint8_t irq, bool *level, bool *active_low)
{
    for (uint32_t i = 0; i < platform.nisos; i++) {
        const struct irq_override *o = &platform.isos[i];
        if (o->irq != irq) continue;
        uint32_t pol = o->flags & 3, trig = (o->flags >> 2) & 3;
        if (pol == 1) *active_low = false;
        if (pol == 3) *active_low = true;
        if (trig == 1) *level = false;
        if (trig == 3) *level = true;
        return o->gsi;
    }
    return irq;
}

/* vector_of: the vector already serving gsi, or -1. Under vec_lock. */
static int vector_of(uint32_t gsi)
{
    for (uint32_t v = VEC_IRQ_FIRST; v < next_vector; v++)
        if (vectors[v].gsi == gsi && vectors[v].nhandlers) return (int)v;
    return -1;
}

int irq_route(uint32_t gsi, bool level, bool active_low, uint32_t cpu, irq_handler_fn handler, void *arg)
{
    uint32_t pin;
    const struct ioapic_info *io = ioapic_for(gsi, &pin);
    if (!io || cpu >= toro_ncpus || !cpus[cpu].online) return -1;
    uint64_t f = irq_save();
    spin_lock(&vec_lock);
    int v = vector_of(gsi);
    bool fresh = v < 0;
    if (fresh && next_vector <= VEC_IRQ_LAST) v = (int)next_vector++;
    struct vec_entry *e = v >= 0 ? &vectors[v] : 0;
    if (e && (e->nhandlers >= HANDLERS_PER_VECTOR || (!fresh && e->cpu != cpu))) {
        e = 0;
        v = -1;
    }
    if (e) {
        uint32_t k = e->nhandlers;
        e->gsi = gsi;
        e->cpu = cpu;
        e->arg[k] = arg;
        e->fn[k] = handler;
        /* the dispatcher reads nhandlers first: publish the entry before it */
        __atomic_store_n(&e->nhandlers, k + 1, __ATOMIC_RELEASE);
    }
    spin_unlock(&vec_lock);
    if (e && fresh) {
        /* fixed delivery, physical destination; bit 13 active low, bit 15 level */
        uint32_t lo = (uint32_t)v | (active_low ? 1u << 13 : 0) | (level ? 1u << 15 : 0);
        spin_lock(&ioapic_lock);
        ioapic_write(io, 0x10 + 2 * pin, lo | 1u << 16);
        ioapic_write(io, 0x11 + 2 * pin, cpus[cpu].apic_id << 24);
        ioapic_write(io, 0x10 + 2 * pin, lo);
        spin_unlock(&ioapic_lock);
    }
    irq_restore(f);
    return v;
}

/* irq_dispatch: see irq.h. Every handler of the vector runs (a shared line
 * may have several devices asserting it); they have acknowledged their
 * devices, so the EOI, which a level-triggered IOAPIC entry waits for, comes
 * after them. A vector with no handler is only acknowledged. */
void irq_dispatch(uint32_t vector)
{
    struct vec_entry *e = &vectors[vector];
    uint32_t n = __atomic_load_n(&e->nhandlers, __ATOMIC_ACQUIRE);
    for (uint32_t k = 0; k < n; k++) e->fn[k](e->arg[k]);
    lapic_eoi();
}

TORO_SYM(ioapic_init);
TORO_SYM(irq_route);
TORO_SYM(irq_dispatch);
