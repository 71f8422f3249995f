/* The blocking socket API (include/toro/socket.h), and the stack's common
 * machinery: the stack lock, deferred wakes, the timer thread, start-up.
 *
 * Why one spin lock for the whole stack: every packet touches several
 * layers' tables (ARP cache, TCP blocks, a socket's wait list), socket calls
 * come from threads on every core while received frames come from the
 * driver's thread on the device's core, and every critical section is short
 * (one frame, or one copy into or out of a socket buffer, at most 64 KiB).
 * A lock per connection would still need a global one for the tables and
 * the ARP cache; with one device, a single RX thread and two to a few cores
 * the simple lock is not the bottleneck (slirp or the device is).
 * It is taken with interrupts off (an interrupt handler on the same core can
 * never spin on it: none takes it, and a core never switches threads while
 * holding it) and it is never held while blocking: net_wait drops it around
 * thread_block_until. Wakes are deferred until after the release: a wake of
 * a thread on another core is a message that may have to wait for room in
 * that core's mailbox, and that core may be spinning on this very lock. */
#include <toro/net.h>
#include <toro/socket.h>

struct net_if net_if;
static spinlock_t net_lk = SPINLOCK_INIT;
static uint64_t net_lk_flags;
/* Threads to wake after the release, per core: a thread runs until it
 * blocks (the scheduler is cooperative), so the core that filled its list
 * drains it right after unlocking, before anything else on that core can
 * take the lock. A thread is on at most one wait list, which a wake empties,
 * so one critical section queues each thread at most once (+1 timer). */
static struct { thread_t *t[TORO_MAX_THREADS + 1]; uint32_t n; } wakes[TORO_MAX_CPUS];
static thread_t *timer_thread;
static uint64_t timer_deadline = ~0ull;
static bool timer_kicked;

/* net_lock / net_unlock / net_wake_thread / net_wake_all / net_wait /
 * net_timer_at: see net.h and the comment above. */
void net_lock(void)
{
    uint64_t f = irq_save();
    spin_lock(&net_lk);
    net_lk_flags = f;
}

void net_unlock(void)
{
    uint64_t f = net_lk_flags;
    uint32_t me = cpu_index();
    timer_kicked = false;
    spin_unlock(&net_lk);
    irq_restore(f);
    for (uint32_t i = 0; i < wakes[me].n; i++) thread_wake(wakes[me].t[i]);
    wakes[me].n = 0;
}

void net_wake_thread(thread_t *t)
{
    uint32_t me = cpu_index();
    if (wakes[me].n < TORO_MAX_THREADS + 1) wakes[me].t[wakes[me].n++] = t;
}

void net_wake_all(struct net_waiter **list)
{
    for (struct net_waiter *w = *list; w; w = w->next) net_wake_thread(w->t);
    *list = 0;
}

void net_wait(struct net_waiter **list, uint64_t deadline)
{
    struct net_waiter w = { thread_self(), *list };
    *list = &w;
    net_unlock();
    thread_block_until(deadline);
    net_lock();
    for (struct net_waiter **pp = list; *pp; pp = &(*pp)->next)
        if (*pp == &w) { *pp = w.next; break; }
}

void net_timer_at(uint64_t deadline)
{
    if (deadline >= timer_deadline) return;
    timer_deadline = deadline;
    if (timer_thread && thread_self() != timer_thread && !timer_kicked) {
        timer_kicked = true;
        net_wake_thread(timer_thread);
    }
}

/* timer_main: the stack's timer thread (on the device's core). Runs the due
 * TCP and ARP timers, then sleeps until the earliest deadline or until
 * net_timer_at asks for an earlier one: no periodic tick, the core halts. */
static void timer_main(void *arg)
{
    (void)arg;
    net_lock();
    for (;;) {
        uint64_t now = rdtsc();
        timer_deadline = ~0ull;
        uint64_t next = tcp_timer(now);
        arp_timer(now);
        if (next < timer_deadline) timer_deadline = next;
        uint64_t dl = timer_deadline;
        net_unlock();
        thread_block_until(dl);
        net_lock();
    }
}

/* net_attach: see net.h. */
void net_attach(struct netdev *d, uint32_t ip, uint32_t gw, uint32_t mask)
{
    net_lock();
    net_if.dev = d;
    net_if.ip = ip;
    net_if.gw = gw;
    net_if.mask = mask;
    arp_flush();
    bool start = !timer_thread;
    net_unlock();
    netdev_set_input(eth_input);
    if (start) {
        thread_t *t = thread_create_on(d->cpu, timer_main, 0, "net-timer");
        if (!t) panic("net: cannot create the timer thread");
        thread_detach(t);
        net_lock();
        timer_thread = t;
        net_unlock();
    }
}

