/* Network device tests: they need a virtio-net device with QEMU user
 * networking (slirp: guest 10.0.2.15, gateway 10.0.2.2) and skip without a
 * netdev. They borrow the stack's receive hook and put it back. */
#include <toro/test.h>
#include <toro/netdev.h>

#define ARP_TIMEOUT_MS 3000
#define ARP_RESEND_MS 500

static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };

static struct netdev *volatile arp_dev;      /* the device being probed */
static volatile uint32_t arp_replies;
static volatile uint64_t arp_reply_tsc;      /* when the first reply reached the hook */
static uint8_t gw_mac[ETH_ALEN];

/* arp_hook: the borrowed netdev input hook (RX thread, the device's core):
 * records an ARP reply from the gateway to us on arp_dev; every other frame
 * is ignored. */
static void arp_hook(struct netdev *d, const void *frame, size_t len)
{
    const uint8_t *f = frame;
    if (d != arp_dev || len < 42 || f[12] != 0x08 || f[13] != 0x06) return;
    const uint8_t *a = f + 14;
    if (a[6] != 0 || a[7] != 2) return;                        /* op: reply */
    if (memcmp(a + 14, gw_ip, 4) || memcmp(a + 24, guest_ip, 4)) return;
    if (memcmp(a + 18, d->mac, ETH_ALEN)) return;               /* target: us */
    memcpy(gw_mac, a + 8, ETH_ALEN);
    if (!arp_replies) arp_reply_tsc = rdtsc();
    __atomic_store_n(&arp_replies, arp_replies + 1, __ATOMIC_RELEASE);
}

/* arp_request: a broadcast "who has 10.0.2.2, tell 10.0.2.15" from d. */
static size_t arp_request(struct netdev *d, uint8_t *f)
{
    memset(f, 0, 60);                   /* padded to the Ethernet minimum */
    memset(f, 0xFF, ETH_ALEN);
    memcpy(f + 6, d->mac, ETH_ALEN);
    f[12] = 0x08; f[13] = 0x06;
    uint8_t *a = f + 14;
    a[1] = 1;                           /* hardware: Ethernet */
    a[2] = 0x08;                        /* protocol: IPv4 */
    a[4] = ETH_ALEN; a[5] = 4;
    a[7] = 1;                           /* op: request */
    memcpy(a + 8, d->mac, ETH_ALEN);
    memcpy(a + 14, guest_ip, 4);
    memcpy(a + 24, gw_ip, 4);
    return 60;
}

/* arp_probe: asks d for the gateway (again every ARP_RESEND_MS) and waits,
 * blocked in 5 ms sleeps, up to ARP_TIMEOUT_MS for the reply. Borrows the
 * input hook and puts the previous one back. Returns true on a reply, with
 * the requests sent in *sent and the first reply's delay in *us. Thread
 * context, one probe at a time. */
static bool arp_probe(struct netdev *d, uint32_t *sent, uint64_t *us)
{
    netdev_input_fn saved = netdev_get_input();
    arp_replies = 0;
    arp_dev = d;
    netdev_set_input(arp_hook);
    uint8_t frame[60];
    size_t len = arp_request(d, frame);
    uint64_t start = rdtsc();
    *sent = 0;
    for (uint32_t waited = 0; !__atomic_load_n(&arp_replies, __ATOMIC_ACQUIRE) && waited < ARP_TIMEOUT_MS; waited += 5) {
        if (waited % ARP_RESEND_MS == 0 && d->tx(d, frame, len) == 0) (*sent)++;
        thread_sleep_ms(5);             /* blocks: the core halts meanwhile */
    }
    netdev_set_input(saved);
    arp_dev = 0;
    *us = tsc_to_us(arp_reply_tsc - start);
    return __atomic_load_n(&arp_replies, __ATOMIC_ACQUIRE) != 0;
}

/* sum_irqs: device interrupts handled on every core so far. */
static uint64_t sum_irqs(void)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < toro_ncpus; i++) n += toro_net_stats[i].irqs;
    return n;
}

/* Every network device reaches its gateway: the request goes out through
 * tx(), the reply comes back through the device's interrupt, the RX thread
 * and netdev_input, and each step is counted. */
