/* TCP (RFC 793, 9293) with the MSS and window scale options (RFC 7323), RTO
 * estimation with backoff (RFC 6298), slow start, congestion avoidance and a
 * fast retransmit on three duplicate ACKs (RFC 5681), keep-alive probes, and
 * a short TIME_WAIT. Out-of-order segments are dropped and answered with a
 * duplicate ACK, so the peer retransmits from our rcv_nxt.
 *
 * Every function here runs with the stack lock held (net.h). A control block
 * (struct tcb) lives in a fixed table whose slot i is mirrored in
 * toro_tcp_conns[i] for the Network view and a debugger. */
#include <toro/net.h>
#include <toro/socket.h>

#define TCP_HLEN 20
#define RBUF_SIZE 65536u        /* receive buffer per connection */
#define SBUF_SIZE 32768u        /* send buffer per connection */
#define RCV_WSCALE 1            /* our window scale: 65536 fits in 16 bits >> 1 */
#define RTO_MIN_US 1000000u      /* RFC 6298 (2.4): 1 s; under nested KVM an ACK can take 200 ms */
#define RTO_INIT_US 1000000u
#define RTO_MAX_US 60000000u
#define SYN_RETRIES 5
#define DATA_RETRIES 10
#define TIME_WAIT_US 1000000u   /* 2 MSL, short: Toro's peers are local */
#define FIN_WAIT2_US 10000000u  /* an orphan waits this long for the peer's FIN */
#define KA_INTERVAL_US 10000000u
#define KA_PROBES 5

enum { F_FIN = 1, F_SYN = 2, F_RST = 4, F_PSH = 8, F_ACK = 16 };
#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

struct tcb {
    bool in_use;                 /* the slot is taken */
    bool owned;                  /* a socket refers to it (else freed at CLOSED) */
    uint8_t state;               /* TCPS_* */
    uint32_t laddr, raddr;
    uint16_t lport, rport;
    uint32_t cpu;                /* toro_tcp_conns' cpu: the owning thread's core */
    int err;                     /* SOCK_E* once the connection failed */
    /* send side: sbuf holds the bytes from snd_una on */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
    uint32_t cwnd, ssthresh, dupacks;
    uint16_t mss;                /* the largest segment we send */
    uint8_t snd_wscale, rcv_wscale;
    bool ws_offer;               /* our SYN carries the window scale option */
    bool fin_queued, fin_acked;
    uint8_t *sbuf;
    uint32_t sbuf_head, sbuf_len;
    /* receive side */
    uint32_t irs, rcv_nxt, rcv_adv;
    bool fin_rcvd, ack_now;
    uint8_t *rbuf;
    uint32_t rbuf_head, rbuf_len;
    /* round trip and timers (TSC deadlines, 0 = off) */
    uint32_t srtt_us, rttvar_us, rto_us, rtt_seq, retries;
    bool rtt_on;
    uint64_t rtt_start;
    uint64_t rto_at, tw_at, fw2_at, ka_at;
    uint32_t ka_idle_us, ka_sent;
    /* listening socket and its children */
    struct tcb *parent;          /* a child not yet accepted */
    struct tcb *acc_next;        /* accept queue link */
    struct tcb *acc_head, *acc_tail;
    bool queued;                 /* on parent's accept queue */
    uint32_t backlog, nchildren;
    struct net_waiter *waiters;
};

static struct tcb tcbs[TORO_MAX_TCP];
static uint16_t next_ephemeral = 49152;

/* info: t's mirror in toro_tcp_conns; is_open: a state the tcp_open gauge
 * counts; min32: the smaller. */
static struct toro_tcp_info *info(struct tcb *t) { return &toro_tcp_conns[t - tcbs]; }
static bool is_open(uint8_t s) { return s != TCPS_CLOSED && s != TCPS_LISTEN; }
static uint32_t min32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* set_state: the state, its mirror, and the open-connections gauge of the
 * owning core. */
static void set_state(struct tcb *t, uint8_t s)
{
    bool was = is_open(t->state), now = is_open(s);
    if (was && !now) __atomic_fetch_sub(&toro_net_stats[t->cpu].tcp_open, 1, __ATOMIC_RELAXED);
    if (!was && now) __atomic_fetch_add(&toro_net_stats[t->cpu].tcp_open, 1, __ATOMIC_RELAXED);
    t->state = s;
    info(t)->state = s;
}

/* arm: sets a timer of t and makes sure the timer thread wakes for it. */
static void arm(uint64_t *timer, uint64_t at)
{
    *timer = at;
    net_timer_at(at);
}

/* tcb_release: frees the slot and its buffers. t is CLOSED and unowned. */
static void tcb_release(struct tcb *t)
{
    if (t->parent) {
        struct tcb *p = t->parent;
        p->nchildren--;
        if (t->queued) {
            struct tcb **pp = &p->acc_head, *prev = 0;
            while (*pp && *pp != t) { prev = *pp; pp = &(*pp)->acc_next; }
            if (*pp) { *pp = t->acc_next; if (p->acc_tail == t) p->acc_tail = prev; }
        }
    }
    kfree(t->sbuf);
    kfree(t->rbuf);
    memset(info(t), 0, sizeof *info(t));
    memset(t, 0, sizeof *t);
}

