/* The virtio transports (PCI modern and legacy, MMIO version 2 and 1), device
 * discovery, and split virtqueues. See include/toro/virtio.h and
 * docs/devices.md. */
#include <toro/virtio.h>
#include <toro/irq.h>

#define PAGE 4096ull
#define IDENTITY_LIMIT (8ull << 30)   /* boot.asm maps 0-8 GiB */

/* virtio-mmio registers (virtio spec 4.2.2; legacy 4.2.4) */
#define MMIO_MAGIC        0x000
#define MMIO_VERSION      0x004
#define MMIO_DEVICE_ID    0x008
#define MMIO_DEV_FEATURES 0x010
#define MMIO_DEV_FEAT_SEL 0x014
#define MMIO_DRV_FEATURES 0x020
#define MMIO_DRV_FEAT_SEL 0x024
#define MMIO_GUEST_PAGE   0x028   /* v1 */
#define MMIO_QUEUE_SEL    0x030
#define MMIO_QUEUE_MAX    0x034
#define MMIO_QUEUE_NUM    0x038
#define MMIO_QUEUE_ALIGN  0x03c   /* v1 */
#define MMIO_QUEUE_PFN    0x040   /* v1 */
#define MMIO_QUEUE_READY  0x044   /* v2 */
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_INT_STATUS   0x060
#define MMIO_INT_ACK      0x064
#define MMIO_STATUS       0x070
#define MMIO_DESC_LO      0x080
#define MMIO_DRIVER_LO    0x090
#define MMIO_DEVICE_LO    0x0a0
#define MMIO_CONFIG       0x100
#define MMIO_MAGIC_VALUE  0x74726976   /* "virt" */

/* legacy virtio-pci I/O BAR 0 (virtio 0.9.5; config at 0x14 without MSI-X) */
#define LEG_DEV_FEATURES  0x00
#define LEG_DRV_FEATURES  0x04
#define LEG_QUEUE_PFN     0x08
#define LEG_QUEUE_SIZE    0x0c
#define LEG_QUEUE_SEL     0x0e
#define LEG_QUEUE_NOTIFY  0x10
#define LEG_STATUS        0x12
#define LEG_ISR           0x13
#define LEG_CONFIG        0x14

/* modern virtio-pci common configuration (virtio spec 4.1.4.3) */
#define COM_DEV_FEAT_SEL  0x00
#define COM_DEV_FEATURES  0x04
#define COM_DRV_FEAT_SEL  0x08
#define COM_DRV_FEATURES  0x0c
#define COM_STATUS        0x14
#define COM_QUEUE_SEL     0x16
#define COM_QUEUE_SIZE    0x18
#define COM_QUEUE_ENABLE  0x1c
#define COM_QUEUE_NOTIFY_OFF 0x1e
#define COM_QUEUE_DESC    0x20
#define COM_QUEUE_DRIVER  0x28
#define COM_QUEUE_DEVICE  0x30

/* vendor capability types */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR    3
#define CAP_DEVICE 4

/* rd8..rd32, wr8..wr64: register accesses of the width the virtio spec requires for each field */
static inline uint32_t rd32(volatile uint8_t *b, uint32_t off) { return *(volatile uint32_t *)(b + off); }
static inline uint16_t rd16(volatile uint8_t *b, uint32_t off) { return *(volatile uint16_t *)(b + off); }
static inline uint8_t rd8(volatile uint8_t *b, uint32_t off) { return *(volatile uint8_t *)(b + off); }
static inline void wr32(volatile uint8_t *b, uint32_t off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
static inline void wr16(volatile uint8_t *b, uint32_t off, uint16_t v) { *(volatile uint16_t *)(b + off) = v; }
static inline void wr8(volatile uint8_t *b, uint32_t off, uint8_t v) { *(volatile uint8_t *)(b + off) = v; }
static inline void wr64(volatile uint8_t *b, uint32_t off, uint64_t v) { wr32(b, off, (uint32_t)v); wr32(b, off + 4, (uint32_t)(v >> 32)); }

/* ---------------------------------------------------------------- status and features */
/* get_status/set_status: the device status register of any transport. */
static uint8_t get_status(struct virtio_dev *d)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN: return rd8(d->common, COM_STATUS);
    case VIRTIO_PCI_LEGACY: return inb(d->io + LEG_STATUS);
    default: return (uint8_t)rd32(d->mmio, MMIO_STATUS);
    }
}

