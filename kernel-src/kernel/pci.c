/* PCI enumeration through configuration mechanism #1 (ports 0xCF8/0xCFC),
 * which pc and q35 both provide; q35's ECAM is not needed for the first 256
 * bytes of configuration space that drivers here use. */
#include <toro/pci.h>

#define CFG_ADDR 0xCF8
#define CFG_DATA 0xCFC

static struct pci_dev devs[PCI_MAX_DEVS];
static uint32_t ndevs;
/* The address/data port pair is one window shared by every core. */
static spinlock_t cfg_lock = SPINLOCK_INIT;

/* cfg_addr: the mechanism #1 address of a dword of bus/dev/fn's configuration space. */
static uint32_t cfg_addr(uint8_t bus, uint8_t dev, uint8_t fn, uint32_t off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (off & 0xFC);
}

/* cfg_read/cfg_write: one dword of bus/dev/fn's configuration space; any
 * core, any context (the window is held with interrupts off). */
static uint32_t cfg_read(uint8_t bus, uint8_t dev, uint8_t fn, uint32_t off)
{
    uint64_t f = irq_save();
    spin_lock(&cfg_lock);
    outl(CFG_ADDR, cfg_addr(bus, dev, fn, off));
    uint32_t v = inl(CFG_DATA);
    spin_unlock(&cfg_lock);
    irq_restore(f);
    return v;
}

static void cfg_write(uint8_t bus, uint8_t dev, uint8_t fn, uint32_t off, uint32_t v)
{
    uint64_t f = irq_save();
    spin_lock(&cfg_lock);
    outl(CFG_ADDR, cfg_addr(bus, dev, fn, off));
    outl(CFG_DATA, v);
    spin_unlock(&cfg_lock);
    irq_restore(f);
}

/* pci_read32/16/8, pci_write32: see pci.h; any core, any context. */
uint32_t pci_read32(const struct pci_dev *d, uint32_t off) { return cfg_read(d->bus, d->dev, d->fn, off); }
uint16_t pci_read16(const struct pci_dev *d, uint32_t off) { return (uint16_t)(pci_read32(d, off) >> (8 * (off & 2))); }
uint8_t pci_read8(const struct pci_dev *d, uint32_t off) { return (uint8_t)(pci_read32(d, off) >> (8 * (off & 3))); }
void pci_write32(const struct pci_dev *d, uint32_t off, uint32_t v) { cfg_write(d->bus, d->dev, d->fn, off, v); }

/* pci_write16: read-modify-write of the containing dword. The status
 * register (write 1 to clear) shares a dword with the command register, so
 * its bits are written back as 0 when the command register is written. */
void pci_write16(const struct pci_dev *d, uint32_t off, uint16_t v)
{
    uint32_t sh = 8 * (off & 2);
    uint32_t old = pci_read32(d, off & ~3u);
    if ((off & ~3u) == 0x04) old &= 0x0000FFFF;
    pci_write32(d, off & ~3u, (old & ~(0xFFFFu << sh)) | (uint32_t)v << sh);
}

/* size_bars: reads each BAR and its size (all ones written, the read-back's
 * low bits that stay zero give the size), then restores it. Decode is off
 * meanwhile so that the device never answers at the probe address. */
static void size_bars(struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, 0x04);
    pci_write16(d, 0x04, cmd & ~3u);
    for (int i = 0; i < 6; i++) {
        uint32_t off = 0x10 + 4 * i;
        uint32_t lo = pci_read32(d, off);
        struct pci_bar *b = &d->bar[i];
        pci_write32(d, off, 0xFFFFFFFF);
        uint32_t szlo = pci_read32(d, off);
        pci_write32(d, off, lo);
        if (!szlo) continue;
        if (lo & 1) {                       /* I/O */
            b->io = true;
            b->addr = lo & ~3u;
            b->size = (uint32_t)(~(szlo & ~3u) + 1) & 0xFFFF;
            continue;
        }
        b->prefetch = lo & 8;
        uint64_t mask = szlo & ~0xFu;
        b->addr = lo & ~0xFu;
        if (((lo >> 1) & 3) == 2 && i < 5) {   /* 64-bit: the next BAR is the high half */
            uint32_t hi = pci_read32(d, off + 4);
            pci_write32(d, off + 4, 0xFFFFFFFF);
            uint32_t szhi = pci_read32(d, off + 4);
            pci_write32(d, off + 4, hi);
            b->is64 = true;
            b->addr |= (uint64_t)hi << 32;
            mask |= (uint64_t)szhi << 32;
            b->size = ~mask + 1;
            i++;
        } else {
            b->size = (uint32_t)(~(uint32_t)mask + 1);
        }
    }
    pci_write16(d, 0x04, cmd);
}

