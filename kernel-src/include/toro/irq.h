/* Device interrupts: a GSI routed through its IOAPIC to one core's LAPIC, on
 * a vector of its own, dispatched to the driver's handler (kernel/irq.c). */
#ifndef TORO_IRQ_H
#define TORO_IRQ_H
#include <toro/kernel.h>

#define VEC_IRQ_FIRST 0x50
#define VEC_IRQ_LAST  0xEF

/* Runs in interrupt context on the owner core with interrupts off. For a
 * level-triggered source it must acknowledge the device (deassert the line)
 * before returning: the LAPIC EOI follows the return, and the IOAPIC would
 * deliver a line still asserted again at once. */
typedef void (*irq_handler_fn)(void *arg);

/* irq_route: routes GSI `gsi` (level or edge, active low or high) to core
 * `cpu` on a free vector and calls handler(arg) for each interrupt. A GSI
 * routed already (a shared PCI line) keeps its vector, trigger and core and
 * gets one more handler (at most 4). Returns the vector, or -1 when no IOAPIC
 * serves the GSI, cpu is not online, the GSI goes to another core, or every
 * vector or handler slot is taken. Any core, thread context; the entry is unmasked last, so
 * the handler may run (on cpu) before irq_route returns. */
int irq_route(uint32_t gsi, bool level, bool active_low, uint32_t cpu, irq_handler_fn handler, void *arg);

/* irq_isa: the GSI and flags of ISA IRQ `irq` after the MADT's interrupt
 * source overrides; level/active_low are left as given when no override
 * names the IRQ or it keeps the bus default. */
uint32_t irq_isa(uint8_t irq, bool *level, bool *active_low);

/* ioapic_init: masks every input of every IOAPIC. Boot core, at boot. */
void ioapic_init(void);

/* irq_dispatch: called by isr_dispatch for vectors VEC_IRQ_FIRST..VEC_IRQ_LAST:
 * the handler, then the LAPIC EOI. Interrupt context. */
void irq_dispatch(uint32_t vector);

#endif
