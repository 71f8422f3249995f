/* IPv4 (RFC 791) without fragmentation: every packet we send has DF set and
 * fragments we receive are dropped. ICMP echo requests are answered; the rest
 * of ICMP is ignored. Also the Internet checksum (RFC 1071). */
#include <toro/net.h>

/* net_csum_add / net_csum_fold / net_pseudo_sum: see net.h. */
uint32_t net_csum_add(uint32_t sum, const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t s = sum;
    while (n >= 2) { s += (uint32_t)(p[0] << 8 | p[1]); p += 2; n -= 2; }
    if (n) s += (uint32_t)p[0] << 8;
    while (s >> 32) s = (s & 0xffffffff) + (s >> 32);
    return (uint32_t)s;
}

uint16_t net_csum_fold(uint32_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    uint8_t ph[12];
    put32(ph, src); put32(ph + 4, dst); ph[8] = 0; ph[9] = proto; put16(ph + 10, len);
    return net_csum_add(0, ph, sizeof ph);
}

/* ip_route: the next hop for dst: itself on our subnet, else the gateway. */
static uint32_t ip_route(uint32_t dst)
{
    return (dst & net_if.mask) == (net_if.ip & net_if.mask) ? dst : net_if.gw;
}

/* ip_output: see net.h. */
int ip_output(uint32_t dst, uint8_t proto, uint8_t *frame, size_t plen)
{
    static uint16_t ident;
    if (!net_if.dev || plen > (size_t)net_if.dev->mtu - IP_HLEN) { net_stats()->tx_drops++; return -1; }
    uint8_t *h = frame + ETH_HLEN;
    h[0] = 0x45; h[1] = 0;
    put16(h + 2, (uint16_t)(IP_HLEN + plen));
    put16(h + 4, ident++);
    put16(h + 6, 0x4000);        /* DF */
    h[8] = 64; h[9] = proto;
    put16(h + 10, 0);
    put32(h + 12, net_if.ip);
    put32(h + 16, dst);
    put16(h + 10, net_csum(h, IP_HLEN));
    return eth_output_ip(ip_route(dst), frame, ETH_HLEN + IP_HLEN + plen);
}

/* icmp_input: answers an echo request with the same identifier, sequence and
 * data. Lock held. */
static void icmp_input(uint32_t src, const uint8_t *m, size_t len)
{
    if (len < 8 || net_csum(m, len)) { net_drop("bad ICMP checksum"); return; }
    if (m[0] != 8) return;       /* only echo requests need an answer */
    if (len > (size_t)ETH_FRAME_MAX - NET_L4) return;
    uint8_t f[ETH_FRAME_MAX];
    uint8_t *r = f + NET_L4;
    memcpy(r, m, len);
    r[0] = 0; r[1] = 0;
    put16(r + 2, 0);
    put16(r + 2, net_csum(r, len));
    ip_output(src, IPPROTO_ICMP, f, len);
}

/* ip_input: checks the header (version, length, checksum, destination, no
 * fragment) and passes the payload to ICMP, UDP or TCP. Lock held. */
void ip_input(const uint8_t *p, size_t len)
{
    if (len < IP_HLEN || (p[0] >> 4) != 4) { net_drop("not IPv4"); return; }
    size_t hl = (size_t)(p[0] & 15) * 4, tl = get16(p + 2);
    if (hl < IP_HLEN || tl < hl || tl > len) { net_drop("bad IPv4 length"); return; }
    if (net_csum(p, hl)) { net_drop("bad IPv4 checksum"); return; }
    uint32_t src = get32(p + 12), dst = get32(p + 16);
    if (dst != net_if.ip && dst != 0xffffffff && dst != (net_if.ip | ~net_if.mask)) return;
    if (get16(p + 6) & 0x3fff) { net_drop("IPv4 fragment"); return; }
    const uint8_t *l4 = p + hl;
    size_t n = tl - hl;
    switch (p[9]) {
    case IPPROTO_ICMP: if (dst == net_if.ip) icmp_input(src, l4, n); break;
    case IPPROTO_UDP: udp_input(src, dst, l4, n); break;
    case IPPROTO_TCP: if (dst == net_if.ip) tcp_input(src, dst, l4, n); break;
    default: net_drop("unknown IP protocol");
    }
}

TORO_SYM(ip_input);
TORO_SYM(ip_output);
