/* Network devices: the contract between a driver (virtio-net) and the
 * protocol stack. A driver fills in a struct netdev, registers it, and hands
 * every received frame to netdev_input; the stack sends through d->tx.
 *
 * Threads and cores:
 * - d->cpu is the owner core: the device's interrupt is routed there and the
 *   driver calls netdev_input from a thread on that core (never from an
 *   interrupt handler), with no lock held, so the stack may block briefly.
 * - d->tx may be called from any core and any thread (not from an interrupt
 *   handler); the driver serialises its own rings. */
#ifndef TORO_NETDEV_H
#define TORO_NETDEV_H
#include <toro/kernel.h>

#define NETDEV_MAX 4
#define ETH_ALEN 6
#define ETH_FRAME_MAX 1514   /* header + 1500 payload, no FCS */

struct netdev {
    char name[8];                /* "net0", "net1", ... set by netdev_register */
    uint8_t mac[ETH_ALEN];
    uint16_t mtu;                /* IP payload bytes per frame: 1500 */
    uint32_t cpu;                /* owner core (see above) */
    const char *kind;            /* "virtio-net (mmio v2)", ... for the console */
    /* tx: send one frame (Ethernet header included, no FCS, at most
     * ETH_FRAME_MAX bytes). The driver copies it before returning, so the
     * caller's buffer is free at once. Returns 0, or -1 when the frame was
     * dropped (ring full, device gone): counted in tx_drops by the driver. */
    int (*tx)(struct netdev *d, const void *frame, size_t len);
    void *priv;                  /* the driver's */
};

/* The stack's receive hook: frame is valid only during the call. */
typedef void (*netdev_input_fn)(struct netdev *d, const void *frame, size_t len);

/* netdev_register: adds d to the table and names it; returns its index, or
 * -1 when NETDEV_MAX devices are registered already. Boot core, before
 * app_main runs. */
int netdev_register(struct netdev *d);
uint32_t netdev_count(void);
struct netdev *netdev_get(uint32_t i);      /* 0 when i >= netdev_count() */
/* netdev_set_input: the stack installs its receive hook (one for all devices);
 * until then received frames are counted as rx_drops and dropped. */
void netdev_set_input(netdev_input_fn fn);
/* netdev_get_input: the hook installed now (0 = none), so that a test can
 * put the stack's back after borrowing the hook. */
netdev_input_fn netdev_get_input(void);
/* netdev_input: called by a driver for each received frame (see above). */
void netdev_input(struct netdev *d, const void *frame, size_t len);

#endif