/* tcb_alloc: a zeroed CLOSED slot counted on this core, or 0. When the table
 * is full, the oldest TIME_WAIT connection without a socket gives way. */
static struct tcb *tcb_alloc(void)
{
    struct tcb *t = 0, *tw = 0;
    for (int i = 0; i < TORO_MAX_TCP && !t; i++) {
        if (!tcbs[i].in_use) t = &tcbs[i];
        else if (tcbs[i].state == TCPS_TIME_WAIT && !tcbs[i].owned && (!tw || tcbs[i].tw_at < tw->tw_at)) tw = &tcbs[i];
    }
    if (!t && tw) { set_state(tw, TCPS_CLOSED); tcb_release(tw); t = tw; }
    if (!t) return 0;
    memset(t, 0, sizeof *t);
    t->in_use = true;
    t->cpu = cpu_index();
    t->rto_us = RTO_INIT_US;
    info(t)->cpu = (uint16_t)t->cpu;
    return t;
}

/* tcb_buffers: the send and receive buffers of a connection; false if out
 * of memory. */
static bool tcb_buffers(struct tcb *t)
{
    if (!t->rbuf) t->rbuf = kmalloc(RBUF_SIZE);
    if (!t->sbuf) t->sbuf = kmalloc(SBUF_SIZE);
    return t->rbuf && t->sbuf;
}

/* tcb_addrs: t's addresses and ports, mirrored. */
static void tcb_addrs(struct tcb *t, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    t->laddr = laddr; t->lport = lport; t->raddr = raddr; t->rport = rport;
    struct toro_tcp_info *i = info(t);
    i->laddr = laddr; i->lport = lport; i->raddr = raddr; i->rport = rport;
}

/* new_iss: an initial sequence number from the clock and the ports (RFC
 * 6528's idea without the secret: Toro's peers are local). */
static uint32_t new_iss(struct tcb *t)
{
    return (uint32_t)(rdtsc() >> 6) ^ ((uint32_t)t->rport << 16 | t->lport) ^ t->raddr;
}

/* rcv_window: the receive window we can offer, in bytes. */
static uint32_t rcv_window(struct tcb *t)
{
    return t->rbuf ? RBUF_SIZE - t->rbuf_len : 0;
}

/* finish_segment: checksum, then hand to IP. h holds hl header bytes and n
 * data bytes. */
static void finish_segment(uint8_t *f, uint32_t src, uint32_t dst, size_t len)
{
    uint8_t *h = f + NET_L4;
    put16(h + 16, 0);
    put16(h + 16, net_csum_fold(net_csum_add(net_pseudo_sum(src, dst, IPPROTO_TCP, (uint16_t)len), h, len)));
    ip_output(dst, IPPROTO_TCP, f, len);
}

/* xmit: sends one segment of t: seq, flags, and len bytes of the send buffer
 * from offset off (bytes past snd_una). A SYN carries our MSS and, when
 * offered, the window scale. Every segment but a SYN in SYN_SENT acks. */
static void xmit(struct tcb *t, uint32_t seq, uint8_t flags, uint32_t off, uint32_t len)
{
    uint8_t f[ETH_FRAME_MAX];
    uint8_t *h = f + NET_L4;
    size_t hl = TCP_HLEN;
    if (t->state != TCPS_SYN_SENT) flags |= F_ACK;
    put16(h, t->lport); put16(h + 2, t->rport);
    put32(h + 4, seq);
    put32(h + 8, (flags & F_ACK) ? t->rcv_nxt : 0);
    h[13] = flags;
    uint32_t wnd = rcv_window(t);
    uint32_t field = (flags & F_SYN) ? min32(wnd, 65535) : min32(wnd >> t->rcv_wscale, 65535);
    put16(h + 14, (uint16_t)field);
    put16(h + 18, 0);
    if (flags & F_SYN) {
        uint8_t *o = h + TCP_HLEN;
        o[0] = 2; o[1] = 4; put16(o + 2, (uint16_t)(net_if.dev->mtu - IP_HLEN - TCP_HLEN));
        hl += 4;
        if (t->ws_offer) { o[4] = 1; o[5] = 3; o[6] = 3; o[7] = RCV_WSCALE; hl += 4; }
    }
    h[12] = (uint8_t)((hl / 4) << 4);
    if (len) {
        uint32_t at = (t->sbuf_head + off) % SBUF_SIZE, first = min32(len, SBUF_SIZE - at);
        memcpy(h + hl, t->sbuf + at, first);
        memcpy(h + hl + first, t->sbuf, len - first);
    }
    finish_segment(f, t->laddr, t->raddr, hl + len);
    t->rcv_adv = t->rcv_nxt + ((flags & F_SYN) ? field : field << t->rcv_wscale);
    t->ack_now = false;
    info(t)->tx_bytes += len;
}

/* reply_reset: a RST answering a segment that has no connection (RFC 793
 * "reset generation"). h is the offending segment, dlen its data length. */
