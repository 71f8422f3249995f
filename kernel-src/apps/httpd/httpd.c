/* httpd: an HTTP/1.1 server on port 80 over Toro's socket API.
 *
 * Every core runs an accept loop on the one listening socket; each accepted
 * connection gets its own thread, placed round robin over the cores, that
 * serves its requests (keep-alive, Content-Length on every reply) until the
 * client closes, an error, or an idle timeout.
 *
 *   /           a small HTML page
 *   /bytes/N    N bytes (at most BYTES_MAX), byte i = i mod 251, streamed
 *   /stats      JSON: free_bytes and every core's toro_net_stats
 *   other       404; a malformed request 400; a head over HEAD_MAX 431, and
 *               both close the connection */
#include <toro/thread.h>
#include <toro/socket.h>

#define PORT 80
#define HEAD_MAX 8192                 /* request line + headers */
#define BYTES_MAX (1ull << 30)
#define IDLE_US 30000000ull           /* keep-alive connection without a request */
#define READ_US 10000000ull           /* the rest of a request once it started */
#define SEND_US 30000000ull           /* a reply the client does not read */
#define PATTERN (251 * 32)            /* whole periods of i mod 251 */

struct conn {
    int fd;
    size_t len;                       /* bytes in head */
    char head[HEAD_MAX];
};

struct request {
    char method[8];
    char path[256];
    bool keep_alive;
    uint64_t body;                    /* Content-Length of the request, discarded */
};

static int listen_fd;
static volatile uint32_t next_core;
static uint8_t pattern[PATTERN];

static const char page[] =
    "<!DOCTYPE html>\n<html><head><title>Toro</title></head>\n"
    "<body><h1>Toro</h1><p>Served by the Toro kernel's httpd.</p>\n"
    "<ul><li><a href=\"/stats\">/stats</a></li><li><a href=\"/bytes/1024\">/bytes/1024</a></li></ul>\n"
    "</body></html>\n";

/* send_all: true if all n bytes were queued within SEND_US. */
static bool send_all(int fd, const void *p, size_t n)
{
    return n == 0 || sock_send(fd, p, n, SEND_US) == (long)n;
}

/* reason: the reason phrase of a status code. */
static const char *reason(int code)
{
    switch (code) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

/* reply_head: the status line and headers of a reply of len body bytes;
 * counts the reply in this core's requests. */
static bool reply_head(int fd, int code, const char *type, uint64_t len, bool keep)
{
    char h[256];
    int n = ksnprintf(h, sizeof h,
                      "HTTP/1.1 %d %s\r\nServer: toro\r\nContent-Type: %s\r\nContent-Length: %lu\r\n%s\r\n",
                      code, reason(code), type, len,
                      keep ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    toro_net_stats[cpu_index()].requests++;
    return send_all(fd, h, (size_t)n);
}

/* reply: a whole small reply (body included unless head_only). */
static bool reply(int fd, int code, const char *type, const char *body, size_t len, bool keep, bool head_only)
{
    return reply_head(fd, code, type, len, keep) && (head_only || send_all(fd, body, len));
}

/* error_reply: a short text/plain reply for an error status. */
static bool error_reply(int fd, int code, bool keep)
{
    char body[64];
    int n = ksnprintf(body, sizeof body, "%d %s\n", code, reason(code));
    return reply(fd, code, "text/plain", body, (size_t)n, keep, false);
}

/* send_bytes: /bytes/N, streamed from the pattern table, never whole in memory. */
static bool send_bytes(int fd, uint64_t n, bool keep, bool head_only)
{
    if (!reply_head(fd, 200, "application/octet-stream", n, keep)) return false;
    if (head_only) return true;
    for (uint64_t sent = 0; sent < n;) {
        size_t k = n - sent < PATTERN ? (size_t)(n - sent) : PATTERN;
        if (!send_all(fd, pattern, k)) return false;   /* every piece starts at a multiple of 251 */
        sent += k;
    }
    return true;
}

/* send_stats: /stats as JSON. */
static bool send_stats(int fd, bool keep, bool head_only)
{
    size_t cap = 1024 + (size_t)toro_ncpus * 400;
    char *b = kmalloc(cap);
    if (!b) return error_reply(fd, 503, false);
    size_t n = (size_t)ksnprintf(b, cap, "{\"free_bytes\":%lu,\"ncpus\":%u,\"cores\":[", mem_free_bytes(), toro_ncpus);
    for (uint32_t i = 0; i < toro_ncpus && n < cap; i++) {
        struct toro_net_stats *s = &toro_net_stats[i];
        n += (size_t)ksnprintf(b + n, cap - n,
            "%s{\"cpu\":%u,\"rx_packets\":%lu,\"rx_bytes\":%lu,\"tx_packets\":%lu,\"tx_bytes\":%lu,"
            "\"rx_drops\":%lu,\"tx_drops\":%lu,\"irqs\":%lu,\"retransmits\":%lu,\"tcp_accepts\":%lu,"
            "\"requests\":%lu,\"tcp_open\":%u}",
            i ? "," : "", i, s->rx_packets, s->rx_bytes, s->tx_packets, s->tx_bytes, s->rx_drops,
            s->tx_drops, s->irqs, s->retransmits, s->tcp_accepts, s->requests, s->tcp_open);
    }
    /* the TCP connections by state (toro_tcp_conns), to see leaks from outside */
    static const char *const names[] = { "closed", "listen", "syn_sent", "syn_rcvd", "established", "fin_wait_1",
                                         "fin_wait_2", "close_wait", "closing", "last_ack", "time_wait" };
    uint32_t count[11] = { 0 };
    for (int i = 0; i < TORO_MAX_TCP; i++)
        if (toro_tcp_conns[i].state < 11) count[toro_tcp_conns[i].state]++;
    if (n < cap) n += (size_t)ksnprintf(b + n, cap - n, "],\"tcp\":{");
    for (int i = 1; i < 11 && n < cap; i++)
        n += (size_t)ksnprintf(b + n, cap - n, "%s\"%s\":%u", i > 1 ? "," : "", names[i], count[i]);
    if (n < cap) n += (size_t)ksnprintf(b + n, cap - n, "},\"threads\":%u}\n", thread_count_live());
    if (n >= cap) n = cap - 1;
    bool ok = reply(fd, 200, "application/json", b, n, keep, head_only);
    kfree(b);
    return ok;
}

/* ieq: the n bytes of a and b are equal ignoring ASCII case. */
static bool ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return false;
    }
    return true;
}

