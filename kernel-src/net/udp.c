/* UDP (RFC 768): sockets bound to a port, each with a short queue of
 * received datagrams; datagrams to an unbound port are dropped. */
#include <toro/net.h>

#define UDP_SOCKS 16
#define UDP_QUEUE 8            /* datagrams held per socket; more are dropped */
#define UDP_HLEN 8

struct dgram {
    uint32_t addr;
    uint16_t port, len;
    uint8_t data[];
};

struct udp_sock {
    bool used;
    uint32_t addr;             /* bound address (0 = any) */
    uint16_t port;             /* bound port, 0 while unbound */
    struct dgram *q[UDP_QUEUE];
    uint32_t qhead, qlen;
    struct net_waiter *waiters;
};
static struct udp_sock socks[UDP_SOCKS];
static uint16_t next_ephemeral = 49152;

/* udp_new: a free, unbound socket, or 0. Lock held. */
struct udp_sock *udp_new(void)
{
    for (int i = 0; i < UDP_SOCKS; i++)
        if (!socks[i].used) {
            memset(&socks[i], 0, sizeof socks[i]);
            socks[i].used = true;
            return &socks[i];
        }
    return 0;
}

/* udp_find: the socket bound to port, or 0. Lock held. */
static struct udp_sock *udp_find(uint16_t port)
{
    for (int i = 0; i < UDP_SOCKS; i++)
        if (socks[i].used && socks[i].port == port) return &socks[i];
    return 0;
}

/* udp_bind: port 0 picks a free ephemeral port. -1 if the port is taken. */
int udp_bind(struct udp_sock *u, uint32_t addr, uint16_t port)
{
    if (!port) {
        for (int tries = 0; tries < 16384 && !port; tries++) {
            uint16_t p = next_ephemeral++;
            if (next_ephemeral < 49152) next_ephemeral = 49152;
            if (!udp_find(p)) port = p;
        }
        if (!port) return -1;
    } else if (udp_find(port)) {
        return -1;
    }
    u->addr = addr;
    u->port = port;
    return 0;
}

/* udp_sendto: one datagram (binding an ephemeral port first if needed),
 * with its checksum. 0, or -1 if too long or not sent. Lock held. */
int udp_sendto(struct udp_sock *u, const void *buf, size_t n, uint32_t addr, uint16_t port)
{
    if (!u->port && udp_bind(u, 0, 0) < 0) return -1;
    if (n > (size_t)ETH_FRAME_MAX - NET_L4 - UDP_HLEN) return -1;
    uint8_t f[ETH_FRAME_MAX];
    uint8_t *h = f + NET_L4;
    put16(h, u->port); put16(h + 2, port); put16(h + 4, (uint16_t)(UDP_HLEN + n)); put16(h + 6, 0);
    memcpy(h + UDP_HLEN, buf, n);
    uint32_t sum = net_pseudo_sum(net_if.ip, addr, IPPROTO_UDP, (uint16_t)(UDP_HLEN + n));
    uint16_t c = net_csum_fold(net_csum_add(sum, h, UDP_HLEN + n));
    put16(h + 6, c ? c : 0xffff);    /* 0 means "no checksum" on the wire */
    return ip_output(addr, IPPROTO_UDP, f, UDP_HLEN + n);
}

/* udp_recv: see net.h. Lock held. */
long udp_recv(struct udp_sock *u, void *buf, size_t n, uint32_t *addr, uint16_t *port)
{
    if (!u->qlen) return -1;
    struct dgram *d = u->q[u->qhead];
    u->qhead = (u->qhead + 1) % UDP_QUEUE;
    u->qlen--;
    size_t k = d->len < n ? d->len : n;
    memcpy(buf, d->data, k);
    if (addr) *addr = d->addr;
    if (port) *port = d->port;
    kfree(d);
    return (long)k;
}

/* udp_close: drops the queue, wakes the waiters, frees the socket. Lock held. */
void udp_close(struct udp_sock *u)
{
    while (u->qlen) {
        kfree(u->q[u->qhead]);
        u->qhead = (u->qhead + 1) % UDP_QUEUE;
        u->qlen--;
    }
    net_wake_all(&u->waiters);
    u->used = false;
    u->port = 0;
}

/* udp_waiters: the socket's wait list. Lock held. */
struct net_waiter **udp_waiters(struct udp_sock *u) { return &u->waiters; }

/* udp_input: checks length and checksum, queues the payload on the socket
 * bound to the destination port and wakes its waiters. Lock held. */
void udp_input(uint32_t src, uint32_t dst, const uint8_t *h, size_t len)
{
    if (len < UDP_HLEN || get16(h + 4) < UDP_HLEN || get16(h + 4) > len) { net_drop("bad UDP length"); return; }
    len = get16(h + 4);
    if (get16(h + 6) && net_csum_fold(net_csum_add(net_pseudo_sum(src, dst, IPPROTO_UDP, (uint16_t)len), h, len))) {
        net_drop("bad UDP checksum");
        return;
    }
    struct udp_sock *u = udp_find(get16(h + 2));
    if (!u || (u->addr && u->addr != dst)) return;   /* no listener: silently ignored */
    if (u->qlen == UDP_QUEUE) { net_stats()->rx_drops++; return; }
    size_t n = len - UDP_HLEN;
    struct dgram *d = kmalloc(sizeof *d + n);
    if (!d) { net_stats()->rx_drops++; return; }
    d->addr = src;
    d->port = get16(h);
    d->len = (uint16_t)n;
    memcpy(d->data, h + UDP_HLEN, n);
    u->q[(u->qhead + u->qlen) % UDP_QUEUE] = d;
    u->qlen++;
    net_wake_all(&u->waiters);
}

TORO_SYM(udp_input);
TORO_SYM(udp_sendto);