static void set_status(struct virtio_dev *d, uint8_t s)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN: wr8(d->common, COM_STATUS, s); break;
    case VIRTIO_PCI_LEGACY: outb(d->io + LEG_STATUS, s); break;
    default: wr32(d->mmio, MMIO_STATUS, s); break;
    }
}

/* legacy: the transport has 32 feature bits and no FEATURES_OK step */
static bool is_legacy(const struct virtio_dev *d)
{
    return d->transport == VIRTIO_PCI_LEGACY || (d->transport == VIRTIO_MMIO && d->mmio_version == 1);
}

/* device_features: the features the device offers (64 bits; 32 on legacy PCI
 * and MMIO v1, whose registers have no select). */
static uint64_t device_features(struct virtio_dev *d)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN:
        wr32(d->common, COM_DEV_FEAT_SEL, 0);
        uint64_t lo = rd32(d->common, COM_DEV_FEATURES);
        wr32(d->common, COM_DEV_FEAT_SEL, 1);
        return lo | (uint64_t)rd32(d->common, COM_DEV_FEATURES) << 32;
    case VIRTIO_PCI_LEGACY:
        return inl(d->io + LEG_DEV_FEATURES);
    default:
        wr32(d->mmio, MMIO_DEV_FEAT_SEL, 0);
        uint64_t f = rd32(d->mmio, MMIO_DEV_FEATURES);
        if (d->mmio_version >= 2) {
            wr32(d->mmio, MMIO_DEV_FEAT_SEL, 1);
            f |= (uint64_t)rd32(d->mmio, MMIO_DEV_FEATURES) << 32;
        }
        return f;
    }
}

/* driver_features: writes the features the driver accepts (between DRIVER
 * and FEATURES_OK). */
static void driver_features(struct virtio_dev *d, uint64_t f)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN:
        wr32(d->common, COM_DRV_FEAT_SEL, 0);
        wr32(d->common, COM_DRV_FEATURES, (uint32_t)f);
        wr32(d->common, COM_DRV_FEAT_SEL, 1);
        wr32(d->common, COM_DRV_FEATURES, (uint32_t)(f >> 32));
        break;
    case VIRTIO_PCI_LEGACY:
        outl(d->io + LEG_DRV_FEATURES, (uint32_t)f);
        break;
    default:
        wr32(d->mmio, MMIO_DRV_FEAT_SEL, 0);
        wr32(d->mmio, MMIO_DRV_FEATURES, (uint32_t)f);
        if (d->mmio_version >= 2) {
            wr32(d->mmio, MMIO_DRV_FEAT_SEL, 1);
            wr32(d->mmio, MMIO_DRV_FEATURES, (uint32_t)(f >> 32));
        }
        break;
    }
}

bool virtio_negotiate(struct virtio_dev *d, uint64_t wanted)
{
    set_status(d, 0);                       /* reset: reads back 0 once done */
    for (int i = 0; i < 1000 && get_status(d); i++) cpu_pause();
    set_status(d, VIRTIO_S_ACKNOWLEDGE);
    set_status(d, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER);
    uint64_t offered = device_features(d);
    if (!is_legacy(d)) wanted |= VIRTIO_F_VERSION_1;
    else wanted &= 0xFFFFFFFFull;
    uint64_t accept = offered & wanted;
    if (!is_legacy(d) && !(accept & VIRTIO_F_VERSION_1)) {
        kprintf("toro: virtio: %s (%s) does not offer VERSION_1 (features %lx), skipped\n",
                d->where, d->kind, offered);
        set_status(d, VIRTIO_S_FAILED);
        return false;
    }
    driver_features(d, accept);
    d->features = accept;
    if (is_legacy(d)) return true;
    set_status(d, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | VIRTIO_S_FEATURES_OK);
    if (!(get_status(d) & VIRTIO_S_FEATURES_OK)) {
        kprintf("toro: virtio: %s (%s) refused features %lx (FEATURES_OK cleared), skipped\n",
                d->where, d->kind, accept);
        set_status(d, VIRTIO_S_FAILED);
        return false;
    }
    return true;
}

void virtio_driver_ok(struct virtio_dev *d)
{
    uint8_t s = VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER | VIRTIO_S_DRIVER_OK;
    if (!is_legacy(d)) s |= VIRTIO_S_FEATURES_OK;
    set_status(d, s);
}