static void reply_reset(uint32_t src, uint32_t dst, const uint8_t *h, size_t dlen)
{
    uint8_t f[NET_L4 + TCP_HLEN + 8];
    uint8_t *r = f + NET_L4;
    uint8_t flags = h[13];
    memset(r, 0, TCP_HLEN);
    put16(r, get16(h + 2)); put16(r + 2, get16(h));
    if (flags & F_ACK) {
        put32(r + 4, get32(h + 8));
        r[13] = F_RST;
    } else {
        put32(r + 8, get32(h + 4) + (uint32_t)dlen + !!(flags & F_SYN) + !!(flags & F_FIN));
        r[13] = F_RST | F_ACK;
    }
    r[12] = (TCP_HLEN / 4) << 4;
    finish_segment(f, dst, src, TCP_HLEN);
}

/* abort_conn: the connection ends at once with err (0: closed by us): a RST
 * to a synchronised peer, waiters woken, and the slot freed if no socket
 * holds it. */
static void abort_conn(struct tcb *t, int err, bool send_rst)
{
    if (send_rst && t->state != TCPS_SYN_SENT && is_open(t->state)) xmit(t, t->snd_nxt, F_RST, 0, 0);
    if (!t->err) t->err = err;
    set_state(t, TCPS_CLOSED);
    t->rto_at = t->tw_at = t->fw2_at = t->ka_at = 0;
    net_wake_all(&t->waiters);
    if (!t->owned) tcb_release(t);
}

/* output: sends what the windows allow: new data, a FIN after the last
 * byte once queued, then a bare ACK if one is owed and nothing carried it.
 * force: send at least one byte even into a zero window (a probe). */
static void output(struct tcb *t, bool force)
{
    uint8_t s = t->state;
    if (!is_open(s)) return;
    bool can_send = s == TCPS_ESTABLISHED || s == TCPS_CLOSE_WAIT || s == TCPS_FIN_WAIT_1 ||
                    s == TCPS_CLOSING || s == TCPS_LAST_ACK;
    while (can_send) {
        uint32_t data_end = t->snd_una + t->sbuf_len;
        uint32_t inflight = t->snd_nxt - t->snd_una;
        uint32_t wnd = min32(t->snd_wnd, t->cwnd);
        uint32_t avail = SEQ_LT(t->snd_nxt, data_end) ? data_end - t->snd_nxt : 0;
        uint32_t room = wnd > inflight ? wnd - inflight : 0;
        uint32_t n = min32(min32(avail, room), t->mss);
        if (!n && avail && force && !inflight) n = 1;
        /* no silly small segments while more data waits and an ACK will come */
        if (n && n < t->mss && n < avail && inflight && !force) n = 0;
        bool fin = t->fin_queued && !t->fin_acked && t->snd_nxt + n == data_end;
        if (!n && !fin) break;
        uint8_t flags = (fin ? F_FIN : 0) | (n && t->snd_nxt + n == data_end ? F_PSH : 0);
        if (SEQ_LT(t->snd_nxt, t->snd_max)) net_stats()->retransmits++;
        else if (!t->rtt_on && n) { t->rtt_on = true; t->rtt_seq = t->snd_nxt; t->rtt_start = rdtsc(); }
        xmit(t, t->snd_nxt, flags, t->snd_nxt - t->snd_una, n);
        t->snd_nxt += n + fin;
        if (SEQ_GT(t->snd_nxt, t->snd_max)) t->snd_max = t->snd_nxt;
        if (!t->rto_at) arm(&t->rto_at, rdtsc() + tsc_from_us(t->rto_us));
        force = false;
    }
    /* persist: data waits behind a zero window with nothing in flight */
    if (can_send && !t->rto_at && t->sbuf_len && t->snd_nxt == t->snd_una)
        arm(&t->rto_at, rdtsc() + tsc_from_us(t->rto_us));
    if (t->ack_now) xmit(t, t->snd_nxt, 0, 0, 0);
}

/* parse_options: the peer's MSS and window scale from a SYN's options. */
static void parse_options(struct tcb *t, const uint8_t *o, size_t n, bool *ws, uint8_t *shift)
{
    uint16_t mss = 536;   /* RFC 9293's default without the option */
    *ws = false;
    for (size_t i = 0; i < n;) {
        uint8_t kind = o[i];
        if (kind == 0) break;
        if (kind == 1) { i++; continue; }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n) break;   /* malformed: stop */
        if (kind == 2 && o[i + 1] == 4) mss = get16(o + i + 2);
        if (kind == 3 && o[i + 1] == 3) { *ws = true; *shift = o[i + 2] > 14 ? 14 : o[i + 2]; }
        i += o[i + 1];
    }
    uint16_t ours = (uint16_t)(net_if.dev->mtu - IP_HLEN - TCP_HLEN);
    t->mss = mss < ours ? mss : ours;
    if (t->mss < 64) t->mss = 64;
}

