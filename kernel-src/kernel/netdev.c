/* The table of network devices and the hand-over of received frames to the
 * stack (include/toro/netdev.h). */
#include <toro/netdev.h>

struct toro_net_stats toro_net_stats[TORO_MAX_CPUS];
struct toro_tcp_info toro_tcp_conns[TORO_MAX_TCP];   /* filled by the TCP layer */

static struct netdev *devs[NETDEV_MAX];
static volatile uint32_t ndevs;
static netdev_input_fn input_hook;

/* netdev_register: see netdev.h. Published with a release store so that a
 * core reading netdev_count() sees the whole entry. */
int netdev_register(struct netdev *d)
{
    uint32_t n = ndevs;
    if (n >= NETDEV_MAX) return -1;
    ksnprintf(d->name, sizeof d->name, "net%u", n);
    devs[n] = d;
    __atomic_store_n(&ndevs, n + 1, __ATOMIC_RELEASE);
    return (int)n;
}

uint32_t netdev_count(void) { return __atomic_load_n(&ndevs, __ATOMIC_ACQUIRE); }

struct netdev *netdev_get(uint32_t i) { return i < netdev_count() ? devs[i] : 0; }

void netdev_set_input(netdev_input_fn fn) { __atomic_store_n(&input_hook, fn, __ATOMIC_RELEASE); }

netdev_input_fn netdev_get_input(void) { return __atomic_load_n(&input_hook, __ATOMIC_ACQUIRE); }

/* netdev_input: counts the frame on the calling core and passes it to the
 * stack's hook, or drops it when no stack is installed. */
void netdev_input(struct netdev *d, const void *frame, size_t len)
{
    struct toro_net_stats *s = &toro_net_stats[cpu_index()];
    s->rx_packets++;
    s->rx_bytes += len;
    netdev_input_fn fn = __atomic_load_n(&input_hook, __ATOMIC_ACQUIRE);
    if (!fn) { s->rx_drops++; return; }
    fn(d, frame, len);
}

TORO_SYM(netdev_register);
TORO_SYM(netdev_input);