void virtio_fail(struct virtio_dev *d) { set_status(d, VIRTIO_S_FAILED); }

uint8_t virtio_cfg8(struct virtio_dev *d, uint32_t off)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN: return rd8(d->devcfg, off);
    case VIRTIO_PCI_LEGACY: return inb(d->io + LEG_CONFIG + off);
    default: return rd8(d->mmio, MMIO_CONFIG + off);
    }
}

uint32_t virtio_isr_ack(struct virtio_dev *d)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN: return rd8(d->isr, 0);          /* reading clears it */
    case VIRTIO_PCI_LEGACY: return inb(d->io + LEG_ISR);    /* reading clears it */
    default: {
        uint32_t s = rd32(d->mmio, MMIO_INT_STATUS);
        if (s) wr32(d->mmio, MMIO_INT_ACK, s);
        return s;
    }
    }
}

/* ---------------------------------------------------------------- virtqueues */
/* Ring layout, legacy rules, used by every transport because they satisfy the
 * modern ones too: descriptors (16 bytes each, align 16) at the start, the
 * available ring (6 + 2N bytes, align 2) right after, the used ring (6 + 8N
 * bytes, align 4) on the next 4096-byte boundary, as a legacy device computes
 * it from the queue size and the page number alone. */
/* align_up: v rounded up to a multiple of a (a power of two). */
static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* queue_max: the device's largest size for queue index (0 = no such queue). */
static uint16_t queue_max(struct virtio_dev *d, uint16_t index)
{
    switch (d->transport) {
    case VIRTIO_PCI_MODERN:
        wr16(d->common, COM_QUEUE_SEL, index);
        return rd16(d->common, COM_QUEUE_SIZE);
    case VIRTIO_PCI_LEGACY:
        outw(d->io + LEG_QUEUE_SEL, index);
        return inw(d->io + LEG_QUEUE_SIZE);
    default:
        wr32(d->mmio, MMIO_QUEUE_SEL, index);
        if (d->mmio_version >= 2 && rd32(d->mmio, MMIO_QUEUE_READY)) return 0;
        if (d->mmio_version == 1 && rd32(d->mmio, MMIO_QUEUE_PFN)) return 0;
        return (uint16_t)rd32(d->mmio, MMIO_QUEUE_MAX);
    }
}

/* queue_register: tells the device where queue q lives (selected already). */
static void queue_register(struct virtio_dev *d, struct virtq *q)
{
    uint64_t desc = (uint64_t)q->desc, avail = (uint64_t)q->avail, used = (uint64_t)q->used;
    switch (d->transport) {
    case VIRTIO_PCI_MODERN:
        wr16(d->common, COM_QUEUE_SIZE, q->size);
        wr64(d->common, COM_QUEUE_DESC, desc);
        wr64(d->common, COM_QUEUE_DRIVER, avail);
        wr64(d->common, COM_QUEUE_DEVICE, used);
        q->notify_off = rd16(d->common, COM_QUEUE_NOTIFY_OFF);
        wr16(d->common, COM_QUEUE_ENABLE, 1);
        break;
    case VIRTIO_PCI_LEGACY:
        outl(d->io + LEG_QUEUE_PFN, (uint32_t)(desc / PAGE));
        break;
    default:
        wr32(d->mmio, MMIO_QUEUE_NUM, q->size);
        if (d->mmio_version == 1) {
            wr32(d->mmio, MMIO_QUEUE_ALIGN, PAGE);
            wr32(d->mmio, MMIO_QUEUE_PFN, (uint32_t)(desc / PAGE));
        } else {
            wr64(d->mmio, MMIO_DESC_LO, desc);
            wr64(d->mmio, MMIO_DRIVER_LO, avail);
            wr64(d->mmio, MMIO_DEVICE_LO, used);
            wr32(d->mmio, MMIO_QUEUE_READY, 1);
        }
        break;
    }
}