/* parse_uint: decimal digits [p, e) into *v; false if empty, not digits or
 * over max. */
static bool parse_uint(const char *p, const char *e, uint64_t max, uint64_t *v)
{
    if (p == e) return false;
    uint64_t x = 0;
    for (; p < e; p++) {
        if (*p < '0' || *p > '9') return false;
        x = x * 10 + (uint64_t)(*p - '0');
        if (x > max) return false;
    }
    *v = x;
    return true;
}

/* parse: the request head head[0..n) (ending in CRLF CRLF) into r; false if
 * malformed. Tokens in the request line are separated by single spaces. */
static bool parse(const char *head, size_t n, struct request *r)
{
    const char *p = head, *end = head + n;
    const char *eol = p;
    while (eol < end && *eol != '\r') eol++;
    const char *sp1 = p;
    while (sp1 < eol && *sp1 != ' ') sp1++;
    const char *sp2 = sp1 + 1;
    while (sp2 < eol && *sp2 != ' ') sp2++;
    if (sp1 >= eol || sp2 >= eol || sp1 == p || sp2 == sp1 + 1) return false;
    size_t ml = (size_t)(sp1 - p), pl = (size_t)(sp2 - sp1 - 1), vl = (size_t)(eol - sp2 - 1);
    if (ml >= sizeof r->method || pl >= sizeof r->path || sp1[1] != '/') return false;
    for (size_t i = 0; i < ml; i++) if (p[i] < 'A' || p[i] > 'Z') return false;
    memcpy(r->method, p, ml); r->method[ml] = 0;
    memcpy(r->path, sp1 + 1, pl); r->path[pl] = 0;
    if (vl != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) || (sp2[8] != '0' && sp2[8] != '1')) return false;
    bool v11 = sp2[8] == '1';
    bool close = false, keep = false;
    r->body = 0;
    p = eol + 2;
    while (p < end && *p != '\r') {            /* header lines */
        const char *le = p;
        while (le < end && *le != '\r') le++;
        if (le + 1 >= end || le[1] != '\n') return false;
        const char *colon = p;
        while (colon < le && *colon != ':') colon++;
        if (colon == le || colon == p) return false;
        const char *v = colon + 1;
        while (v < le && (*v == ' ' || *v == '\t')) v++;
        const char *ve = le;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t')) ve--;
        size_t nl = (size_t)(colon - p), len = (size_t)(ve - v);
        if (nl == 10 && ieq(p, "connection", 10)) {
            if (len == 5 && ieq(v, "close", 5)) close = true;
            if (len == 10 && ieq(v, "keep-alive", 10)) keep = true;
        } else if (nl == 14 && ieq(p, "content-length", 14)) {
            if (!parse_uint(v, ve, BYTES_MAX, &r->body)) return false;
        } else if (nl == 17 && ieq(p, "transfer-encoding", 17)) {
            return false;                      /* no chunked request bodies */
        }
        p = le + 2;
    }
    r->keep_alive = v11 ? !close : keep;
    return true;
}

