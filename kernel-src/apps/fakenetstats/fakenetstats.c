/* fakenetstats: a test-only application with no network at all. It writes
 * made-up entries into toro_tcp_conns and moves every core's toro_net_stats
 * counters, so that telemetry v2's NET and CONN frames, `toro top` and the
 * Network view can be tested against a real kernel before a real stack
 * exists. fakenet_conns=N (default 3) fills N slots: 0, 3 and 7 as below, the
 * rest ESTABLISHED from slot 8 on (to test the kernel's CONN cap per sample).
 * It also registers one fake network device (kind "fake: fakenetstats", a
 * locally administered MAC) that drops whatever it is given, for the IFACE
 * frames: from app_main, later than netdev.h asks, which is harmless here
 * because no stack exists to have read the device table before.
 * Never exits. Nothing here is a measurement. */
#include <toro/thread.h>
#include <toro/netdev.h>

#define TICK_MS 10
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* fake_conn: fills slot i as the TCP layer would: every field, then the state
 * (telemetry.c reads the state first). Boot core, before the workers start. */
static void fake_conn(int i, uint8_t state, uint16_t cpu, uint32_t raddr, uint16_t rport, uint64_t rx, uint64_t tx)
{
    struct toro_tcp_info *c = &toro_tcp_conns[i];
    c->cpu = cpu;
    c->laddr = IP(10, 0, 2, 15);
    c->lport = 80;
    c->raddr = raddr;
    c->rport = rport;
    c->rx_bytes = rx;
    c->tx_bytes = tx;
    __atomic_store_n(&c->state, state, __ATOMIC_RELEASE);
}

/* fake_tx: the fake device's tx: nothing is sent; counted as a drop. Any core. */
static int fake_tx(struct netdev *d, const void *frame, size_t len)
{
    toro_net_stats[cpu_index()].tx_drops++;
    return -1;
}

static struct netdev fake_dev = {
    .mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
    .mtu = 1500,
    .cpu = 0,
    .kind = "fake: fakenetstats",
    .tx = fake_tx,
};

/* fake_traffic: on its own core for ever, every TICK_MS: two frames in, one
 * out, one request answered; the core's only writer of its counters. */
static void fake_traffic(void *arg)
{
    struct toro_net_stats *s = &toro_net_stats[cpu_index()];
    s->tcp_open = cpu_index() == 0 ? 1 : 0;
    for (;;) {
        s->rx_packets += 2;
        s->rx_bytes += 2 * 74;
        s->tx_packets += 1;
        s->tx_bytes += 1514;
        s->irqs += 1;
        s->requests += 1;
        thread_sleep_ms(TICK_MS);
    }
}

void app_main(void)
{
    netdev_register(&fake_dev);
    fake_conn(0, TCPS_LISTEN, 0, 0, 0, 0, 0);
    fake_conn(3, TCPS_ESTABLISHED, 0, IP(10, 0, 2, 2), 40000, 1234, 567890);
    fake_conn(7, TCPS_TIME_WAIT, toro_ncpus > 1 ? 1 : 0, IP(10, 0, 2, 2), 40001, 80, 4096);
    uint64_t n = cmdline_uint("fakenet_conns", 3);
    if (n > TORO_MAX_TCP - 5) n = TORO_MAX_TCP - 5;   /* slots 0, 3, 7 and 8.. up to the last */
    for (uint64_t i = 3; i < n; i++)
        fake_conn((int)(i + 5), TCPS_ESTABLISHED, (uint16_t)(i % toro_ncpus), IP(10, 0, 2, 2), (uint16_t)(41000 + i), i, i);
    kprintf("toro: fakenetstats: made-up network counters on %u cores, %u TCP slots\n", toro_ncpus, (uint32_t)(n < 3 ? 3 : n));
    for (uint32_t i = 0; i < toro_ncpus; i++) thread_detach(thread_create_on(i, fake_traffic, 0, "fakenet"));
}

TORO_SYM(fake_traffic);
TORO_SYM(app_main);
