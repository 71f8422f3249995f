/* In-kernel tests of the TCP/IP stack: checksums against known vectors, the
 * TCP state machine driven by crafted segments through a loopback device of
 * our own (the test plays the peer), and a socket echo over a reflecting
 * loopback. They attach the stack to their device, so they run last. */
#include <toro/test.h>
#include <toro/net.h>
#include <toro/socket.h>

#define LOCAL IP4(10, 0, 2, 15)
#define PEER IP4(10, 0, 2, 99)
#define LO_FRAMES 64

static uint32_t other_cpu(void) { return toro_ncpus > 1 ? 1 : 0; }

/* ---------------------------------------------------------------- loopback device */
/* lo_tx keeps every frame the stack sends. In reflect mode a delivery thread
 * on the device's core hands them back to the stack, as a driver would; in
 * capture mode the test reads them with lo_pop. */
static struct {
    struct netdev dev;
    spinlock_t lk;
    uint8_t frame[LO_FRAMES][ETH_FRAME_MAX];
    uint16_t len[LO_FRAMES];
    uint32_t head, tail;
    bool reflect;
    volatile bool stop;
    thread_t *deliver;
} lo;
static const uint8_t peer_mac[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 0x99 };

/* lo_tx: the device's tx (called with the stack lock held). */
static int lo_tx(struct netdev *d, const void *f, size_t len)
{
    (void)d;
    spin_lock(&lo.lk);
    bool full = lo.tail - lo.head == LO_FRAMES;
    if (!full) {
        memcpy(lo.frame[lo.tail % LO_FRAMES], f, len);
        lo.len[lo.tail % LO_FRAMES] = (uint16_t)len;
        lo.tail++;
    }
    spin_unlock(&lo.lk);
    if (lo.reflect && lo.deliver) net_wake_thread(lo.deliver);
    return full ? -1 : 0;
}

/* lo_pop: the oldest kept frame into buf; its length, or 0. Any thread. */
static size_t lo_pop(uint8_t *buf)
{
    uint64_t f = irq_save();
    spin_lock(&lo.lk);
    size_t n = 0;
    if (lo.head != lo.tail) {
        n = lo.len[lo.head % LO_FRAMES];
        memcpy(buf, lo.frame[lo.head % LO_FRAMES], n);
        lo.head++;
    }
    spin_unlock(&lo.lk);
    irq_restore(f);
    return n;
}

/* lo_deliver: reflect mode's driver thread, on the device's core. */
static void lo_deliver(void *arg)
{
    (void)arg;
    static uint8_t buf[ETH_FRAME_MAX];
    while (!lo.stop) {
        size_t n = lo_pop(buf);
        if (n) netdev_input(&lo.dev, buf, n);
        else thread_block_until(rdtsc() + tsc_from_us(100000));
    }
}

static void lo_attach(bool reflect)
{
    static const uint8_t mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
    strncpy0(lo.dev.name, "lo", sizeof lo.dev.name);
    memcpy(lo.dev.mac, mac, ETH_ALEN);
    lo.dev.mtu = 1500;
    lo.dev.cpu = cpu_index();
    lo.dev.kind = "test loopback";
    lo.dev.tx = lo_tx;
    lo.head = lo.tail = 0;
    lo.reflect = reflect;
    net_attach(&lo.dev, LOCAL, IP4(10, 0, 2, 2), IP4(255, 255, 255, 0));
}

/* ---------------------------------------------------------------- the crafted peer */
struct seg { uint8_t flags; uint32_t seq, ack; uint16_t win, sport, dport, mss, len; int ws; uint8_t data[1500]; };
enum { F_FIN = 1, F_SYN = 2, F_RST = 4, F_PSH = 8, F_ACK = 16 };

/* inject: a frame from the peer (IP payload of proto, plen bytes at f[NET_L4]). */
static void inject_ip(uint8_t *f, uint8_t proto, size_t plen)
{
    memcpy(f, lo.dev.mac, ETH_ALEN);
    memcpy(f + 6, peer_mac, ETH_ALEN);
    put16(f + 12, 0x0800);
    uint8_t *h = f + ETH_HLEN;
    memset(h, 0, IP_HLEN);
    h[0] = 0x45; put16(h + 2, (uint16_t)(IP_HLEN + plen)); put16(h + 6, 0x4000); h[8] = 64; h[9] = proto;
    put32(h + 12, PEER); put32(h + 16, LOCAL);
    put16(h + 10, net_csum(h, IP_HLEN));
    netdev_input(&lo.dev, f, NET_L4 + plen);
}