/* respond: the reply to a parsed request; false if the connection must go. */
static bool respond(int fd, struct request *r)
{
    bool head_only = !strncmp(r->method, "HEAD", 5);
    if (!head_only && strncmp(r->method, "GET", 4)) { error_reply(fd, 405, r->keep_alive); return r->keep_alive; }
    char *q = r->path;
    while (*q && *q != '?') q++;
    *q = 0;                                    /* the query string is ignored */
    bool keep = r->keep_alive;
    if (!strncmp(r->path, "/", 2)) return reply(fd, 200, "text/html", page, sizeof page - 1, keep, head_only) && keep;
    if (!strncmp(r->path, "/stats", 7)) return send_stats(fd, keep, head_only) && keep;
    if (!strncmp(r->path, "/bytes/", 7)) {
        uint64_t n;
        if (!parse_uint(r->path + 7, r->path + strlen(r->path), BYTES_MAX, &n)) return error_reply(fd, 400, keep) && keep;
        return send_bytes(fd, n, keep, head_only) && keep;
    }
    return error_reply(fd, 404, keep) && keep;
}

/* head_end: the length of the head (through CRLF CRLF) in b[0..n), or 0. */
static size_t head_end(const char *b, size_t n)
{
    for (size_t i = 3; i < n; i++)
        if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
    return 0;
}

/* serve: one connection's thread: requests in order (pipelined ones too)
 * until the client closes or a reply says "close". */
static void serve(void *arg)
{
    struct conn *c = arg;
    sock_keepalive(c->fd, 60);
    for (;;) {
        size_t hl;
        while (!(hl = head_end(c->head, c->len))) {
            if (c->len == HEAD_MAX) { error_reply(c->fd, 431, false); goto out; }
            long n = sock_recv(c->fd, c->head + c->len, HEAD_MAX - c->len, c->len ? READ_US : IDLE_US);
            if (n <= 0) goto out;              /* closed, reset, idle, or cut in the middle */
            c->len += (size_t)n;
        }
        struct request r;
        if (!parse(c->head, hl, &r)) { error_reply(c->fd, 400, false); goto out; }
        /* the request's body, if any, is read and dropped */
        uint64_t skip = r.body;
        size_t have = c->len - hl;
        size_t drop = skip < have ? (size_t)skip : have;
        memmove(c->head, c->head + hl + drop, have - drop);
        c->len = have - drop;
        skip -= drop;
        while (skip) {
            long n = sock_recv(c->fd, c->head, skip < HEAD_MAX ? (size_t)skip : HEAD_MAX, READ_US);
            if (n <= 0) goto out;
            skip -= (uint64_t)n;
        }
        if (!respond(c->fd, &r)) goto out;
    }
out:
    sock_close(c->fd);
    kfree(c);
}

/* acceptor: one per core: takes connections off the listening socket and
 * starts their threads round robin over the cores. */
static void acceptor(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = sock_accept(listen_fd, SOCK_FOREVER, 0, 0);
        if (fd < 0) { thread_sleep_ms(10); continue; }
        struct conn *c = kmalloc(sizeof *c);
        if (c) { c->fd = fd; c->len = 0; }
        uint32_t core = __atomic_fetch_add(&next_core, 1, __ATOMIC_RELAXED) % toro_ncpus;
        thread_t *t = c ? thread_create_on(core, serve, c, "http") : 0;
        if (!t) {                              /* out of threads or memory */
            error_reply(fd, 503, false);
            sock_close(fd);
            kfree(c);
            continue;
        }
        thread_detach(t);
    }
}

/* app_main: listens on port 80, prints the listening line, starts the
 * accept loops; exits 1 without a network device. */
void app_main(void)
{
    if (!net_up()) {
        kprintf("toro: httpd: no network device; add one, e.g. -netdev user,id=n0 -device virtio-net-device,netdev=n0\n");
        toro_exit(EXIT_TESTS_FAILED);
    }
    for (int i = 0; i < PATTERN; i++) pattern[i] = (uint8_t)(i % 251);
    listen_fd = sock_socket(SOCK_STREAM);
    int r = listen_fd < 0 ? listen_fd : sock_bind(listen_fd, 0, PORT);
    if (!r) r = sock_listen(listen_fd, 128);
    if (r < 0) {
        kprintf("toro: httpd: cannot listen on port %d (error %d)\n", PORT, r);
        toro_exit(EXIT_TESTS_FAILED);
    }
    uint32_t ip = net_local_ip();
    kprintf("toro: listening on %u.%u.%u.%u:%d\n", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, PORT);
    for (uint32_t i = 0; i < toro_ncpus; i++) {
        thread_t *t = thread_create_on(i, acceptor, 0, "accept");
        if (t) thread_detach(t);
    }
}

TORO_SYM(app_main);
TORO_SYM(acceptor);
TORO_SYM(serve);
TORO_SYM(respond);
TORO_SYM(send_bytes);
