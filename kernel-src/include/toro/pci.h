/* PCI configuration space through ports 0xCF8/0xCFC and the devices found on
 * the buses reachable from bus 0 (kernel/pci.c). */
#ifndef TORO_PCI_H
#define TORO_PCI_H
#include <toro/kernel.h>

#define PCI_MAX_DEVS 64

struct pci_bar {
    uint64_t addr;      /* port number (io) or physical address (memory) */
    uint64_t size;      /* 0: BAR not implemented */
    bool io, is64, prefetch;
};

struct pci_dev {
    uint8_t bus, dev, fn;
    uint16_t vendor, device;
    uint8_t class, subclass, progif, revision;
    uint16_t subsys_vendor, subsys_id;
    uint8_t irq_line, irq_pin;  /* pin 1 = INTA#, 0 = none; line 0xFF = unassigned */
    struct pci_bar bar[6];      /* a 64-bit BAR fills bar[i]; bar[i + 1] stays empty */
};

uint32_t pci_read32(const struct pci_dev *d, uint32_t off);
uint16_t pci_read16(const struct pci_dev *d, uint32_t off);
uint8_t pci_read8(const struct pci_dev *d, uint32_t off);
void pci_write32(const struct pci_dev *d, uint32_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint32_t off, uint16_t v);

/* pci_scan: enumerates bus 0 and every bus behind a PCI-to-PCI bridge, and
 * records each function (BARs sized, I/O and memory decode left as the
 * firmware set them). Boot core, at boot, before other cores touch PCI. */
void pci_scan(void);
uint32_t pci_count(void);
struct pci_dev *pci_get(uint32_t i);     /* 0 when i >= pci_count() */

/* pci_cap_next: offset of the next capability with id `id` after offset
 * `from` (0 = from the start of the list), or 0 when there is none. */
uint8_t pci_cap_next(const struct pci_dev *d, uint8_t id, uint8_t from);

/* pci_enable: turns on I/O and memory decode and bus mastering (the device
 * may then DMA into memory). Boot core. */
void pci_enable(const struct pci_dev *d);

#endif