static void send_seg(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                     uint16_t win, const void *data, size_t len, bool syn_opts)
{
    static uint8_t f[ETH_FRAME_MAX];
    uint8_t *t = f + NET_L4;
    size_t hl = syn_opts ? 28 : 20;
    memset(t, 0, hl);
    put16(t, sport); put16(t + 2, dport); put32(t + 4, seq); put32(t + 8, ack);
    t[12] = (uint8_t)((hl / 4) << 4); t[13] = flags; put16(t + 14, win);
    if (syn_opts) { t[20] = 2; t[21] = 4; put16(t + 22, 1000); t[24] = 1; t[25] = 3; t[26] = 3; t[27] = 3; }
    memcpy(t + hl, data, len);
    put16(t + 16, net_csum_fold(net_csum_add(net_pseudo_sum(PEER, LOCAL, IPPROTO_TCP, (uint16_t)(hl + len)), t, hl + len)));
    inject_ip(f, IPPROTO_TCP, hl + len);
}

/* expect: the next TCP segment the stack sends within ms, parsed; ARP
 * frames in between are skipped. false on timeout. */
static bool expect(struct seg *s, uint64_t ms)
{
    static uint8_t f[ETH_FRAME_MAX];
    uint64_t end = rdtsc() + tsc_from_us(ms * 1000);
    for (;;) {
        size_t n = lo_pop(f);
        if (n >= NET_L4 + 20 && get16(f + 12) == 0x0800 && f[ETH_HLEN + 9] == IPPROTO_TCP) {
            const uint8_t *t = f + NET_L4;
            size_t tl = get16(f + ETH_HLEN + 2) - IP_HLEN, hl = (size_t)(t[12] >> 4) * 4;
            s->sport = get16(t); s->dport = get16(t + 2); s->seq = get32(t + 4); s->ack = get32(t + 8);
            s->flags = t[13]; s->win = get16(t + 14); s->mss = 0; s->ws = -1;
            for (size_t i = 20; i < hl;) {
                if (t[i] == 0) break;
                if (t[i] == 1) { i++; continue; }
                if (t[i] == 2) s->mss = get16(t + i + 2);
                if (t[i] == 3) s->ws = t[i + 2];
                i += t[i + 1];
            }
            s->len = (uint16_t)(tl - hl);
            memcpy(s->data, t + hl, s->len);
            return true;
        }
        if (n) continue;
        if (rdtsc() >= end) return false;
        thread_sleep_ms(1);
    }
}

static void drain(void) { struct seg s; while (expect(&s, 0)) {} }

/* peer_arp: the peer asks for our address, so the stack knows its MAC. */
static void peer_arp(void)
{
    static uint8_t f[ETH_FRAME_MAX];
    memset(f, 0xff, ETH_ALEN);
    memcpy(f + 6, peer_mac, ETH_ALEN);
    put16(f + 12, 0x0806);
    uint8_t *a = f + ETH_HLEN;
    put16(a, 1); put16(a + 2, 0x0800); a[4] = 6; a[5] = 4; put16(a + 6, 1);
    memcpy(a + 8, peer_mac, ETH_ALEN); put32(a + 14, PEER);
    memset(a + 18, 0, ETH_ALEN); put32(a + 24, LOCAL);
    netdev_input(&lo.dev, f, ETH_HLEN + 28);
    uint8_t r[ETH_FRAME_MAX];
    lo_pop(r);   /* our reply */
}

/* handshake: the peer (port pport, first seq 1000) connects to lport, where
 * listener ls listens; returns the accepted socket, *iss our first seq. */