/* established: the handshake is over: windows, scaling and congestion state. */
static void established(struct tcb *t, uint32_t seq, uint32_t ack, uint16_t win)
{
    set_state(t, TCPS_ESTABLISHED);
    t->snd_una = ack;
    t->snd_wnd = (uint32_t)win << t->snd_wscale;
    t->snd_wl1 = seq; t->snd_wl2 = ack;
    t->cwnd = 10u * t->mss;          /* RFC 6928's initial window */
    t->ssthresh = 0xffffffffu;
    t->rto_at = 0;
    t->retries = 0;
    if (t->ka_idle_us) arm(&t->ka_at, rdtsc() + tsc_from_us(t->ka_idle_us));
}

/* rtt_sample: RFC 6298's estimator, in microseconds. */
static void rtt_sample(struct tcb *t, uint32_t r)
{
    if (!t->srtt_us) {
        t->srtt_us = r;
        t->rttvar_us = r / 2;
    } else {
        uint32_t d = t->srtt_us > r ? t->srtt_us - r : r - t->srtt_us;
        t->rttvar_us = (3 * t->rttvar_us + d) / 4;
        t->srtt_us = (7 * t->srtt_us + r) / 8;
    }
    uint32_t rto = t->srtt_us + (4 * t->rttvar_us > 1000 ? 4 * t->rttvar_us : 1000);
    t->rto_us = rto < RTO_MIN_US ? RTO_MIN_US : rto > RTO_MAX_US ? RTO_MAX_US : rto;
}

/* ack_received: the ACK field of a segment in a synchronised state: frees
 * acknowledged data, samples the round trip, opens the congestion window,
 * and retransmits at once on the third duplicate ACK. Returns false if the
 * segment acks what we never sent (it is answered and dropped). */
static bool ack_received(struct tcb *t, uint32_t seq, uint32_t ack, uint16_t win, size_t dlen)
{
    if (SEQ_GT(ack, t->snd_max)) { t->ack_now = true; return false; }
    uint32_t wnd = (uint32_t)win << t->snd_wscale;
    if (SEQ_GT(ack, t->snd_una)) {
        uint32_t acked = ack - t->snd_una;
        uint32_t data = min32(acked, t->sbuf_len);
        t->sbuf_head = (t->sbuf_head + data) % SBUF_SIZE;
        t->sbuf_len -= data;
        if (t->fin_queued && acked > data) t->fin_acked = true;
        t->snd_una = ack;
        if (SEQ_LT(t->snd_nxt, t->snd_una)) t->snd_nxt = t->snd_una;
        uint64_t now = rdtsc();
        if (t->rtt_on && SEQ_GT(ack, t->rtt_seq)) { t->rtt_on = false; rtt_sample(t, (uint32_t)tsc_to_us(now - t->rtt_start)); }
        t->retries = 0;
        t->dupacks = 0;
        if (t->cwnd < t->ssthresh) t->cwnd += min32(acked, t->mss);
        else t->cwnd += (uint32_t)t->mss * t->mss / t->cwnd + 1;
        if (t->snd_una == t->snd_max) t->rto_at = 0;
        else arm(&t->rto_at, now + tsc_from_us(t->rto_us));
        net_wake_all(&t->waiters);
    } else if (ack == t->snd_una && !dlen && wnd == t->snd_wnd && t->snd_una != t->snd_max) {
        if (++t->dupacks == 3) {   /* fast retransmit of the first unacked segment */
            uint32_t inflight = t->snd_max - t->snd_una;
            t->ssthresh = inflight / 2 > 2u * t->mss ? inflight / 2 : 2u * t->mss;
            t->cwnd = t->ssthresh;
            t->rtt_on = false;
            uint32_t n = min32(t->sbuf_len, t->mss);
            bool fin = t->fin_queued && !t->fin_acked && n == t->sbuf_len;
            if (n || fin) { xmit(t, t->snd_una, fin ? F_FIN : 0, 0, n); net_stats()->retransmits++; }
        }
    }
    if (SEQ_LT(t->snd_wl1, seq) || (t->snd_wl1 == seq && SEQ_LEQ(t->snd_wl2, ack))) {
        t->snd_wnd = wnd;
        t->snd_wl1 = seq;
        t->snd_wl2 = ack;
    }
    return true;
}

/* enter_time_wait: 2 MSL from now; the send buffer is no longer needed. */
static void enter_time_wait(struct tcb *t)
{
    set_state(t, TCPS_TIME_WAIT);
    t->rto_at = t->fw2_at = t->ka_at = 0;
    arm(&t->tw_at, rdtsc() + tsc_from_us(TIME_WAIT_US));
    kfree(t->sbuf);
    t->sbuf = 0;
    t->sbuf_len = 0;
}

/* find: the connection of a segment, else a listener of its port. */
static struct tcb *find(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
    struct tcb *l = 0;
    for (int i = 0; i < TORO_MAX_TCP; i++) {
        struct tcb *t = &tcbs[i];
        if (!t->in_use || t->lport != dport) continue;
        if (is_open(t->state) && t->rport == sport && t->raddr == src) return t;
        if (t->state == TCPS_LISTEN && (!t->laddr || t->laddr == dst)) l = t;
    }
    return l;
}

/* listen_input: a SYN to a listener makes a child in SYN_RCVD and answers
 * SYN-ACK; an ACK gets a RST; the rest is ignored. A full backlog drops the
 * SYN silently: the peer retries. */
