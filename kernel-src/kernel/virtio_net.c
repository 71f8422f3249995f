/* virtio-net driver: one struct netdev per device over the virtio transport
 * layer (include/toro/virtio.h). Queue 0 receives, queue 1 transmits.
 *
 * Threads, cores and locks:
 * - The device belongs to core 0 (netdev.cpu): its interrupt is routed there
 *   and only does two things, acknowledge the device and wake the RX thread.
 * - The RX thread (on core 0) owns the RX queue: it blocks until the used ring
 *   has entries, passes each frame to netdev_input, and gives the buffer
 *   straight back to the device. No lock: nothing else touches that queue.
 * - tx() may run on any core: the TX queue and its buffers are under tx_lock,
 *   taken with interrupts off so that an interrupt on the same core can never
 *   spin on it. Finished TX buffers are reclaimed by the next tx(); the TX
 *   queue asks the device for no interrupts. */
#include <toro/virtio.h>
#include <toro/netdev.h>
#include <toro/thread.h>
#include <toro/irq.h>

#define VIRTIO_NET_F_MAC (1ull << 5)
#define RING_MAX 256
#define BUF_SIZE 2048            /* a 12-byte header + 1514-byte frame fits */
#define NET_HDR_LEGACY 10
#define NET_HDR_V1 12            /* + num_buffers */
#define WARN_INTERVAL_US 1000000
#define RX_BATCH 64              /* frames per pass before the RX thread yields */

struct vnet {
    struct netdev nd;
    struct virtio_dev *vd;
    struct virtq rx, tx;
    uint32_t hdr_len;
    thread_t *rx_thread;
    spinlock_t tx_lock;
    uint8_t **tx_free;           /* free TX buffers (a stack), under tx_lock */
    uint32_t tx_nfree;
    /* driver counters beyond toro_net_stats, for a debugger */
    volatile uint64_t rx_malformed, rx_ring_empty, tx_ring_full, config_irqs;
    volatile uint64_t warn_tsc;  /* last rate-limited console line */
};

static struct vnet nets[NETDEV_MAX];
static uint32_t nnets;

/* warn: a console line at most once a second per device (any core, any
 * context): the first caller to move warn_tsc forward prints. */