static int handshake(int ls, uint16_t pport, uint16_t lport, uint32_t *iss, char *msg, size_t msglen)
{
    struct seg s;
    send_seg(pport, lport, 1000, 0, F_SYN, 8000, 0, 0, true);
    if (!expect(&s, 100)) { ksnprintf(msg, msglen, "no SYN-ACK"); return -1; }
    if (s.flags != (F_SYN | F_ACK) || s.ack != 1001 || s.mss != 1460 || s.ws < 0) {
        ksnprintf(msg, msglen, "SYN-ACK flags %x ack %u mss %u ws %d", s.flags, s.ack, s.mss, s.ws);
        return -1;
    }
    *iss = s.seq;
    send_seg(pport, lport, 1001, s.seq + 1, F_ACK, 1000, 0, 0, false);   /* 1000 << 3 = 8000 bytes */
    int fd = sock_accept(ls, SOCK_NOWAIT, 0, 0);
    if (fd < 0) ksnprintf(msg, msglen, "accept after the handshake: %d", fd);
    return fd;
}

static int listener(uint16_t port)
{
    int ls = sock_socket(SOCK_STREAM);
    if (ls < 0 || sock_bind(ls, 0, port) < 0 || sock_listen(ls, 8) < 0) return -1;
    return ls;
}

/* ---------------------------------------------------------------- tests */
TORO_TEST(net_checksum, 300)
{
    /* RFC 1071's example: the sum of these words is 0xddf2 */
    static const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    CHECK(net_csum(rfc, sizeof rfc) == (uint16_t)~0xddf2, "RFC 1071 vector: %x", net_csum(rfc, sizeof rfc));
    /* a textbook IPv4 header (192.168.0.1 -> 192.168.0.199) with checksum 0xb861 */
    uint8_t ip[20] = { 0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7 };
    CHECK(net_csum(ip, 20) == 0xb861, "IPv4 header checksum %x, expected b861", net_csum(ip, 20));
    put16(ip + 10, 0xb861);
    CHECK(net_csum(ip, 20) == 0, "a header with its checksum sums to %x", net_csum(ip, 20));
    /* odd length: the last byte is the high half of a word */
    static const uint8_t odd[] = { 0x12, 0x34, 0x56 };
    CHECK(net_csum(odd, 3) == (uint16_t)~(0x1234 + 0x5600), "odd length: %x", net_csum(odd, 3));
    uint32_t v;
    CHECK(net_parse_ip("10.0.2.15", &v) && v == LOCAL, "parse 10.0.2.15");
    CHECK(!net_parse_ip("10.0.2", &v) && !net_parse_ip("10.0.2.256", &v) && !net_parse_ip("a.b.c.d", &v), "malformed addresses accepted");
    return TEST_PASS;
}

/* pop_ip: the next frame the stack sent within 100 ms that carries proto. */
static size_t pop_ip(uint8_t *f, uint8_t proto)
{
    for (int i = 0; i < 100; i++) {
        size_t n = lo_pop(f);
        if (n >= NET_L4 && get16(f + 12) == 0x0800 && f[ETH_HLEN + 9] == proto) return n;
        if (!n) thread_sleep_ms(1);
    }
    return 0;
}