static void listen_input(struct tcb *l, uint32_t src, uint32_t dst, const uint8_t *h, size_t hl, size_t dlen)
{
    uint8_t flags = h[13];
    if (flags & F_RST) return;
    if (flags & F_ACK) { reply_reset(src, dst, h, dlen); return; }
    if (!(flags & F_SYN)) return;
    if (l->nchildren >= l->backlog) { net_stats()->rx_drops++; return; }
    struct tcb *c = tcb_alloc();
    if (!c || !tcb_buffers(c)) {
        if (c) tcb_release(c);
        net_stats()->rx_drops++;
        return;
    }
    tcb_addrs(c, dst, get16(h + 2), src, get16(h));
    c->parent = l;
    l->nchildren++;
    bool ws; uint8_t shift = 0;
    parse_options(c, h + TCP_HLEN, hl - TCP_HLEN, &ws, &shift);
    c->ws_offer = ws;
    c->snd_wscale = ws ? shift : 0;
    c->rcv_wscale = ws ? RCV_WSCALE : 0;
    c->irs = get32(h + 4);
    c->rcv_nxt = c->irs + 1;
    c->iss = new_iss(c);
    c->snd_una = c->iss;
    c->snd_wnd = get16(h + 14);
    set_state(c, TCPS_SYN_RCVD);
    xmit(c, c->iss, F_SYN, 0, 0);
    c->snd_nxt = c->snd_max = c->iss + 1;
    arm(&c->rto_at, rdtsc() + tsc_from_us(c->rto_us));
}

/* syn_sent_input: the answer to our SYN (RFC 9293 3.10.7.3). */
static void syn_sent_input(struct tcb *t, uint32_t src, uint32_t dst, const uint8_t *h, size_t hl, size_t dlen)
{
    uint8_t flags = h[13];
    uint32_t seq = get32(h + 4), ack = get32(h + 8);
    bool ack_ok = (flags & F_ACK) && ack == t->iss + 1;
    if ((flags & F_ACK) && !ack_ok) {
        if (!(flags & F_RST)) reply_reset(src, dst, h, dlen);
        return;
    }
    if (flags & F_RST) {
        if (ack_ok) abort_conn(t, SOCK_ECONNREFUSED, false);
        return;
    }
    if (!(flags & F_SYN) || !ack_ok) return;   /* simultaneous open: not supported */
    bool ws; uint8_t shift = 0;
    parse_options(t, h + TCP_HLEN, hl - TCP_HLEN, &ws, &shift);
    t->snd_wscale = ws ? shift : 0;
    t->rcv_wscale = ws ? RCV_WSCALE : 0;
    t->irs = seq;
    t->rcv_nxt = seq + 1;
    established(t, seq, ack, get16(h + 14));   /* a SYN's window is never scaled */
    t->ack_now = true;
    net_wake_all(&t->waiters);
    output(t, false);
}

/* data_received: in-order payload into the receive buffer (as much as fits),
 * then a FIN that follows it. Returns false for an out-of-order segment. */
static bool data_received(struct tcb *t, uint32_t seq, uint8_t flags, const uint8_t *d, size_t dlen)
{
    if (dlen || (flags & F_FIN)) t->ack_now = true;   /* every segment with data is acked */
    if (SEQ_LT(seq, t->rcv_nxt)) {                  /* a retransmission overlapping what we have */
        uint32_t skip = t->rcv_nxt - seq;
        if (skip >= dlen) { if (skip > dlen) flags &= ~F_FIN; dlen = 0; }
        else { d += skip; dlen -= skip; }
        seq = t->rcv_nxt;
    }
    if (seq != t->rcv_nxt) return false;
    bool take = t->state == TCPS_ESTABLISHED || t->state == TCPS_FIN_WAIT_1 || t->state == TCPS_FIN_WAIT_2;
    size_t n = 0;
    if (dlen && take) {
        n = min32((uint32_t)dlen, rcv_window(t));
        if (t->owned || t->parent) {   /* a socket has it, or will (accept) */
            uint32_t at = (t->rbuf_head + t->rbuf_len) % RBUF_SIZE, first = min32((uint32_t)n, RBUF_SIZE - at);
            memcpy(t->rbuf + at, d, first);
            memcpy(t->rbuf, d + first, n - first);
            t->rbuf_len += (uint32_t)n;
        }   /* else a closed socket's: acknowledged and discarded */
        t->rcv_nxt += (uint32_t)n;
        info(t)->rx_bytes += n;
        net_wake_all(&t->waiters);
    }
    if ((flags & F_FIN) && n == dlen && !t->fin_rcvd && take) {
        t->fin_rcvd = true;
        t->rcv_nxt++;
        t->ack_now = true;
        if (t->state == TCPS_ESTABLISHED) set_state(t, TCPS_CLOSE_WAIT);
        else if (t->state == TCPS_FIN_WAIT_1) { if (t->fin_acked) enter_time_wait(t); else set_state(t, TCPS_CLOSING); }
        else if (t->state == TCPS_FIN_WAIT_2) enter_time_wait(t);
        net_wake_all(&t->waiters);
    }
    return true;
}