static void warn(struct vnet *n, const char *what, uint64_t count)
{
    uint64_t now = rdtsc(), last = __atomic_load_n(&n->warn_tsc, __ATOMIC_RELAXED);
    if (last && now - last < tsc_from_us(WARN_INTERVAL_US)) return;
    if (!__atomic_compare_exchange_n(&n->warn_tsc, &last, now, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) return;
    kprintf("toro: %s: %s (%lu so far)\n", n->nd.name, what, count);
}

/* rx_post: hands one empty RX buffer to the device (not notified). RX thread,
 * or the boot core before DRIVER_OK. */
static bool rx_post(struct vnet *n, uint8_t *buf)
{
    struct virtq_buf b = { (uint64_t)buf, n->hdr_len + ETH_FRAME_MAX, true };
    return virtq_add(&n->rx, &b, 1, buf) >= 0;
}

/* rx_thread: the receive loop (see the file comment). Blocks while the used
 * ring is empty: the core halts unless it has other work. While it drains
 * the ring the device is asked for no interrupts (frames that arrive
 * meanwhile are taken in the same pass); they are turned on again, and the
 * ring checked once more, before it blocks. After RX_BATCH frames it
 * yields, so that a flood cannot keep core 0's other threads from running.
 * Never returns. */
static void rx_thread(void *arg)
{
    struct vnet *n = arg;
    for (;;) {
        while (!virtq_used_pending(&n->rx)) {
            virtq_interrupts(&n->rx, true);
            if (virtq_used_pending(&n->rx)) break;
            thread_block();
        }
        virtq_interrupts(&n->rx, false);
        /* every buffer handed back at once means the device may have had
         * none for a while: QEMU then holds frames back (or its backend drops) */
        uint32_t outstanding = (uint32_t)(n->rx.size - n->rx.nfree);
        uint32_t returned = (uint16_t)(n->rx.used->idx - n->rx.last_used);
        if (returned >= outstanding) {
            n->rx_ring_empty++;
            warn(n, "receive ring ran empty", n->rx_ring_empty);
        }
        uint32_t len, done = 0;
        uint8_t *buf;
        bool posted = false;
        while (done++ < RX_BATCH && (buf = virtq_get_used(&n->rx, &len))) {
            if (len < n->hdr_len + 14 || len > n->hdr_len + ETH_FRAME_MAX) {
                toro_net_stats[cpu_index()].rx_drops++;
                n->rx_malformed++;
                warn(n, "malformed frame dropped", n->rx_malformed);
            } else {
                netdev_input(&n->nd, buf + n->hdr_len, len - n->hdr_len);
            }
            posted |= rx_post(n, buf);
        }
        if (posted) virtq_notify(&n->rx);
        /* scheduling is cooperative: under a flood, let core 0's other
         * threads (the stack's, the application's) run between batches */
        if (virtq_used_pending(&n->rx)) thread_yield();
    }
}

/* tx_reclaim: buffers the device has sent go back to the free stack. Under tx_lock. */
static void tx_reclaim(struct vnet *n)
{
    uint32_t len;
    uint8_t *buf;
    while ((buf = virtq_get_used(&n->tx, &len))) n->tx_free[n->tx_nfree++] = buf;
}

/* vnet_tx: netdev.tx (see netdev.h). Any core, thread context. */
static int vnet_tx(struct netdev *d, const void *frame, size_t len)
{
    struct vnet *n = d->priv;
    struct toro_net_stats *s = &toro_net_stats[cpu_index()];
    if (len < 14 || len > ETH_FRAME_MAX) {
        s->tx_drops++;
        return -1;
    }
    uint64_t f = irq_save();
    spin_lock(&n->tx_lock);
    tx_reclaim(n);
    if (!n->tx_nfree) {
        spin_unlock(&n->tx_lock);
        irq_restore(f);
        s->tx_drops++;
        n->tx_ring_full++;
        warn(n, "transmit ring full, frame dropped", n->tx_ring_full);
        return -1;
    }
    uint8_t *buf = n->tx_free[--n->tx_nfree];
    memset(buf, 0, n->hdr_len);            /* no checksum offload, no GSO */
    memcpy(buf + n->hdr_len, frame, len);
    struct virtq_buf b = { (uint64_t)buf, (uint32_t)(n->hdr_len + len), false };
    virtq_add(&n->tx, &b, 1, buf);         /* cannot fail: one free buffer = one free descriptor */
    virtq_notify(&n->tx);
    spin_unlock(&n->tx_lock);
    irq_restore(f);
    s->tx_packets++;
    s->tx_bytes += len;
    return 0;
}

/* vnet_irq: the device's interrupt on core 0 (irq.h handler contract):
 * acknowledges it, then wakes the RX thread when a queue was used. */
static void vnet_irq(void *arg)
{
    struct vnet *n = arg;
    uint32_t isr = virtio_isr_ack(n->vd);
    if (!isr) return;                      /* a shared line: another device's */
    toro_net_stats[cpu_index()].irqs++;
    if (isr & 2) n->config_irqs++;
    thread_t *t = __atomic_load_n(&n->rx_thread, __ATOMIC_ACQUIRE);
    if ((isr & 1) && t) thread_wake(t);
}

/* alloc_bufs: count buffers of BUF_SIZE from whole pages (identity mapped,
 * so their addresses are what the device uses). */
static bool alloc_bufs(uint32_t count, uint8_t **out)
{
    uint32_t per_page = 4096 / BUF_SIZE;
    uint8_t *mem = page_alloc((count + per_page - 1) / per_page);
    if (!mem) return false;
    for (uint32_t i = 0; i < count; i++) out[i] = mem + (size_t)i * BUF_SIZE;
    return true;
}

void virtio_net_attach(struct virtio_dev *vd)
{
    if (nnets >= NETDEV_MAX) return;
    uint32_t k = nnets++;                  /* never reused, even by a device that fails */
    struct vnet *n = &nets[k];
    memset(n, 0, sizeof *n);
    n->vd = vd;
    uint64_t want = VIRTIO_NET_F_MAC | VIRTIO_F_ANY_LAYOUT;
    if (!virtio_negotiate(vd, want)) return;
    n->hdr_len = (vd->features & VIRTIO_F_VERSION_1) ? NET_HDR_V1 : NET_HDR_LEGACY;
    if (!virtq_setup(vd, &n->rx, 0, RING_MAX) || !virtq_setup(vd, &n->tx, 1, RING_MAX)) {
        kprintf("toro: virtio-net: %s: cannot set up its queues, skipped\n", vd->where);
        virtio_fail(vd);
        return;
    }
    virtq_interrupts(&n->tx, false);           /* TX is reclaimed by the next send */
    uint8_t **rxb = kzalloc(sizeof(uint8_t *) * n->rx.size);
    n->tx_free = kzalloc(sizeof(uint8_t *) * n->tx.size);
    if (!rxb || !n->tx_free || !alloc_bufs(n->rx.size, rxb) || !alloc_bufs(n->tx.size, n->tx_free)) {
        kprintf("toro: virtio-net: %s: out of memory for its buffers, skipped\n", vd->where);
        virtio_fail(vd);
        return;
    }
    n->tx_nfree = n->tx.size;
    for (uint32_t i = 0; i < n->rx.size; i++) rx_post(n, rxb[i]);
    kfree(rxb);
    if (vd->features & VIRTIO_NET_F_MAC)
        for (int i = 0; i < ETH_ALEN; i++) n->nd.mac[i] = virtio_cfg8(vd, (uint32_t)i);
    else {                                 /* locally administered, unique per device */
        static const uint8_t base[ETH_ALEN] = { 0x02, 0x54, 0x00, 0x00, 0x00, 0x01 };
        memcpy(n->nd.mac, base, ETH_ALEN);
        n->nd.mac[5] = (uint8_t)(1 + k);
    }
    n->nd.mtu = 1500;
    n->nd.cpu = 0;
    n->nd.tx = vnet_tx;
    n->nd.priv = n;
    static char kinds[NETDEV_MAX][24];
    ksnprintf(kinds[k], sizeof kinds[k], "virtio-net (%s)", vd->kind);
    n->nd.kind = kinds[k];
    /* The device interrupts only after DRIVER_OK, and the handler ignores it
     * while there is no RX thread: route, start the thread, then go. */
    if (irq_route(vd->gsi, vd->level, vd->active_low, n->nd.cpu, vnet_irq, n) < 0) {
        kprintf("toro: virtio-net: %s: cannot route gsi %u, skipped\n", vd->where, vd->gsi);
        virtio_fail(vd);
        return;
    }
    thread_t *t = thread_create_on(n->nd.cpu, rx_thread, n, "virtio-net rx");
    if (!t) {
        kprintf("toro: virtio-net: %s: cannot start its RX thread, skipped\n", vd->where);
        virtio_fail(vd);
        return;
    }
    thread_detach(t);
    __atomic_store_n(&n->rx_thread, t, __ATOMIC_RELEASE);
    if (netdev_register(&n->nd) < 0) {
        virtio_fail(vd);
        return;
    }
    virtio_driver_ok(vd);
    virtq_notify(&n->rx);
    const uint8_t *m = n->nd.mac;
    kprintf("toro: %s %s mac %02x:%02x:%02x:%02x:%02x:%02x gsi %u cpu %u\n", n->nd.name, n->nd.kind,
            m[0], m[1], m[2], m[3], m[4], m[5], vd->gsi, n->nd.cpu);
}

TORO_SYM(virtio_net_attach);
TORO_SYM(rx_thread);
TORO_SYM(vnet_tx);
TORO_SYM(vnet_irq);