TORO_TEST(net_arp_icmp, 305)
{
    lo_attach(false);
    static uint8_t f[ETH_FRAME_MAX], r[ETH_FRAME_MAX];
    /* an ARP request for our address: a reply from our MAC to the asker */
    memset(f, 0xff, ETH_ALEN);
    memcpy(f + 6, peer_mac, ETH_ALEN);
    put16(f + 12, 0x0806);
    uint8_t *a = f + ETH_HLEN;
    put16(a, 1); put16(a + 2, 0x0800); a[4] = 6; a[5] = 4; put16(a + 6, 1);
    memcpy(a + 8, peer_mac, ETH_ALEN); put32(a + 14, PEER);
    memset(a + 18, 0, ETH_ALEN); put32(a + 24, LOCAL);
    netdev_input(&lo.dev, f, ETH_HLEN + 28);
    size_t n = lo_pop(r);
    CHECK(n >= ETH_HLEN + 28 && get16(r + 12) == 0x0806 && get16(r + ETH_HLEN + 6) == 2, "no ARP reply (%u bytes)", (unsigned)n);
    CHECK(!memcmp(r, peer_mac, ETH_ALEN) && !memcmp(r + ETH_HLEN + 8, lo.dev.mac, ETH_ALEN) &&
          get32(r + ETH_HLEN + 14) == LOCAL && get32(r + ETH_HLEN + 24) == PEER, "ARP reply fields");
    /* an ICMP echo request: the same identifier, sequence and data back */
    uint8_t *m = f + NET_L4;
    m[0] = 8; m[1] = 0; put16(m + 2, 0); put16(m + 4, 0x1234); put16(m + 6, 7);
    memcpy(m + 8, "ping data", 9);
    put16(m + 2, net_csum(m, 17));
    inject_ip(f, IPPROTO_ICMP, 17);
    n = pop_ip(r, IPPROTO_ICMP);
    uint8_t *e = r + NET_L4;
    CHECK(n && e[0] == 0 && get16(e + 4) == 0x1234 && get16(e + 6) == 7 && !memcmp(e + 8, "ping data", 9),
          "no echo reply (%u bytes, type %u)", (unsigned)n, n ? e[0] : 0);
    CHECK(net_csum(e, 17) == 0 && net_csum(r + ETH_HLEN, IP_HLEN) == 0, "echo reply checksums");
    CHECK(get32(r + ETH_HLEN + 16) == PEER && (get16(r + ETH_HLEN + 6) & 0x4000), "echo reply: destination or DF");
    /* an unknown IP protocol and a bad ICMP checksum are counted drops */
    uint64_t drops = 0, after = 0;
    for (uint32_t i = 0; i < TORO_MAX_CPUS; i++) drops += toro_net_stats[i].rx_drops;
    inject_ip(f, 99, 8);
    m[2] ^= 0xff;
    inject_ip(f, IPPROTO_ICMP, 17);
    for (uint32_t i = 0; i < TORO_MAX_CPUS; i++) after += toro_net_stats[i].rx_drops;
    CHECK(after == drops + 2, "rx_drops %lu -> %lu, expected +2", drops, after);
    CHECK(!pop_ip(r, IPPROTO_ICMP), "a corrupt echo request was answered");
    return TEST_PASS;
}

TORO_TEST(tcp_passive, 310)
{
    lo_attach(false);
    peer_arp();
    int ls = listener(7000);
    CHECK(ls >= 0, "listen on 7000");
    uint32_t iss;
    struct seg s;
    int fd = handshake(ls, 5000, 7000, &iss, msg, msglen);
    if (fd < 0) return TEST_FAIL;
    CHECK(toro_tcp_conns[fd].state == TCPS_ESTABLISHED && toro_tcp_conns[fd].rport == 5000,
          "conn state %u rport %u", toro_tcp_conns[fd].state, toro_tcp_conns[fd].rport);
    /* in-order data is acked and readable */
    send_seg(5000, 7000, 1001, iss + 1, F_ACK | F_PSH, 1000, "hello", 5, false);
    CHECK(expect(&s, 100) && s.flags == F_ACK && s.ack == 1006, "ack of hello: flags %x ack %u", s.flags, s.ack);
    char buf[4096];
    long n = sock_recv(fd, buf, sizeof buf, SOCK_NOWAIT);
    CHECK(n == 5 && !memcmp(buf, "hello", 5), "recv hello: %ld", n);
    /* a segment past a gap is dropped and answered with a duplicate ACK */
    send_seg(5000, 7000, 1010, iss + 1, F_ACK, 1000, "XYZ", 3, false);
    CHECK(expect(&s, 100) && s.ack == 1006, "duplicate ack %u, expected 1006", s.ack);
    CHECK(sock_recv(fd, buf, sizeof buf, SOCK_NOWAIT) == SOCK_ETIMEDOUT, "out-of-order data was delivered");
    send_seg(5000, 7000, 1006, iss + 1, F_ACK, 1000, "abcd", 4, false);
    CHECK(expect(&s, 100) && s.ack == 1010, "ack after the gap filled: %u", s.ack);
    CHECK(sock_recv(fd, buf, sizeof buf, SOCK_NOWAIT) == 4, "recv abcd");
    /* 3000 bytes: three segments of the peer's MSS (1000) in flight at once,
     * allowed only by its scaled window (1000 << 3) */
    for (int i = 0; i < 3000; i++) buf[i] = (char)i;
    CHECK(sock_send(fd, buf, 3000, SOCK_NOWAIT) == 3000, "send 3000");
    uint32_t seq = iss + 1;
    for (int k = 0; k < 3; k++) {
        CHECK(expect(&s, 100), "segment %d of 3 not sent before any ACK", k + 1);
        CHECK(s.seq == seq && s.len == 1000 && !memcmp(s.data, buf + k * 1000, 1000),
              "segment %d: seq %u len %u", k + 1, s.seq - iss, s.len);
        seq += s.len;
    }
    send_seg(5000, 7000, 1010, seq, F_ACK, 1000, 0, 0, false);
    /* the peer's FIN: CLOSE_WAIT, then EOF */
    send_seg(5000, 7000, 1010, seq, F_ACK | F_FIN, 1000, 0, 0, false);
    CHECK(expect(&s, 100) && s.ack == 1011, "ack of the peer's FIN: %u", s.ack);
    CHECK(toro_tcp_conns[fd].state == TCPS_CLOSE_WAIT, "state %u, expected CLOSE_WAIT", toro_tcp_conns[fd].state);
    CHECK(sock_recv(fd, buf, sizeof buf, SOCK_NOWAIT) == 0, "no EOF after FIN");
    /* our close: FIN, LAST_ACK, and the slot is free once it is acked */
    sock_close(fd);
    CHECK(expect(&s, 100) && (s.flags & F_FIN) && s.seq == seq, "our FIN: flags %x seq %u", s.flags, s.seq - iss);
    CHECK(toro_tcp_conns[fd].state == TCPS_LAST_ACK, "state %u, expected LAST_ACK", toro_tcp_conns[fd].state);
    send_seg(5000, 7000, 1011, seq + 1, F_ACK, 1000, 0, 0, false);
    CHECK(toro_tcp_conns[fd].state == TCPS_CLOSED, "state %u after the last ACK", toro_tcp_conns[fd].state);
    sock_close(ls);
    drain();
    return TEST_PASS;
}