/* tcp_input: see net.h. Checks the segment, finds its connection and runs
 * the state machine (RFC 9293 3.10.7, simplified where noted). */
void tcp_input(uint32_t src, uint32_t dst, const uint8_t *h, size_t len)
{
    if (len < TCP_HLEN) { net_drop("short TCP segment"); return; }
    size_t hl = (size_t)(h[12] >> 4) * 4;
    if (hl < TCP_HLEN || hl > len) { net_drop("bad TCP header length"); return; }
    if (net_csum_fold(net_csum_add(net_pseudo_sum(src, dst, IPPROTO_TCP, (uint16_t)len), h, len))) {
        net_drop("bad TCP checksum");
        return;
    }
    uint16_t sport = get16(h), dport = get16(h + 2), win = get16(h + 14);
    uint32_t seq = get32(h + 4), ack = get32(h + 8);
    uint8_t flags = h[13];
    const uint8_t *d = h + hl;
    size_t dlen = len - hl;
    struct tcb *t = find(src, sport, dst, dport);
    if (!t) { if (!(flags & F_RST)) reply_reset(src, dst, h, dlen); return; }
    if (t->state == TCPS_LISTEN) { listen_input(t, src, dst, h, hl, dlen); return; }
    if (t->state == TCPS_SYN_SENT) { syn_sent_input(t, src, dst, h, hl, dlen); return; }

    uint32_t wnd = rcv_window(t) ? rcv_window(t) : 1;
    bool in_window = SEQ_GEQ(seq, t->rcv_nxt) && SEQ_LT(seq, t->rcv_nxt + wnd);
    if (flags & F_RST) {
        if (in_window) abort_conn(t, SOCK_ECONNRESET, false);
        return;
    }
    if (flags & F_SYN) {
        /* our SYN-ACK was lost: the peer's SYN again; otherwise RFC 5961's challenge ACK */
        if (t->state == TCPS_SYN_RCVD && seq == t->irs) xmit(t, t->iss, F_SYN, 0, 0);
        else xmit(t, t->snd_nxt, 0, 0, 0);
        return;
    }
    if (!(flags & F_ACK)) return;
    if (t->ka_idle_us && t->state == TCPS_ESTABLISHED) { t->ka_sent = 0; arm(&t->ka_at, rdtsc() + tsc_from_us(t->ka_idle_us)); }
    if (t->state == TCPS_SYN_RCVD) {
        if (SEQ_LEQ(ack, t->snd_una) || SEQ_GT(ack, t->snd_max)) { reply_reset(src, dst, h, dlen); return; }
        established(t, seq, ack, win);
        struct tcb *p = t->parent;
        t->queued = true;
        t->acc_next = 0;
        if (p->acc_tail) p->acc_tail->acc_next = t; else p->acc_head = t;
        p->acc_tail = t;
        net_wake_all(&p->waiters);
    } else if (!ack_received(t, seq, ack, win, dlen)) {
        output(t, false);
        return;
    }
    if (t->fin_acked) {
        if (t->state == TCPS_FIN_WAIT_1) {
            set_state(t, TCPS_FIN_WAIT_2);
            if (!t->owned) arm(&t->fw2_at, rdtsc() + tsc_from_us(FIN_WAIT2_US));
        } else if (t->state == TCPS_CLOSING) {
            enter_time_wait(t);
        } else if (t->state == TCPS_LAST_ACK) {
            set_state(t, TCPS_CLOSED);
            t->rto_at = 0;
            net_wake_all(&t->waiters);
            if (!t->owned) tcb_release(t);
            return;
        }
    }
    if (t->state == TCPS_TIME_WAIT) {   /* the peer's FIN again: ack, restart 2 MSL */
        if (flags & F_FIN) { t->ack_now = true; arm(&t->tw_at, rdtsc() + tsc_from_us(TIME_WAIT_US)); }
    } else if (!data_received(t, seq, flags, d, dlen)) {
        t->ack_now = true;              /* out of order: dropped, duplicate ACK */
    }
    output(t, false);
}

/* rto_expired: the retransmission (or persist) timer fired: back off,
 * collapse the congestion window and resend from snd_una; give up after the
 * retry limit. */
static void rto_expired(struct tcb *t, uint64_t now)
{
    t->rto_at = 0;
    bool syn = t->state == TCPS_SYN_SENT || t->state == TCPS_SYN_RCVD;
    if (++t->retries > (syn ? SYN_RETRIES : DATA_RETRIES)) {
        abort_conn(t, SOCK_ETIMEDOUT, true);
        return;
    }
    t->rto_us = t->rto_us * 2 > RTO_MAX_US ? RTO_MAX_US : t->rto_us * 2;
    t->rtt_on = false;                  /* Karn: no sample from a retransmission */
    if (syn) {
        xmit(t, t->iss, F_SYN, 0, 0);
        net_stats()->retransmits++;
        arm(&t->rto_at, now + tsc_from_us(t->rto_us));
        return;
    }
    uint32_t inflight = t->snd_max - t->snd_una;
    t->ssthresh = inflight / 2 > 2u * t->mss ? inflight / 2 : 2u * t->mss;
    t->cwnd = t->mss;
    t->snd_nxt = t->snd_una;
    output(t, true);
    if (!t->rto_at && is_open(t->state) && t->snd_una != t->snd_max)
        arm(&t->rto_at, now + tsc_from_us(t->rto_us));
}

