/* The blocking socket API of Toro's TCP/IP stack (docs/network.md).
 *
 * A socket is a small integer. Every call may be made from any thread on any
 * core. A call that waits blocks its thread (the core runs its other threads
 * or halts) until the condition holds, an error, or the timeout: timeouts are
 * in microseconds, SOCK_NOWAIT returns at once, SOCK_FOREVER waits forever.
 * Errors are negative SOCK_E* values. Addresses and ports in host order. */
#ifndef TORO_SOCKET_H
#define TORO_SOCKET_H
#include <toro/kernel.h>

enum { SOCK_STREAM = 1, SOCK_DGRAM = 2 };
#define SOCK_NOWAIT 0ull
#define SOCK_FOREVER (~0ull)

enum {
    SOCK_EBADF = -1,        /* not an open socket, or the wrong kind */
    SOCK_EINVAL = -2,       /* wrong state for the call (listen on a connected socket, ...) */
    SOCK_EADDRINUSE = -3,
    SOCK_ENOMEM = -4,       /* no free socket or buffer */
    SOCK_ETIMEDOUT = -5,    /* the call's timeout, or a connection given up */
    SOCK_ECONNREFUSED = -6,
    SOCK_ECONNRESET = -7,
    SOCK_ENOTCONN = -8,
    SOCK_EPIPE = -9,        /* send after shutdown or close by the peer */
    SOCK_ENETDOWN = -10,    /* no network device */
};

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* net_init: starts the stack on the first network device with ip=, gw=,
 * mask= from the command line (defaults 10.0.2.15, 10.0.2.2, 255.255.255.0).
 * Does nothing without a device. Called once, from a thread, after the
 * drivers registered their devices. */
void net_init(void);
bool net_up(void);                   /* a device is attached */
uint32_t net_local_ip(void);
/* net_parse_ip: "a.b.c.d" into *ip; false if malformed. */
bool net_parse_ip(const char *s, uint32_t *ip);

int sock_socket(int type);
int sock_bind(int s, uint32_t addr, uint16_t port);     /* addr 0 = any */
int sock_listen(int s, int backlog);
/* sock_accept: the next established connection as a new socket. */
int sock_accept(int s, uint64_t timeout_us, uint32_t *peer_addr, uint16_t *peer_port);
int sock_connect(int s, uint32_t addr, uint16_t port, uint64_t timeout_us);
/* sock_send: queues all n bytes, waiting for room as needed; returns n, or
 * the bytes queued before the timeout if any, or an error. */
long sock_send(int s, const void *buf, size_t n, uint64_t timeout_us);
/* sock_recv: at least one byte (up to n); 0 at the end of the stream. */
long sock_recv(int s, void *buf, size_t n, uint64_t timeout_us);
long sock_sendto(int s, const void *buf, size_t n, uint32_t addr, uint16_t port);
long sock_recvfrom(int s, void *buf, size_t n, uint64_t timeout_us, uint32_t *addr, uint16_t *port);
int sock_shutdown(int s);            /* TCP: send FIN after the queued data */
int sock_keepalive(int s, uint32_t idle_s);   /* TCP keep-alive probes after idle_s (0 = off) */
/* sock_close: frees the socket; TCP finishes sending and closes in the
 * background (unread received data aborts the connection with a RST). */
int sock_close(int s);

#endif