TORO_TEST(tcp_active_close, 320)
{
    lo_attach(false);
    peer_arp();
    int ls = listener(7001);
    uint32_t iss;
    struct seg s;
    /* FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT -> free */
    int fd = handshake(ls, 5001, 7001, &iss, msg, msglen);
    if (fd < 0) return TEST_FAIL;
    sock_close(fd);
    CHECK(expect(&s, 100) && (s.flags & F_FIN), "no FIN on close");
    CHECK(toro_tcp_conns[fd].state == TCPS_FIN_WAIT_1, "state %u, expected FIN_WAIT_1", toro_tcp_conns[fd].state);
    send_seg(5001, 7001, 1001, iss + 2, F_ACK, 1000, 0, 0, false);
    CHECK(toro_tcp_conns[fd].state == TCPS_FIN_WAIT_2, "state %u, expected FIN_WAIT_2", toro_tcp_conns[fd].state);
    send_seg(5001, 7001, 1001, iss + 2, F_ACK | F_FIN, 1000, 0, 0, false);
    CHECK(expect(&s, 100) && s.ack == 1002, "ack of the peer's FIN %u", s.ack);
    CHECK(toro_tcp_conns[fd].state == TCPS_TIME_WAIT, "state %u, expected TIME_WAIT", toro_tcp_conns[fd].state);
    thread_sleep_ms(1300);
    CHECK(toro_tcp_conns[fd].state == TCPS_CLOSED, "TIME_WAIT not over after 1.3 s (state %u)", toro_tcp_conns[fd].state);
    /* both FINs cross: CLOSING -> TIME_WAIT */
    fd = handshake(ls, 5002, 7001, &iss, msg, msglen);
    if (fd < 0) return TEST_FAIL;
    sock_close(fd);
    CHECK(expect(&s, 100) && (s.flags & F_FIN), "no FIN on close");
    send_seg(5002, 7001, 1001, iss + 1, F_ACK | F_FIN, 1000, 0, 0, false);   /* does not ack ours */
    CHECK(toro_tcp_conns[fd].state == TCPS_CLOSING, "state %u, expected CLOSING", toro_tcp_conns[fd].state);
    send_seg(5002, 7001, 1002, iss + 2, F_ACK, 1000, 0, 0, false);
    CHECK(toro_tcp_conns[fd].state == TCPS_TIME_WAIT, "state %u, expected TIME_WAIT", toro_tcp_conns[fd].state);
    /* data in the ACK that completes the handshake (slirp does this) is kept
     * for the socket accept will return */
    drain();
    send_seg(5006, 7001, 1000, 0, F_SYN, 8000, 0, 0, true);
    CHECK(expect(&s, 100) && s.flags == (F_SYN | F_ACK), "no SYN-ACK");
    send_seg(5006, 7001, 1001, s.seq + 1, F_ACK | F_PSH, 1000, "early", 5, false);
    fd = sock_accept(ls, SOCK_NOWAIT, 0, 0);
    CHECK(fd >= 0, "accept: %d", fd);
    char b[8];
    long n = sock_recv(fd, b, sizeof b, SOCK_NOWAIT);
    CHECK(n == 5 && !memcmp(b, "early", 5), "data of the handshake's ACK: recv %ld", n);
    send_seg(5006, 7001, 1006, s.seq + 1, F_RST, 0, 0, 0, false);
    sock_close(fd);
    sock_close(ls);
    drain();
    return TEST_PASS;
}