static void scan_bus(uint8_t bus, int depth);

/* scan_fn: records one present function; follows a bridge to its secondary bus. */
static void scan_fn(uint8_t bus, uint8_t dev, uint8_t fn, int depth)
{
    uint32_t id = cfg_read(bus, dev, fn, 0);
    if ((id & 0xFFFF) == 0xFFFF || ndevs >= PCI_MAX_DEVS) return;
    struct pci_dev *d = &devs[ndevs++];
    memset(d, 0, sizeof *d);
    d->bus = bus; d->dev = dev; d->fn = fn;
    d->vendor = id & 0xFFFF;
    d->device = id >> 16;
    uint32_t cls = pci_read32(d, 0x08);
    d->revision = cls & 0xFF;
    d->progif = (cls >> 8) & 0xFF;
    d->subclass = (cls >> 16) & 0xFF;
    d->class = cls >> 24;
    uint8_t htype = pci_read8(d, 0x0E) & 0x7F;
    if (htype == 0) {
        uint32_t ss = pci_read32(d, 0x2C);
        d->subsys_vendor = ss & 0xFFFF;
        d->subsys_id = ss >> 16;
        uint32_t irq = pci_read32(d, 0x3C);
        d->irq_line = irq & 0xFF;
        d->irq_pin = (irq >> 8) & 0xFF;
        size_bars(d);
    } else if (htype == 1 && depth < 8) {   /* PCI-to-PCI bridge */
        uint8_t secondary = pci_read8(d, 0x19);
        if (secondary > bus) scan_bus(secondary, depth + 1);
    }
}

/* scan_bus: every device and function of one bus (depth: bridges followed
 * so far, a guard against a bridge loop). Boot core. */
static void scan_bus(uint8_t bus, int depth)
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        uint32_t id = cfg_read(bus, dev, 0, 0);
        if ((id & 0xFFFF) == 0xFFFF) continue;
        bool multi = (cfg_read(bus, dev, 0, 0x0C) >> 16) & 0x80;
        for (uint8_t fn = 0; fn < (multi ? 8 : 1); fn++) scan_fn(bus, dev, fn, depth);
    }
}

void pci_scan(void)
{
    ndevs = 0;
    /* no host bridge answering at 0:0.0 means no configuration mechanism #1
     * (microvm has no PCI unless asked for) */
    if ((cfg_read(0, 0, 0, 0) & 0xFFFF) == 0xFFFF) return;
    scan_bus(0, 0);
}

uint32_t pci_count(void) { return ndevs; }
struct pci_dev *pci_get(uint32_t i) { return i < ndevs ? &devs[i] : 0; }

uint8_t pci_cap_next(const struct pci_dev *d, uint8_t id, uint8_t from)
{
    if (!(pci_read16(d, 0x06) & 0x10)) return 0;     /* status: no capability list */
    uint8_t p = from ? pci_read8(d, from + 1) : pci_read8(d, 0x34);
    for (int guard = 0; p >= 0x40 && guard < 48; guard++) {
        p &= 0xFC;
        if (pci_read8(d, p) == id) return p;
        p = pci_read8(d, p + 1);
    }
    return 0;
}

void pci_enable(const struct pci_dev *d)
{
    pci_write16(d, 0x04, pci_read16(d, 0x04) | 0x7);   /* I/O, memory, bus master */
}

TORO_SYM(pci_scan);
TORO_SYM(scan_fn);
TORO_SYM(size_bars);