/* tcp_timer: see net.h. Visits every block: O(TORO_MAX_TCP) per pass,
 * cheap next to a frame, and passes happen only at deadlines. */
uint64_t tcp_timer(uint64_t now)
{
    uint64_t next = ~0ull;
    for (int i = 0; i < TORO_MAX_TCP; i++) {
        struct tcb *t = &tcbs[i];
        if (!t->in_use) continue;
        if (t->rto_at && now >= t->rto_at) rto_expired(t, now);
        if (!t->in_use) continue;
        if (t->tw_at && now >= t->tw_at) {
            t->tw_at = 0;
            set_state(t, TCPS_CLOSED);
            net_wake_all(&t->waiters);
            if (!t->owned) { tcb_release(t); continue; }
        }
        if (t->fw2_at && now >= t->fw2_at) { abort_conn(t, SOCK_ETIMEDOUT, true); if (!t->in_use) continue; }
        if (t->ka_at && now >= t->ka_at) {
            t->ka_at = 0;
            if (t->state == TCPS_ESTABLISHED) {
                if (t->ka_sent++ >= KA_PROBES) { abort_conn(t, SOCK_ETIMEDOUT, true); continue; }
                xmit(t, t->snd_una - 1, 0, 0, 0);   /* RFC 1122's probe: one byte back */
                t->ka_at = now + tsc_from_us(KA_INTERVAL_US);
            }
        }
        uint64_t dl[4] = { t->rto_at, t->tw_at, t->fw2_at, t->ka_at };
        for (int k = 0; k < 4; k++) if (dl[k] && dl[k] < next) next = dl[k];
    }
    return next;
}

/* ---------------------------------------------------------------- socket side */
/* tcp_new .. tcp_peer: the socket side, see net.h (lock held). */
struct tcb *tcp_new(void)
{
    struct tcb *t = tcb_alloc();
    if (t) t->owned = true;
    return t;
}

int tcp_slot(struct tcb *t) { return (int)(t - tcbs); }

struct tcb *tcp_at(int slot)
{
    if (slot < 0 || slot >= TORO_MAX_TCP || !tcbs[slot].in_use || !tcbs[slot].owned) return 0;
    return &tcbs[slot];
}

/* port_taken: a socket or a listener uses port as its local port. */
static bool port_taken(uint16_t port)
{
    for (int i = 0; i < TORO_MAX_TCP; i++)
        if (tcbs[i].in_use && tcbs[i].lport == port && (tcbs[i].owned || tcbs[i].state == TCPS_LISTEN)) return true;
    return false;
}

int tcp_bind(struct tcb *t, uint32_t addr, uint16_t port)
{
    if (t->state != TCPS_CLOSED || t->lport) return SOCK_EINVAL;
    if (!port) {
        for (int tries = 0; tries < 16384 && !port; tries++) {
            uint16_t p = next_ephemeral++;
            if (next_ephemeral < 49152) next_ephemeral = 49152;
            if (!port_taken(p)) port = p;
        }
        if (!port) return SOCK_EADDRINUSE;
    } else if (port_taken(port)) {
        return SOCK_EADDRINUSE;
    }
    tcb_addrs(t, addr, port, 0, 0);
    return 0;
}

int tcp_listen(struct tcb *t, int backlog)
{
    if (t->state != TCPS_CLOSED || !t->lport) return SOCK_EINVAL;
    t->backlog = backlog < 1 ? 1 : backlog > TORO_MAX_TCP ? TORO_MAX_TCP : (uint32_t)backlog;
    set_state(t, TCPS_LISTEN);
    return 0;
}

struct tcb *tcp_accept_next(struct tcb *l)
{
    struct tcb *c = l->acc_head;
    if (!c) return 0;
    l->acc_head = c->acc_next;
    if (!l->acc_head) l->acc_tail = 0;
    l->nchildren--;
    c->parent = 0;
    c->queued = false;
    c->acc_next = 0;
    c->owned = true;
    uint32_t me = cpu_index();   /* the accepting thread's core owns it now */
    if (c->cpu != me && is_open(c->state)) {
        __atomic_fetch_sub(&toro_net_stats[c->cpu].tcp_open, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&toro_net_stats[me].tcp_open, 1, __ATOMIC_RELAXED);
    }
    c->cpu = me;
    info(c)->cpu = (uint16_t)me;
    net_stats()->tcp_accepts++;
    return c;
}

int tcp_connect(struct tcb *t, uint32_t addr, uint16_t port)
{
    if (t->state != TCPS_CLOSED || t->err) return SOCK_EINVAL;
    if (!t->lport && tcp_bind(t, 0, 0) < 0) return SOCK_EADDRINUSE;
    if (!tcb_buffers(t)) return SOCK_ENOMEM;
    tcb_addrs(t, net_if.ip, t->lport, addr, port);
    t->mss = (uint16_t)(net_if.dev->mtu - IP_HLEN - TCP_HLEN);
    t->ws_offer = true;
    t->iss = new_iss(t);
    t->snd_una = t->iss;
    set_state(t, TCPS_SYN_SENT);
    xmit(t, t->iss, F_SYN, 0, 0);
    t->snd_nxt = t->snd_max = t->iss + 1;
    arm(&t->rto_at, rdtsc() + tsc_from_us(t->rto_us));
    return 0;
}