bool virtq_setup(struct virtio_dev *d, struct virtq *q, uint16_t index, uint16_t max)
{
    uint16_t n = queue_max(d, index);
    if (!n) return false;
    if (d->transport != VIRTIO_PCI_LEGACY) {   /* legacy PCI's size is fixed */
        if (n > max) n = max;
        while (n & (n - 1)) n &= n - 1;        /* a power of two */
    }
    uint64_t avail_off = 16ull * n;
    uint64_t used_off = align_up(avail_off + 6 + 2ull * n, PAGE);
    uint64_t bytes = used_off + align_up(6 + 8ull * n, PAGE);
    uint8_t *mem = page_alloc(bytes / PAGE);
    void **cookie = kzalloc(sizeof(void *) * n);
    if (!mem || !cookie) {
        if (mem) page_free(mem, bytes / PAGE);
        if (cookie) kfree(cookie);
        return false;
    }
    memset(q, 0, sizeof *q);
    q->dev = d;
    q->index = index;
    q->size = n;
    q->desc = (volatile struct vq_desc *)mem;
    q->avail = (volatile struct vq_avail *)(mem + avail_off);
    q->used = (volatile struct vq_used *)(mem + used_off);
    q->cookie = cookie;
    /* Only the ring headers need zeroes: the device reads a descriptor or an
     * available entry only once the driver has written and published it, and
     * writes each used entry before the used index. (Zeroing all 3 pages per
     * queue was a measurable part of the boot under nested KVM, which
     * emulates the guest's instructions one by one.) */
    q->avail->flags = 0;
    q->avail->idx = 0;
    q->used->flags = 0;
    q->used->idx = 0;
    for (uint16_t i = 0; i < n; i++) q->desc[i].next = (uint16_t)(i + 1);
    q->free_head = 0;
    q->nfree = n;
    if (d->transport == VIRTIO_MMIO && d->mmio_version == 1) wr32(d->mmio, MMIO_GUEST_PAGE, PAGE);
    queue_register(d, q);
    return true;
}

int virtq_add(struct virtq *q, const struct virtq_buf *b, uint32_t n, void *cookie)
{
    if (!n || n > q->nfree) return -1;
    uint16_t head = q->free_head, id = head, last = head;
    for (uint32_t i = 0; i < n; i++) {
        volatile struct vq_desc *dd = &q->desc[id];
        dd->addr = b[i].addr;
        dd->len = b[i].len;
        dd->flags = (uint16_t)((b[i].device_writes ? VQ_DESC_WRITE : 0) | (i + 1 < n ? VQ_DESC_NEXT : 0));
        last = id;
        id = dd->next;
    }
    q->free_head = q->desc[last].next;
    q->nfree = (uint16_t)(q->nfree - n);
    q->cookie[head] = cookie;
    q->avail->ring[q->avail_idx % q->size] = head;
    q->avail_idx++;
    /* the ring entry and descriptors before the index: x86 keeps stores in
     * order, the compiler must too */
    barrier();
    q->avail->idx = q->avail_idx;
    return head;
}

void virtq_notify(struct virtq *q)
{
    struct virtio_dev *d = q->dev;
    mfence();       /* avail->idx is globally visible before the device looks */
    switch (d->transport) {
    case VIRTIO_PCI_MODERN: wr16(d->notify, (uint32_t)q->notify_off * d->notify_mul, q->index); break;
    case VIRTIO_PCI_LEGACY: outw(d->io + LEG_QUEUE_NOTIFY, q->index); break;
    default: wr32(d->mmio, MMIO_QUEUE_NOTIFY, q->index); break;
    }
}

void virtq_interrupts(struct virtq *q, bool on)
{
    q->avail->flags = on ? 0 : VQ_AVAIL_NO_INTERRUPT;
    mfence();       /* the flag is visible before the caller looks at the used ring again */
}

bool virtq_used_pending(const struct virtq *q)
{
    return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE) != q->last_used;
}

void *virtq_get_used(struct virtq *q, uint32_t *len)
{
    if (!virtq_used_pending(q)) return 0;
    volatile struct vq_used_elem *e = &q->used->ring[q->last_used % q->size];
    uint16_t head = (uint16_t)e->id;
    *len = e->len;
    q->last_used++;
    if (head >= q->size) return 0;     /* a broken device: never trust its index */
    void *cookie = q->cookie[head];
    /* give the chain back to the free list */
    uint16_t id = head, n = 1;
    while ((q->desc[id].flags & VQ_DESC_NEXT) && n < q->size) { id = q->desc[id].next; n++; }
    q->desc[id].next = q->free_head;
    q->free_head = head;
    q->nfree = (uint16_t)(q->nfree + n);
    q->cookie[head] = 0;
    return cookie;
}