TORO_TEST(tcp_reset, 330)
{
    lo_attach(false);
    peer_arp();
    struct seg s;
    /* a SYN to a closed port: RST|ACK acking the SYN */
    send_seg(5003, 7999, 4242, 0, F_SYN, 8000, 0, 0, true);
    CHECK(expect(&s, 100) && s.flags == (F_RST | F_ACK) && s.ack == 4243 && s.seq == 0,
          "reply to SYN on a closed port: flags %x seq %u ack %u", s.flags, s.seq, s.ack);
    /* an ACK for no connection: RST with its ack as our seq */
    send_seg(5003, 7999, 4243, 777, F_ACK, 8000, "x", 1, false);
    CHECK(expect(&s, 100) && s.flags == F_RST && s.seq == 777, "reply to a stray ACK: flags %x seq %u", s.flags, s.seq);
    /* a RST for no connection gets no answer */
    send_seg(5003, 7999, 4243, 0, F_RST, 0, 0, 0, false);
    CHECK(!expect(&s, 50), "a RST was answered (flags %x)", s.flags);
    /* a RST in the window ends an established connection */
    int ls = listener(7002);
    uint32_t iss;
    int fd = handshake(ls, 5004, 7002, &iss, msg, msglen);
    if (fd < 0) return TEST_FAIL;
    send_seg(5004, 7002, 1001, 0, F_RST, 0, 0, 0, false);
    char b[8];
    CHECK(sock_recv(fd, b, sizeof b, SOCK_NOWAIT) == SOCK_ECONNRESET, "recv after RST");
    CHECK(toro_tcp_conns[fd].state == TCPS_CLOSED, "state %u after RST", toro_tcp_conns[fd].state);
    sock_close(fd);
    sock_close(ls);
    return TEST_PASS;
}

TORO_TEST(tcp_retransmit, 340)
{
    lo_attach(false);
    peer_arp();
    int ls = listener(7003);
    uint32_t iss;
    struct seg s;
    int fd = handshake(ls, 5005, 7003, &iss, msg, msglen);
    if (fd < 0) return TEST_FAIL;
    uint64_t before = 0;
    for (uint32_t c = 0; c < TORO_MAX_CPUS; c++) before += toro_net_stats[c].retransmits;
    CHECK(sock_send(fd, "retransmit me", 13, SOCK_NOWAIT) == 13, "send");
    CHECK(expect(&s, 100) && s.len == 13, "first transmission");   /* "lost" */
    uint64_t t0 = rdtsc();
    CHECK(expect(&s, 3000) && s.seq == iss + 1 && s.len == 13 && !memcmp(s.data, "retransmit me", 13),
          "no retransmission within 3 s");
    uint64_t t1 = rdtsc();
    CHECK(expect(&s, 5000) && s.seq == iss + 1, "no second retransmission within 5 s");
    uint64_t t2 = rdtsc();
    uint64_t first = tsc_to_us(t1 - t0), second = tsc_to_us(t2 - t1);
    CHECK(second * 10 >= first * 15, "RTO did not back off: %lu us then %lu us", first, second);
    uint64_t after = 0;
    for (uint32_t c = 0; c < TORO_MAX_CPUS; c++) after += toro_net_stats[c].retransmits;
    CHECK(after >= before + 2, "retransmits counted %lu -> %lu", before, after);
    send_seg(5005, 7003, 1001, iss + 14, F_ACK, 1000, 0, 0, false);
    CHECK(!expect(&s, 2500), "retransmitted after the ACK (seq %u)", s.seq - iss);
    send_seg(5005, 7003, 1001, iss + 14, F_RST | F_ACK, 0, 0, 0, false);
    sock_close(fd);
    sock_close(ls);
    drain();
    return TEST_PASS;
}