TORO_TEST(net_arp_gateway, 110)
{
    if (!netdev_count()) SKIP("no network device");
    for (uint32_t i = 0; i < netdev_count(); i++) {
        struct netdev *d = netdev_get(i);
        uint32_t me = cpu_index(), sent;
        uint64_t tx0 = toro_net_stats[me].tx_packets, rx0 = toro_net_stats[d->cpu].rx_packets, irq0 = sum_irqs(), us;
        bool ok = arp_probe(d, &sent, &us);
        CHECK(sent > 0, "%s: tx() dropped every request", d->name);
        CHECK(ok, "%s: no ARP reply from 10.0.2.2 within %u ms (%u requests sent)", d->name, ARP_TIMEOUT_MS, sent);
        CHECK(toro_net_stats[me].tx_packets >= tx0 + sent, "%s: tx_packets not counted", d->name);
        CHECK(toro_net_stats[d->cpu].rx_packets > rx0, "%s: rx_packets not counted", d->name);
        CHECK(sum_irqs() > irq0, "%s: the reply came without a device interrupt", d->name);
        kprintf("toro: note %s gateway 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x, reply after %lu us, "
                "%u request(s)\n", d->name, gw_mac[0], gw_mac[1], gw_mac[2], gw_mac[3], gw_mac[4], gw_mac[5], us, sent);
    }
    return TEST_PASS;
}

/* With the device up and nothing to receive, core 0 (which owns it and runs
 * its RX thread) must spend its time halted: an RX loop that spins instead
 * of blocking keeps the core busy and fails this. */
TORO_TEST(net_idle_halts, 111)
{
    struct netdev *d = netdev_get(0);
    if (!d) SKIP("no network device");
    struct toro_cpu_stats *st = &toro_cpu_stats[d->cpu];
    uint64_t h0 = st->halts, hc0 = st->halted_cycles, t0 = rdtsc();
    thread_sleep_ms(500);
    uint64_t halts = st->halts - h0, halted = st->halted_cycles - hc0, total = rdtsc() - t0;
    uint64_t pct = total ? halted * 100 / total : 0;
    CHECK(halts >= 1, "cpu %u never halted in 500 ms", d->cpu);
    CHECK(pct >= 80, "cpu %u halted only %lu%% of 500 ms (%lu halts)", d->cpu, pct, halts);
    kprintf("toro: note %s idle: cpu %u halted %lu%% of 500 ms, %lu halts\n", d->name, d->cpu, pct, halts);
    return TEST_PASS;
}

/* ---------------------------------------------------------------- tx from every core */
#define TX_BURST 200
static volatile uint32_t tx_ok[TORO_MAX_CPUS], tx_failed[TORO_MAX_CPUS];

/* tx_burst: TX_BURST ARP requests from this core, as fast as tx() takes them. */
static void tx_burst(void *arg)
{
    struct netdev *d = arg;
    uint8_t frame[60];
    size_t len = arp_request(d, frame);
    uint32_t me = cpu_index();
    for (int i = 0; i < TX_BURST; i++) {
        if (d->tx(d, frame, len) == 0) tx_ok[me]++;
        else tx_failed[me]++;
    }
}

/* Every core sends at once through the one TX ring (its lock): each frame is
 * either sent and counted on its core or dropped and counted, the ring stays
 * consistent (the gateway still answers afterwards). */
TORO_TEST(net_tx_all_cores, 112)
{
    struct netdev *d = netdev_get(0);
    if (!d) SKIP("no network device");
    uint64_t tx0[TORO_MAX_CPUS], drop0[TORO_MAX_CPUS];
    thread_t *t[TORO_MAX_CPUS];
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        tx0[i] = toro_net_stats[i].tx_packets;
        drop0[i] = toro_net_stats[i].tx_drops;
        tx_ok[i] = tx_failed[i] = 0;
    }
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        t[i] = thread_create_on(i, tx_burst, d, "tx_burst");
        CHECK(t[i], "cannot create a thread on cpu %u", i);
    }
    uint32_t ok = 0, failed = 0;
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        thread_join(t[i]);
        CHECK(tx_ok[i] + tx_failed[i] == TX_BURST, "cpu %u: %u sent + %u dropped", i, tx_ok[i], tx_failed[i]);
        CHECK(toro_net_stats[i].tx_packets - tx0[i] == tx_ok[i], "cpu %u: tx_packets %lu, sent %u", i,
              toro_net_stats[i].tx_packets - tx0[i], tx_ok[i]);
        CHECK(toro_net_stats[i].tx_drops - drop0[i] == tx_failed[i], "cpu %u: tx_drops not counted", i);
        ok += tx_ok[i];
        failed += tx_failed[i];
    }
    CHECK(ok > 0, "every frame dropped");
    /* the ring still works: one more request is answered */
    uint32_t sent;
    uint64_t us;
    CHECK(arp_probe(d, &sent, &us), "no ARP reply after the burst");
    kprintf("toro: note %s tx burst from %u cores: %u sent, %u dropped (ring full)\n", d->name, toro_ncpus, ok, failed);
    return TEST_PASS;
}