/* ---------------------------------------------------------------- discovery */
static struct virtio_dev devs[12];
static uint32_t ndevs;

/* attach: hands a found device to the driver of its type. */
static void attach(struct virtio_dev *d)
{
    if (d->type == VIRTIO_ID_NET) virtio_net_attach(d);
    else kprintf("toro: virtio: %s (%s) type %u: no driver\n", d->where, d->kind, d->type);
}

/* mapped: the range [a, a + len) is inside the identity map (and not 0). */
static bool mapped(uint64_t a, uint64_t len) { return a && a + len <= IDENTITY_LIMIT; }

/* pci_modern: the modern transport from the vendor capabilities; false when a
 * needed one is missing or its BAR is not memory inside the identity map. */
static bool pci_modern(struct virtio_dev *d, struct pci_dev *p)
{
    volatile uint8_t *regs[5] = { 0 };
    for (uint8_t c = pci_cap_next(p, 0x09, 0); c; c = pci_cap_next(p, 0x09, c)) {
        uint8_t type = pci_read8(p, c + 3), bar = pci_read8(p, c + 4);
        uint32_t off = pci_read32(p, c + 8), len = pci_read32(p, c + 12);
        if (type < CAP_COMMON || type > CAP_DEVICE || regs[type] || bar > 5) continue;
        struct pci_bar *b = &p->bar[bar];
        if (b->io || !b->size || off + (uint64_t)len > b->size || !mapped(b->addr, b->size)) continue;
        regs[type] = (volatile uint8_t *)(b->addr + off);
        if (type == CAP_NOTIFY) d->notify_mul = pci_read32(p, c + 16);
    }
    if (!regs[CAP_COMMON] || !regs[CAP_NOTIFY] || !regs[CAP_ISR]) return false;
    d->common = regs[CAP_COMMON];
    d->notify = regs[CAP_NOTIFY];
    d->isr = regs[CAP_ISR];
    d->devcfg = regs[CAP_DEVICE];
    d->transport = VIRTIO_PCI_MODERN;
    d->kind = "pci modern";
    return true;
}

/* probe_pci: every virtio function found by pci_scan. PCI INTx on QEMU's pc
 * and q35 reaches the IOAPIC as a level, active-high signal (the PCI link
 * devices of QEMU's DSDT say so); the firmware's interrupt line is the ISA
 * IRQ, translated through the MADT's overrides. */
static void probe_pci(void)
{
    for (uint32_t i = 0; i < pci_count() && ndevs < sizeof devs / sizeof devs[0]; i++) {
        struct pci_dev *p = pci_get(i);
        if (p->vendor != 0x1AF4 || p->device < 0x1000 || p->device > 0x107F) continue;
        struct virtio_dev *d = &devs[ndevs];
        memset(d, 0, sizeof *d);
        d->pci = p;
        d->type = p->device >= 0x1040 ? p->device - 0x1040u : p->subsys_id;
        ksnprintf(d->where, sizeof d->where, "pci %02x:%02x.%x", p->bus, p->dev, p->fn);
        kprintf("toro: pci %02x:%02x.%x virtio %04x:%04x class %02x%02x%02x pin %u line %u",
                p->bus, p->dev, p->fn, p->vendor, p->device, p->class, p->subclass, p->progif,
                p->irq_pin, p->irq_line);
        for (int b = 0; b < 6; b++)
            if (p->bar[b].size)
                kprintf(" bar%d %s 0x%lx+0x%lx", b, p->bar[b].io ? "io" : p->bar[b].is64 ? "mem64" : "mem32",
                        p->bar[b].addr, p->bar[b].size);
        kprintf("\n");
        if (!pci_modern(d, p)) {
            if (!p->bar[0].io || !p->bar[0].size) {
                kprintf("toro: virtio: %s has neither usable modern capabilities nor a legacy I/O BAR, skipped\n", d->where);
                continue;
            }
            d->transport = VIRTIO_PCI_LEGACY;
            d->kind = "pci legacy";
            d->io = (uint16_t)p->bar[0].addr;
        }
        if (!p->irq_pin || p->irq_line == 0xFF || !p->irq_line) {
            kprintf("toro: virtio: %s has no interrupt line assigned, skipped\n", d->where);
            continue;
        }
        d->level = true;
        d->active_low = false;
        d->gsi = irq_isa(p->irq_line, &d->level, &d->active_low);
        pci_enable(p);
        ndevs++;
        attach(d);
    }
}