/* ---------------------------------------------------------------- socket echo */
static volatile long echo_total;
static void echo_server(void *arg)
{
    int ls = (int)(intptr_t)arg;
    int fd = sock_accept(ls, 5000000, 0, 0);
    if (fd < 0) { echo_total = fd; return; }
    static char b[3000];
    long n, total = 0;
    while ((n = sock_recv(fd, b, sizeof b, 5000000)) > 0) {
        if (sock_send(fd, b, (size_t)n, 5000000) != n) break;
        total += n;
    }
    sock_close(fd);
    echo_total = total;
}

TORO_TEST(socket_echo, 350)
{
    lo_attach(true);
    lo.stop = false;
    lo.deliver = thread_create_on(lo.dev.cpu, lo_deliver, 0, "lo-deliver");
    CHECK(lo.deliver, "no delivery thread");
    uint64_t free0 = mem_free_bytes();
    int ls = listener(7);
    CHECK(ls >= 0, "listen on 7");
    echo_total = -100;
    thread_t *srv = thread_create_on(other_cpu(), echo_server, (void *)(intptr_t)ls, "echo");
    int c = sock_socket(SOCK_STREAM);
    int r = sock_connect(c, LOCAL, 7, 2000000);
    CHECK(r == 0, "connect: %d", r);
    enum { TOTAL = 200000 };
    static uint8_t out[TOTAL], in[TOTAL];
    for (int i = 0; i < TOTAL; i++) out[i] = (uint8_t)(i % 251);
    long got = 0;
    /* send in pieces and read the echo as it comes, so neither side's buffers fill */
    for (long sent = 0; sent < TOTAL || got < TOTAL;) {
        if (sent < TOTAL) {
            long k = sock_send(c, out + sent, TOTAL - sent < 8192 ? TOTAL - sent : 8192, 2000000);
            CHECK(k > 0, "send at %ld: %ld", sent, k);
            sent += k;
        }
        long k = sock_recv(c, in + got, TOTAL - got, sent < TOTAL ? 1000 : 2000000);
        if (k == SOCK_ETIMEDOUT && sent < TOTAL) continue;
        CHECK(k > 0, "recv at %ld: %ld", got, k);
        got += k;
    }
    CHECK(!memcmp(in, out, TOTAL), "echoed bytes differ");
    sock_shutdown(c);
    char b[4];
    CHECK(sock_recv(c, b, sizeof b, 2000000) == 0, "no EOF after the server closed");
    sock_close(c);
    thread_join(srv);
    CHECK(echo_total == TOTAL, "server echoed %ld", echo_total);
    /* UDP to ourselves */
    int u1 = sock_socket(SOCK_DGRAM), u2 = sock_socket(SOCK_DGRAM);
    CHECK(u1 >= 0 && u2 >= 0 && sock_bind(u2, 0, 9000) == 0, "udp sockets");
    CHECK(sock_sendto(u1, "datagram", 8, LOCAL, 9000) == 8, "sendto");
    uint32_t from; uint16_t fport;
    char ub[16];
    long un = sock_recvfrom(u2, ub, sizeof ub, 1000000, &from, &fport);
    CHECK(un == 8 && !memcmp(ub, "datagram", 8) && from == LOCAL, "recvfrom %ld", un);
    sock_close(u1);
    sock_close(u2);
    sock_close(ls);
    thread_sleep_ms(1300);   /* TIME_WAIT */
    uint32_t open = 0;
    for (uint32_t i = 0; i < TORO_MAX_CPUS; i++) open += toro_net_stats[i].tcp_open;
    CHECK(open == 0, "%u connections still open", open);
    uint64_t free1 = mem_free_bytes();
    CHECK(free1 + 64 * 1024 >= free0, "memory not returned: %lu before, %lu after", free0, free1);
    lo.stop = true;
    thread_wake(lo.deliver);
    thread_join(lo.deliver);
    lo.deliver = 0;
    return TEST_PASS;
}