/* net_parse_ip: see socket.h. */
bool net_parse_ip(const char *s, uint32_t *ip)
{
    uint32_t v = 0;
    for (int part = 0; part < 4; part++) {
        uint32_t x = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) { x = x * 10 + (uint32_t)(*s++ - '0'); digits++; }
        if (!digits || x > 255) return false;
        v = v << 8 | x;
        if (part < 3 && *s++ != '.') return false;
    }
    if (*s) return false;
    *ip = v;
    return true;
}

/* cmdline_ip: key=a.b.c.d from the command line, or def (with a warning
 * when present but malformed). */
static uint32_t cmdline_ip(const char *key, uint32_t def)
{
    char b[20];
    uint32_t v;
    if (!cmdline_get(key, b, sizeof b)) return def;
    if (net_parse_ip(b, &v)) return v;
    kprintf("toro: net: %s=%s is not an IPv4 address, using the default\n", key, b);
    return def;
}

/* net_init: see socket.h (app_thread, core 0). */
void net_init(void)
{
    struct netdev *d = netdev_get(0);
    if (!d || net_if.dev) return;
    uint32_t ip = cmdline_ip("ip", IP4(10, 0, 2, 15));
    uint32_t gw = cmdline_ip("gw", IP4(10, 0, 2, 2));
    uint32_t mask = cmdline_ip("mask", IP4(255, 255, 255, 0));
    net_attach(d, ip, gw, mask);
    kprintf("toro: net: %s %u.%u.%u.%u mask %u.%u.%u.%u gw %u.%u.%u.%u mac %02x:%02x:%02x:%02x:%02x:%02x\n",
            d->name, ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255,
            mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255, mask & 255,
            gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255, gw & 255,
            d->mac[0], d->mac[1], d->mac[2], d->mac[3], d->mac[4], d->mac[5]);
}

bool net_up(void) { return __atomic_load_n(&net_if.dev, __ATOMIC_ACQUIRE) != 0; }
uint32_t net_local_ip(void) { return net_if.ip; }

/* ---------------------------------------------------------------- sockets */
/* Descriptors: a TCP socket is its control block's slot (0..TORO_MAX_TCP-1),
 * a UDP socket UDP_BASE + its index here. */
#define UDP_BASE 4096
#define UDP_FDS 16
static struct udp_sock *udp_fds[UDP_FDS];

/* deadline_of: the TSC deadline of a timeout in us (~0 for none). */
static uint64_t deadline_of(uint64_t us)
{
    if (us == SOCK_FOREVER || us > 86400ull * 1000000 * 365) return ~0ull;
    return rdtsc() + tsc_from_us(us);
}

/* udp_of: the UDP socket of descriptor s, or 0. Lock held. */
static struct udp_sock *udp_of(int s)
{
    return s >= UDP_BASE && s < UDP_BASE + UDP_FDS ? udp_fds[s - UDP_BASE] : 0;
}

/* sock_*: see socket.h. Each takes the lock, loops on its condition with
 * net_wait while it must wait, and returns with the lock released. */
int sock_socket(int type)
{
    if (!net_up()) return SOCK_ENETDOWN;
    int r = SOCK_ENOMEM;
    net_lock();
    if (type == SOCK_STREAM) {
        struct tcb *t = tcp_new();
        if (t) r = tcp_slot(t);
    } else if (type == SOCK_DGRAM) {
        for (int i = 0; i < UDP_FDS; i++)
            if (!udp_fds[i]) {
                udp_fds[i] = udp_new();
                if (udp_fds[i]) r = UDP_BASE + i;
                break;
            }
    } else {
        r = SOCK_EINVAL;
    }
    net_unlock();
    return r;
}

int sock_bind(int s, uint32_t addr, uint16_t port)
{
    net_lock();
    struct tcb *t = tcp_at(s);
    struct udp_sock *u = udp_of(s);
    int r = t ? tcp_bind(t, addr, port) : u ? (udp_bind(u, addr, port) < 0 ? SOCK_EADDRINUSE : 0) : SOCK_EBADF;
    net_unlock();
    return r;
}

int sock_listen(int s, int backlog)
{
    net_lock();
    struct tcb *t = tcp_at(s);
    int r = t ? tcp_listen(t, backlog) : SOCK_EBADF;
    net_unlock();
    return r;
}

int sock_accept(int s, uint64_t timeout_us, uint32_t *peer_addr, uint16_t *peer_port)
{
    uint64_t dl = deadline_of(timeout_us);
    net_lock();
    int r;
    for (;;) {
        struct tcb *t = tcp_at(s);
        if (!t) { r = SOCK_EBADF; break; }
        if (tcp_state(t) != TCPS_LISTEN) { r = SOCK_EINVAL; break; }
        struct tcb *c = tcp_accept_next(t);
        if (c) { tcp_peer(c, peer_addr, peer_port); r = tcp_slot(c); break; }
        if (rdtsc() >= dl) { r = SOCK_ETIMEDOUT; break; }
        net_wait(tcp_waiters(t), dl);
    }
    net_unlock();
    return r;
}

