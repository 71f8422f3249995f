/* Ethernet framing and ARP (RFC 826): the receive hook of the stack, replies
 * to requests for our address, and a small cache that resolves next hops,
 * holding a few packets per address until the reply comes. */
#include <toro/net.h>

#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define ARP_ENTRIES 16
#define ARP_PENDING 4          /* packets held per unresolved address */
#define ARP_RETRY_US 500000    /* a new request at most this often per address */
#define ARP_GIVEUP_US 3000000  /* unresolved this long: held packets dropped */
#define ARP_TTL_US 600000000ull /* resolved entries are refreshed after 10 minutes */

struct arp_entry {
    uint32_t ip;               /* 0: free */
    bool resolved;
    uint8_t mac[ETH_ALEN];
    uint64_t stamp;            /* resolved: when learnt; else when first asked */
    uint64_t asked;            /* last request sent */
    uint8_t *pending[ARP_PENDING];   /* kmalloc'd frames, 2-byte length prefix */
    uint32_t npending;
};
static struct arp_entry arp[ARP_ENTRIES];
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* net_drop: see net.h. The console line is rate limited by a global stamp;
 * a race between cores only costs an extra line. */
void net_drop(const char *why)
{
    static volatile uint64_t last;
    net_stats()->rx_drops++;
    uint64_t now = rdtsc();
    if (!last || now - last > tsc_from_us(1000000)) {
        last = now;
        kprintf("toro: net: dropped a frame: %s\n", why);
    }
}

/* eth_send: writes the Ethernet header (to dst, of type) and hands the frame
 * to the device (the driver counts tx_packets, tx_bytes and tx_drops). Lock
 * held. */
static int eth_send(const uint8_t *dst, uint16_t type, uint8_t *frame, size_t len)
{
    struct netdev *d = net_if.dev;
    if (!d) return -1;
    memcpy(frame, dst, ETH_ALEN);
    memcpy(frame + 6, d->mac, ETH_ALEN);
    put16(frame + 12, type);
    if (len < 60) { memset(frame + len, 0, 60 - len); len = 60; }   /* minimum frame */
    return d->tx(d, frame, len) < 0 ? -1 : 0;
}

/* arp_send: an ARP request or reply (op 1 or 2) to tha/tip. Lock held. */
static void arp_send(uint16_t op, const uint8_t *tha, uint32_t tip)
{
    uint8_t f[64];
    uint8_t *a = f + ETH_HLEN;
    put16(a, 1); put16(a + 2, ETHERTYPE_IP); a[4] = 6; a[5] = 4; put16(a + 6, op);
    memcpy(a + 8, net_if.dev->mac, ETH_ALEN);
    put32(a + 14, net_if.ip);
    memcpy(a + 18, op == 1 ? (const uint8_t[ETH_ALEN]){ 0 } : tha, ETH_ALEN);
    put32(a + 24, tip);
    eth_send(op == 1 ? bcast : tha, ETHERTYPE_ARP, f, ETH_HLEN + 28);
}

/* arp_find: the entry for ip (resolved or not), or 0. Lock held. */
static struct arp_entry *arp_find(uint32_t ip)
{
    for (int i = 0; i < ARP_ENTRIES; i++)
        if (arp[i].ip == ip) return &arp[i];
    return 0;
}

/* arp_clear: frees e's held packets and empties it. Lock held. */
static void arp_clear(struct arp_entry *e)
{
    for (uint32_t i = 0; i < e->npending; i++) kfree(e->pending[i]);
    memset(e, 0, sizeof *e);
}

/* arp_slot: a free entry for ip, or the oldest one recycled. Lock held. */
static struct arp_entry *arp_slot(uint32_t ip)
{
    struct arp_entry *old = &arp[0];
    for (int i = 0; i < ARP_ENTRIES; i++) {
        if (!arp[i].ip) { old = &arp[i]; break; }
        if (arp[i].stamp < old->stamp) old = &arp[i];
    }
    arp_clear(old);
    old->ip = ip;
    old->stamp = rdtsc();
    return old;
}

/* arp_learn: records ip at mac and sends the packets held for it. Lock held. */
static void arp_learn(uint32_t ip, const uint8_t *mac)
{
    struct arp_entry *e = arp_find(ip);
    if (!e) e = arp_slot(ip);
    memcpy(e->mac, mac, ETH_ALEN);
    e->resolved = true;
    e->stamp = rdtsc();
    for (uint32_t i = 0; i < e->npending; i++) {
        uint8_t *p = e->pending[i];
        size_t len = get16(p);
        eth_send(e->mac, ETHERTYPE_IP, p + 2, len);
        kfree(p);
    }
    e->npending = 0;
}