/* probe_mmio: one virtio-mmio transport; empty slots (device id 0) are skipped. */
static void probe_mmio(const struct mmio_dev *m)
{
    if (ndevs >= sizeof devs / sizeof devs[0] || !mapped(m->base, m->size ? m->size : 0x200)) return;
    for (uint32_t i = 0; i < ndevs; i++)       /* both in the DSDT and on the command line */
        if (devs[i].transport == VIRTIO_MMIO && (uint64_t)devs[i].mmio == m->base) return;
    volatile uint8_t *r = (volatile uint8_t *)m->base;
    if (rd32(r, MMIO_MAGIC) != MMIO_MAGIC_VALUE) return;
    uint32_t ver = rd32(r, MMIO_VERSION), type = rd32(r, MMIO_DEVICE_ID);
    if (!type) return;
    struct virtio_dev *d = &devs[ndevs];
    memset(d, 0, sizeof *d);
    d->transport = VIRTIO_MMIO;
    d->mmio = r;
    d->mmio_version = ver;
    d->type = type;
    d->gsi = m->gsi;
    d->level = m->level;
    d->active_low = m->active_low;
    ksnprintf(d->where, sizeof d->where, "mmio 0x%lx", m->base);
    if (ver != 1 && ver != 2) {
        kprintf("toro: virtio: %s version %u not supported, skipped\n", d->where, ver);
        return;
    }
    d->kind = ver == 2 ? "mmio v2" : "mmio v1";
    kprintf("toro: virtio-mmio 0x%lx size 0x%lx version %u type %u gsi %u\n", m->base, m->size, ver, type, m->gsi);
    ndevs++;
    attach(d);
}

/* parse_num: a C-style number (0x hex or decimal) with an optional K/M/G
 * suffix when `suffix`; advances *s. */
static uint64_t parse_num(const char **s, bool suffix)
{
    const char *p = *s;
    uint64_t v = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        for (p += 2;; p++) {
            int c = *p, dgt = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
                              c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (dgt < 0) break;
            v = v * 16 + (uint64_t)dgt;
        }
    } else {
        for (; *p >= '0' && *p <= '9'; p++) v = v * 10 + (uint64_t)(*p - '0');
    }
    if (suffix) {
        if (*p == 'K' || *p == 'k') { v <<= 10; p++; }
        else if (*p == 'M' || *p == 'm') { v <<= 20; p++; }
        else if (*p == 'G' || *p == 'g') { v <<= 30; p++; }
    }
    *s = p;
    return v;
}

/* probe_cmdline: every `virtio_mmio.device=SIZE@BASE:IRQ[:ID]` word of the
 * command line (Linux's syntax, which QEMU's microvm appends with ACPI off).
 * The IRQ is a GSI of the first IOAPIC; virtio-mmio holds its line high while
 * its interrupt status is non-zero, so it is routed level, active high. */
static void probe_cmdline(void)
{
    static const char key[] = "virtio_mmio.device=";
    for (const char *p = boot_info.cmdline; p && *p;) {
        while (*p == ' ') p++;
        const char *w = p;
        while (*p && *p != ' ') p++;
        if ((size_t)(p - w) <= sizeof key - 1 || strncmp(w, key, sizeof key - 1)) continue;
        const char *s = w + sizeof key - 1;
        struct mmio_dev m = { .level = true };
        m.size = parse_num(&s, true);
        if (*s++ != '@') continue;
        m.base = parse_num(&s, false);
        if (*s++ != ':') continue;
        m.gsi = (uint32_t)parse_num(&s, false);
        probe_mmio(&m);
    }
}

/* virtio_probe: see virtio.h. PCI first, then the DSDT's transports, then the
 * command line's (a transport in both is attached once). */
void virtio_probe(void)
{
    probe_pci();
    for (uint32_t i = 0; i < platform.nmmio; i++) probe_mmio(&platform.mmio[i]);
    probe_cmdline();
}

TORO_SYM(virtio_probe);
TORO_SYM(virtio_negotiate);
TORO_SYM(virtq_setup);
TORO_SYM(virtq_add);
TORO_SYM(virtq_get_used);
TORO_SYM(virtq_notify);
TORO_SYM(virtio_isr_ack);
