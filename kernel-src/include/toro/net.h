/* The TCP/IP stack's internals, shared by its layers (net/eth.c, ip.c, udp.c,
 * tcp.c, socket.c). Applications use <toro/socket.h> instead.
 *
 * Locking: one stack lock (net_lock/net_unlock) guards every table of every
 * layer: the ARP cache, the TCP control blocks, the UDP sockets and the
 * timers. See docs/network.md and net/socket.c for why one lock is enough. */
#ifndef TORO_NET_H
#define TORO_NET_H
#include <toro/thread.h>
#include <toro/netdev.h>

/* ---- the interface: one, static configuration ---- */
struct net_if {
    struct netdev *dev;     /* 0 until net_attach */
    uint32_t ip, gw, mask;  /* host byte order */
};
extern struct net_if net_if;

/* net_attach: binds the stack to d with the given addresses (host order),
 * installs the receive hook and starts the timer thread on d->cpu the first
 * time. A second call replaces the device (tests swap loopback devices).
 * Thread context. */
void net_attach(struct netdev *d, uint32_t ip, uint32_t gw, uint32_t mask);

/* ---- the stack lock and deferred wakes ---- */
void net_lock(void);     /* interrupts off, then the spin lock */
void net_unlock(void);   /* releases, restores interrupts, then does the deferred wakes */
/* A thread waiting for a condition of the stack (socket.c). */
struct net_waiter {
    thread_t *t;
    struct net_waiter *next;
};
/* net_wake_all: every waiter of the list is woken once the lock is released;
 * the list is emptied. Lock held. */
void net_wake_all(struct net_waiter **list);
/* net_wake_thread: t is woken once the lock is released. Lock held. */
void net_wake_thread(thread_t *t);
/* net_wait: blocks the caller until a wake or deadline (TSC, ~0 = none) with
 * the lock released meanwhile, on list; returns with the lock held again and
 * the caller off the list. Callers loop on their condition. Lock held. */
void net_wait(struct net_waiter **list, uint64_t deadline);

/* ---- byte order and checksums ---- */
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
/* net_csum_add: adds n bytes to a running one's complement sum (not folded). */
uint32_t net_csum_add(uint32_t sum, const void *data, size_t n);
/* net_csum_fold: folds a running sum into the 16-bit Internet checksum. */
uint16_t net_csum_fold(uint32_t sum);
/* net_csum: the Internet checksum (RFC 1071) of n bytes. */
static inline uint16_t net_csum(const void *data, size_t n) { return net_csum_fold(net_csum_add(0, data, n)); }
/* net_pseudo_sum: the running sum of the TCP/UDP pseudo header. */
uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/* ---- per-core counters ---- */
static inline struct toro_net_stats *net_stats(void) { return &toro_net_stats[cpu_index()]; }
/* net_drop: counts one dropped frame on this core and, at most once a second,
 * names the reason on the console. Any context. */
void net_drop(const char *why);

/* ---- layers. Frames are built in a caller's buffer of ETH_FRAME_MAX bytes:
 * Ethernet header at 0, IP header at ETH_HLEN, transport at NET_L4. ---- */
#define ETH_HLEN 14
#define IP_HLEN 20
#define NET_L4 (ETH_HLEN + IP_HLEN)
enum { IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17 };

void eth_input(struct netdev *d, const void *frame, size_t len);   /* the receive hook */
/* eth_output_ip: sends the IP packet in frame[ETH_HLEN..len) to the next hop
 * (resolved by ARP, queued while unresolved). Lock held. 0, or -1 if dropped. */
int eth_output_ip(uint32_t nexthop, uint8_t *frame, size_t len);
void arp_timer(uint64_t now);   /* expires unresolved entries; lock held */
void arp_flush(void);           /* forgets every entry (a new device); lock held */

void ip_input(const uint8_t *pkt, size_t len);   /* lock held */
/* ip_output: fills in the IPv4 header (DF set) for a transport payload of
 * plen bytes at frame[NET_L4] and sends it. Lock held. 0, or -1. */
int ip_output(uint32_t dst, uint8_t proto, uint8_t *frame, size_t plen);

void udp_input(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);   /* lock held */
void tcp_input(uint32_t src, uint32_t dst, const uint8_t *seg, size_t len);   /* lock held */
/* tcp_timer: runs the due TCP timers and returns the next deadline (TSC, ~0
 * for none). Lock held; the timer thread. */
uint64_t tcp_timer(uint64_t now);
/* net_timer_at: the timer thread wakes by deadline at the latest. Lock held. */
void net_timer_at(uint64_t deadline);

/* ---- TCP control blocks, as used by socket.c (all with the lock held) ---- */
struct tcb;
struct tcb *tcp_new(void);                  /* a CLOSED block owned by a socket, or 0 */
int tcp_slot(struct tcb *t);                /* its index in toro_tcp_conns */
struct tcb *tcp_at(int slot);               /* a block owned by a socket, or 0 */
int tcp_bind(struct tcb *t, uint32_t addr, uint16_t port);
int tcp_listen(struct tcb *t, int backlog);
struct tcb *tcp_accept_next(struct tcb *l); /* an established child, or 0 */
int tcp_connect(struct tcb *t, uint32_t addr, uint16_t port);
size_t tcp_read(struct tcb *t, void *buf, size_t n);
size_t tcp_write(struct tcb *t, const void *buf, size_t n);
void tcp_shutdown(struct tcb *t);           /* our FIN after the queued data */
void tcp_close(struct tcb *t);              /* the socket lets go of t */
void tcp_set_keepalive(struct tcb *t, uint32_t idle_s);
/* What a socket waits for. */
bool tcp_readable(struct tcb *t);           /* data, EOF or an error */
bool tcp_writable(struct tcb *t);           /* send buffer room or an error */
bool tcp_connected(struct tcb *t);          /* open (or failed): a connect is over */
int tcp_error(struct tcb *t);               /* 0 or a SOCK_E* code */
int tcp_state(struct tcb *t);               /* TCPS_* */
bool tcp_eof(struct tcb *t);                /* the peer's FIN, all data read */
struct net_waiter **tcp_waiters(struct tcb *t);
void tcp_peer(struct tcb *t, uint32_t *addr, uint16_t *port);

/* ---- UDP sockets, as used by socket.c (lock held) ---- */
struct udp_sock;
struct udp_sock *udp_new(void);
int udp_bind(struct udp_sock *u, uint32_t addr, uint16_t port);
int udp_sendto(struct udp_sock *u, const void *buf, size_t n, uint32_t addr, uint16_t port);
/* udp_recv: the oldest queued datagram into buf (truncated to n); its length,
 * or -1 when none is queued. */
long udp_recv(struct udp_sock *u, void *buf, size_t n, uint32_t *addr, uint16_t *port);
void udp_close(struct udp_sock *u);
struct net_waiter **udp_waiters(struct udp_sock *u);

#endif