/* arp_input: a request for our address gets a reply; both requests and
 * replies that concern us teach the cache the sender (RFC 826's merge).
 * Lock held. */
static void arp_input(const uint8_t *a, size_t len)
{
    if (len < 28 || get16(a) != 1 || get16(a + 2) != ETHERTYPE_IP || a[4] != 6 || a[5] != 4) {
        net_drop("malformed ARP");
        return;
    }
    uint16_t op = get16(a + 6);
    uint32_t sip = get32(a + 14), tip = get32(a + 24);
    if (tip != net_if.ip || !sip) return;
    arp_learn(sip, a + 8);
    if (op == 1) arp_send(2, a + 8, sip);
}

/* eth_output_ip: see net.h. A fresh entry sends at once; a stale one is
 * re-asked but still used; an unknown address holds the packet (the oldest
 * of ARP_PENDING goes) and asks. */
int eth_output_ip(uint32_t nexthop, uint8_t *frame, size_t len)
{
    uint64_t now = rdtsc();
    struct arp_entry *e = arp_find(nexthop);
    if (e && e->resolved && now - e->stamp < tsc_from_us(ARP_TTL_US))
        return eth_send(e->mac, ETHERTYPE_IP, frame, len);
    if (e && e->resolved) {        /* stale: ask again, keep using it meanwhile */
        if (now - e->asked > tsc_from_us(ARP_RETRY_US)) { e->asked = now; arp_send(1, 0, nexthop); }
        return eth_send(e->mac, ETHERTYPE_IP, frame, len);
    }
    if (!e) e = arp_slot(nexthop);
    if (e->npending == ARP_PENDING) {  /* the oldest held packet goes */
        kfree(e->pending[0]);
        memmove(e->pending, e->pending + 1, (ARP_PENDING - 1) * sizeof e->pending[0]);
        e->npending--;
        net_stats()->tx_drops++;
    }
    uint8_t *p = kmalloc(len + 2);
    if (p) {
        put16(p, (uint16_t)len);
        memcpy(p + 2, frame, len);
        e->pending[e->npending++] = p;
    }
    if (!e->asked || now - e->asked > tsc_from_us(ARP_RETRY_US)) {
        e->asked = now;
        arp_send(1, 0, nexthop);
    }
    return p ? 0 : -1;
}

/* arp_timer: see net.h (the timer thread, lock held). */
void arp_timer(uint64_t now)
{
    for (int i = 0; i < ARP_ENTRIES; i++) {
        struct arp_entry *e = &arp[i];
        if (e->ip && !e->resolved && now - e->stamp > tsc_from_us(ARP_GIVEUP_US)) {
            net_stats()->tx_drops += e->npending;
            arp_clear(e);
        }
    }
}

/* arp_flush: see net.h. */
void arp_flush(void)
{
    for (int i = 0; i < ARP_ENTRIES; i++) arp_clear(&arp[i]);
}

/* eth_input: the stack's netdev input hook. Runs in the driver's thread on
 * the device's owner core; takes the stack lock for the whole frame. Frames
 * for another MAC (other than broadcast) and other EtherTypes are dropped. */
void eth_input(struct netdev *d, const void *frame, size_t len)
{
    const uint8_t *f = frame;
    if (len < ETH_HLEN) { net_drop("runt frame"); return; }
    net_lock();
    if (d != net_if.dev) { net_unlock(); net_drop("frame from a detached device"); return; }
    if (memcmp(f, d->mac, ETH_ALEN) && memcmp(f, bcast, ETH_ALEN)) {
        net_unlock();
        return;   /* not for us (multicast, another host): not an error */
    }
    uint16_t type = get16(f + 12);
    if (type == ETHERTYPE_ARP) arp_input(f + ETH_HLEN, len - ETH_HLEN);
    else if (type == ETHERTYPE_IP) ip_input(f + ETH_HLEN, len - ETH_HLEN);
    else net_drop("unknown EtherType");
    net_unlock();
}

TORO_SYM(eth_input);
TORO_SYM(eth_output_ip);
TORO_SYM(arp_input);