size_t tcp_read(struct tcb *t, void *buf, size_t n)
{
    size_t k = n < t->rbuf_len ? n : t->rbuf_len;
    uint32_t first = min32((uint32_t)k, RBUF_SIZE - t->rbuf_head);
    memcpy(buf, t->rbuf + t->rbuf_head, first);
    memcpy((uint8_t *)buf + first, t->rbuf, k - first);
    t->rbuf_head = (t->rbuf_head + (uint32_t)k) % RBUF_SIZE;
    t->rbuf_len -= (uint32_t)k;
    /* a window update once the window grew by two segments (RFC 9293's
     * receiver side of silly window avoidance) */
    uint32_t offered = t->rcv_adv - t->rcv_nxt, now = rcv_window(t);
    if (k && is_open(t->state) && !t->fin_rcvd && now >= offered + 2u * 1460) { t->ack_now = true; output(t, false); }
    return k;
}

size_t tcp_write(struct tcb *t, const void *buf, size_t n)
{
    if ((t->state != TCPS_ESTABLISHED && t->state != TCPS_CLOSE_WAIT) || t->fin_queued) return 0;
    uint32_t room = SBUF_SIZE - t->sbuf_len;
    uint32_t k = min32(room, n > SBUF_SIZE ? SBUF_SIZE : (uint32_t)n);
    uint32_t at = (t->sbuf_head + t->sbuf_len) % SBUF_SIZE, first = min32(k, SBUF_SIZE - at);
    memcpy(t->sbuf + at, buf, first);
    memcpy(t->sbuf, (const uint8_t *)buf + first, k - first);
    t->sbuf_len += k;
    output(t, false);
    return k;
}

void tcp_shutdown(struct tcb *t)
{
    if (t->fin_queued) return;
    if (t->state == TCPS_ESTABLISHED || t->state == TCPS_SYN_RCVD) set_state(t, TCPS_FIN_WAIT_1);
    else if (t->state == TCPS_CLOSE_WAIT) set_state(t, TCPS_LAST_ACK);
    else return;
    t->fin_queued = true;
    output(t, false);
}

/* tcp_close: see net.h. Unread data or a listener's pending children end
 * with RSTs; an open connection sends its FIN and finishes unowned. */
void tcp_close(struct tcb *t)
{
    t->owned = false;
    net_wake_all(&t->waiters);   /* other threads of the socket see it gone */
    if (t->state == TCPS_LISTEN) {
        for (int i = 0; i < TORO_MAX_TCP; i++)
            if (tcbs[i].in_use && tcbs[i].parent == t) abort_conn(&tcbs[i], 0, true);
        set_state(t, TCPS_CLOSED);
    }
    if (t->state == TCPS_CLOSED || t->state == TCPS_SYN_SENT) {
        set_state(t, TCPS_CLOSED);
        tcb_release(t);
        return;
    }
    if (t->rbuf_len) { abort_conn(t, 0, true); return; }
    tcp_shutdown(t);
    t->ka_at = 0;
    if (t->state == TCPS_FIN_WAIT_2) arm(&t->fw2_at, rdtsc() + tsc_from_us(FIN_WAIT2_US));
}

void tcp_set_keepalive(struct tcb *t, uint32_t idle_s)
{
    t->ka_idle_us = idle_s > 3600 ? 3600000000u : idle_s * 1000000u;
    t->ka_sent = 0;
    if (idle_s && t->state == TCPS_ESTABLISHED) arm(&t->ka_at, rdtsc() + tsc_from_us(t->ka_idle_us));
    else t->ka_at = 0;
}

bool tcp_readable(struct tcb *t) { return t->rbuf_len || t->fin_rcvd || t->err || !is_open(t->state); }
bool tcp_writable(struct tcb *t)
{
    if (t->err || (t->state != TCPS_ESTABLISHED && t->state != TCPS_CLOSE_WAIT) || t->fin_queued) return true;
    return t->sbuf_len < SBUF_SIZE;
}
bool tcp_connected(struct tcb *t) { return t->state != TCPS_SYN_SENT; }
int tcp_error(struct tcb *t) { return t->err; }
int tcp_state(struct tcb *t) { return t->state; }
bool tcp_eof(struct tcb *t) { return t->fin_rcvd && !t->rbuf_len; }
struct net_waiter **tcp_waiters(struct tcb *t) { return &t->waiters; }
void tcp_peer(struct tcb *t, uint32_t *addr, uint16_t *port)
{
    if (addr) *addr = t->raddr;
    if (port) *port = t->rport;
}

TORO_SYM(tcp_input);
TORO_SYM(tcp_timer);
TORO_SYM(output);
TORO_SYM(xmit);
TORO_SYM(rto_expired);
