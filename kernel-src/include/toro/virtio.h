/* The virtio transport layer (kernel/virtio.c): one device interface over
 * virtio-pci (modern 1.0 capabilities, or the legacy I/O BAR of a
 * transitional device) and virtio-mmio (version 2, or 1 = legacy), and split
 * virtqueues on top. A device driver (virtio-net, later virtio-blk) sees only
 * struct virtio_dev and struct virtq.
 *
 * Driver sequence: virtio_negotiate, virtq_setup per queue, virtio_driver_ok;
 * then virtq_add + virtq_notify to hand buffers over, virtq_get_used to take
 * them back, virtio_isr_ack in the interrupt handler. */
#ifndef TORO_VIRTIO_H
#define TORO_VIRTIO_H
#include <toro/kernel.h>
#include <toro/pci.h>

/* device types (virtio spec 5.x) */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLK 2

/* feature bits common to every device type */
#define VIRTIO_F_ANY_LAYOUT (1ull << 27)   /* legacy: header and data may share a descriptor */
#define VIRTIO_F_VERSION_1  (1ull << 32)

/* device status bits */
#define VIRTIO_S_ACKNOWLEDGE 1
#define VIRTIO_S_DRIVER      2
#define VIRTIO_S_DRIVER_OK   4
#define VIRTIO_S_FEATURES_OK 8
#define VIRTIO_S_FAILED      128

enum { VIRTIO_PCI_MODERN, VIRTIO_PCI_LEGACY, VIRTIO_MMIO };

struct virtio_dev {
    int transport;               /* VIRTIO_PCI_MODERN, VIRTIO_PCI_LEGACY, VIRTIO_MMIO */
    uint32_t type;               /* VIRTIO_ID_* */
    const char *kind;            /* "pci modern", "pci legacy", "mmio v2", "mmio v1" */
    char where[24];              /* "pci 00:03.0" or "mmio 0xfeb00000" */
    uint32_t gsi;                /* its interrupt (IOAPIC input) */
    bool level, active_low;
    uint64_t features;           /* negotiated (virtio_negotiate) */
    /* transport registers */
    struct pci_dev *pci;
    volatile uint8_t *common, *isr, *devcfg, *notify;   /* modern PCI */
    uint32_t notify_mul;
    uint16_t io;                 /* legacy PCI: I/O BAR 0 */
    volatile uint8_t *mmio;      /* virtio-mmio registers */
    uint32_t mmio_version;
};

/* Split virtqueue descriptor, available and used rings (virtio spec 2.7). */
struct vq_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
#define VQ_DESC_NEXT  1
#define VQ_DESC_WRITE 2          /* the device writes this buffer */
struct vq_avail { uint16_t flags, idx; uint16_t ring[]; };
#define VQ_AVAIL_NO_INTERRUPT 1  /* a hint: the device need not interrupt for this queue */
struct vq_used_elem { uint32_t id, len; };
struct vq_used { uint16_t flags, idx; struct vq_used_elem ring[]; };

/* One virtqueue. Not locked: its driver serialises every call on one queue. */
struct virtq {
    struct virtio_dev *dev;
    uint16_t index, size;
    volatile struct vq_desc *desc;
    volatile struct vq_avail *avail;
    volatile struct vq_used *used;
    uint16_t free_head, nfree;   /* free descriptors, chained through next */
    uint16_t avail_idx;          /* next available slot (the driver's copy) */
    uint16_t last_used;          /* next used entry to take */
    uint16_t notify_off;         /* modern PCI: queue_notify_off */
    void **cookie;               /* per head descriptor: the driver's pointer */
};

/* One buffer of a chain handed to virtq_add. */
struct virtq_buf { uint64_t addr; uint32_t len; bool device_writes; };

/* virtio_probe: finds virtio devices on PCI (after pci_scan) and virtio-mmio
 * transports (platform.mmio from the DSDT, and `virtio_mmio.device=` on the
 * command line), prints a line for each and attaches the driver of its type.
 * Boot core, once, after every core is online (drivers start threads). */
void virtio_probe(void);

/* virtio_negotiate: reset, ACKNOWLEDGE, DRIVER, then accepts the offered
 * features among `wanted` (plus VERSION_1 when the transport is modern: it
 * is required there), FEATURES_OK where it exists, and checks the device kept
 * it. On refusal sets FAILED, prints why and returns false. Boot core. */
bool virtio_negotiate(struct virtio_dev *d, uint64_t wanted);

/* virtq_setup: allocates and registers queue `index` with at most `max`
 * entries (the device's maximum if smaller; legacy PCI: the device's size).
 * Returns false when the queue does not exist or memory is short. Between
 * virtio_negotiate and virtio_driver_ok; boot core. */
bool virtq_setup(struct virtio_dev *d, struct virtq *q, uint16_t index, uint16_t max);

/* virtio_driver_ok: sets DRIVER_OK; the device may use its queues from now. */
void virtio_driver_ok(struct virtio_dev *d);

/* virtio_fail: sets FAILED: a driver gives up on a device it negotiated. */
void virtio_fail(struct virtio_dev *d);

/* virtio_cfg8: byte `off` of the device-specific configuration space. */
uint8_t virtio_cfg8(struct virtio_dev *d, uint32_t off);

/* virtq_add: makes a chain of n buffers available (not yet notified) and
 * remembers cookie for it; returns the head descriptor, or -1 when fewer
 * than n descriptors are free. */
int virtq_add(struct virtq *q, const struct virtq_buf *b, uint32_t n, void *cookie);

/* virtq_notify: tells the device that queue q has new available buffers. */
void virtq_notify(struct virtq *q);

/* virtq_interrupts: asks the device for interrupts when it uses a buffer of
 * q (on) or not (off). Only a hint without VIRTIO_F_EVENT_IDX, so a driver
 * that turns them on again must check virtq_used_pending before it waits. */
void virtq_interrupts(struct virtq *q, bool on);

/* virtq_used_pending: true when the device has returned a buffer not yet taken. */
bool virtq_used_pending(const struct virtq *q);

/* virtq_get_used: takes the next returned chain: its cookie (0 when none is
 * pending), with the bytes the device wrote in *len; frees its descriptors. */
void *virtq_get_used(struct virtq *q, uint32_t *len);

/* virtio_isr_ack: reads and acknowledges the device's interrupt status (bit 0
 * a queue was used, bit 1 the configuration changed), which deasserts a level
 * interrupt. Interrupt context on the owner core. */
uint32_t virtio_isr_ack(struct virtio_dev *d);

/* driver entry points, called by virtio_probe */
void virtio_net_attach(struct virtio_dev *d);

#endif