int sock_connect(int s, uint32_t addr, uint16_t port, uint64_t timeout_us)
{
    uint64_t dl = deadline_of(timeout_us);
    net_lock();
    struct tcb *t = tcp_at(s);
    int r = t ? tcp_connect(t, addr, port) : SOCK_EBADF;
    while (!r) {
        t = tcp_at(s);
        if (!t) { r = SOCK_EBADF; break; }
        if (tcp_error(t)) { r = tcp_error(t); break; }
        if (tcp_connected(t)) break;
        if (rdtsc() >= dl) { r = SOCK_ETIMEDOUT; break; }
        net_wait(tcp_waiters(t), dl);
    }
    net_unlock();
    return r;
}

long sock_send(int s, const void *buf, size_t n, uint64_t timeout_us)
{
    uint64_t dl = deadline_of(timeout_us);
    size_t sent = 0;
    long r = 0;
    net_lock();
    for (;;) {
        struct tcb *t = tcp_at(s);
        if (!t) { r = SOCK_EBADF; break; }
        if (tcp_error(t)) { r = tcp_error(t); break; }
        int st = tcp_state(t);
        if (st == TCPS_CLOSED || st == TCPS_LISTEN || st == TCPS_SYN_SENT || st == TCPS_SYN_RCVD) { r = SOCK_ENOTCONN; break; }
        size_t k = tcp_write(t, (const uint8_t *)buf + sent, n - sent);
        sent += k;
        if (sent == n) break;
        if (!k && tcp_writable(t)) { r = SOCK_EPIPE; break; }   /* shut down for sending */
        if (rdtsc() >= dl) { r = SOCK_ETIMEDOUT; break; }
        if (!k) net_wait(tcp_waiters(t), dl);
    }
    net_unlock();
    return sent ? (long)sent : r;
}

long sock_recv(int s, void *buf, size_t n, uint64_t timeout_us)
{
    uint64_t dl = deadline_of(timeout_us);
    long r;
    net_lock();
    for (;;) {
        struct tcb *t = tcp_at(s);
        if (!t) { r = SOCK_EBADF; break; }
        size_t k = tcp_read(t, buf, n);
        if (k || !n) { r = (long)k; break; }
        if (tcp_eof(t)) { r = 0; break; }
        if (tcp_error(t)) { r = tcp_error(t); break; }
        int st = tcp_state(t);
        if (st == TCPS_CLOSED || st == TCPS_LISTEN) { r = st == TCPS_LISTEN ? SOCK_EINVAL : SOCK_ENOTCONN; break; }
        if (st == TCPS_TIME_WAIT || st == TCPS_CLOSING || st == TCPS_LAST_ACK) { r = 0; break; }
        if (rdtsc() >= dl) { r = SOCK_ETIMEDOUT; break; }
        net_wait(tcp_waiters(t), dl);
    }
    net_unlock();
    return r;
}

long sock_sendto(int s, const void *buf, size_t n, uint32_t addr, uint16_t port)
{
    net_lock();
    struct udp_sock *u = udp_of(s);
    long r = !u ? SOCK_EBADF : udp_sendto(u, buf, n, addr, port) < 0 ? SOCK_EINVAL : (long)n;
    net_unlock();
    return r;
}

long sock_recvfrom(int s, void *buf, size_t n, uint64_t timeout_us, uint32_t *addr, uint16_t *port)
{
    uint64_t dl = deadline_of(timeout_us);
    long r;
    net_lock();
    for (;;) {
        struct udp_sock *u = udp_of(s);
        if (!u) { r = SOCK_EBADF; break; }
        r = udp_recv(u, buf, n, addr, port);
        if (r >= 0) break;
        if (rdtsc() >= dl) { r = SOCK_ETIMEDOUT; break; }
        net_wait(udp_waiters(u), dl);
    }
    net_unlock();
    return r;
}

int sock_shutdown(int s)
{
    net_lock();
    struct tcb *t = tcp_at(s);
    if (t) tcp_shutdown(t);
    net_unlock();
    return t ? 0 : SOCK_EBADF;
}

int sock_keepalive(int s, uint32_t idle_s)
{
    net_lock();
    struct tcb *t = tcp_at(s);
    if (t) tcp_set_keepalive(t, idle_s);
    net_unlock();
    return t ? 0 : SOCK_EBADF;
}

int sock_close(int s)
{
    int r = 0;
    net_lock();
    struct tcb *t = tcp_at(s);
    struct udp_sock *u = udp_of(s);
    if (t) tcp_close(t);
    else if (u) { udp_close(u); udp_fds[s - UDP_BASE] = 0; }
    else r = SOCK_EBADF;
    net_unlock();
    return r;
}

TORO_SYM(net_lock);
TORO_SYM(net_unlock);
TORO_SYM(net_wait);
TORO_SYM(timer_main);
TORO_SYM(sock_accept);
TORO_SYM(sock_recv);
TORO_SYM(sock_send);
