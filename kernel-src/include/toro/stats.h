/* Statistics that the telemetry stream (docs/telemetry.md) and a debugger read.
 * The symbols toro_ncpus, toro_cpu_stats, toro_threads, toro_net_stats and
 * toro_tcp_conns are part of the contract: keep their names and the listed fields. */
#ifndef TORO_STATS_H
#define TORO_STATS_H
#include <stdint.h>

#ifndef TORO_MAX_CPUS
#define TORO_MAX_CPUS 16
#endif
#ifndef TORO_MAX_THREADS
#define TORO_MAX_THREADS 256
#endif

/* struct toro_cpu_stats.state */
enum { CPU_OFFLINE = 0, CPU_RUNNING = 1, CPU_IDLE = 2, CPU_POLLING = 3, CPU_SPINNING = 4 };
/* struct toro_thread.state */
enum { T_FREE = 0, T_READY = 1, T_RUNNING = 2, T_BLOCKED = 3, T_SLEEPING = 4, T_EXITED = 5 };
/* struct toro_thread.flags */
#define TF_POLLING 0x01
#define TF_TIMED   0x02   /* blocked with a deadline: also on its core's sleeper list */

struct toro_cpu_stats {
    uint32_t cpu;            /* index, 0 = boot core */
    uint32_t apic_id;
    volatile uint32_t state; /* CPU_* */
    volatile uint32_t current_tid;
    volatile uint32_t ready;  /* runnable threads waiting (ready + polling) */
    volatile uint32_t seq;    /* odd while the core updates the cycle fields below: a
                               * seqlock (stats_read); a debugger that finds it odd
                               * stopped the core in the middle of an update */
    volatile uint64_t busy_cycles;    /* TSC cycles not halted, up to last_wake_tsc */
    volatile uint64_t halted_cycles;  /* completed halts only */
    volatile uint64_t halt_start_tsc; /* start of the current halt, 0 when running */
    volatile uint64_t halts;
    volatile uint64_t wakeups;
    volatile uint64_t ctx_switches;
    volatile uint64_t ipis;
    volatile uint64_t last_wake_tsc;  /* start of the current busy period */
} __attribute__((aligned(64)));


/* Per-core network counters: the core whose thread or interrupt did the work
 * counts it. Device-level fields are the driver's, TCP fields the stack's. */
struct toro_net_stats {
    volatile uint64_t rx_packets, rx_bytes;   /* frames received (Ethernet bytes) */
    volatile uint64_t tx_packets, tx_bytes;   /* frames sent */
    volatile uint64_t rx_drops;  /* malformed, unknown protocol, no buffer, no hook */
    volatile uint64_t tx_drops;  /* ring full, no route, device gone */
    volatile uint64_t irqs;      /* device interrupts handled */
    volatile uint64_t retransmits;   /* TCP segments sent again */
    volatile uint64_t tcp_accepts;   /* connections accepted (passive opens) */
    volatile uint64_t requests;      /* application requests answered (httpd: one per HTTP reply) */
    volatile uint32_t tcp_open;      /* connections in a state other than CLOSED/LISTEN */
    volatile uint32_t pad;
} __attribute__((aligned(64)));

/* TCP connection states (struct toro_tcp_info.state), RFC 793's names. */
enum { TCPS_CLOSED = 0, TCPS_LISTEN, TCPS_SYN_SENT, TCPS_SYN_RCVD, TCPS_ESTABLISHED,
       TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, TCPS_CLOSE_WAIT, TCPS_CLOSING, TCPS_LAST_ACK,
       TCPS_TIME_WAIT };

#ifndef TORO_MAX_TCP
#define TORO_MAX_TCP 256
#endif
/* One entry per TCP control block slot, for the Network view and a debugger.
 * A slot whose state is TCPS_CLOSED is free. Addresses and ports in host
 * byte order. */
struct toro_tcp_info {
    volatile uint8_t state;      /* TCPS_* */
    uint8_t pad;
    volatile uint16_t cpu;       /* core of the thread that owns the socket */
    volatile uint32_t laddr, raddr;
    volatile uint16_t lport, rport;
    volatile uint64_t rx_bytes, tx_bytes;   /* payload bytes */
};

struct thread;

/* One entry per thread slot. The documented fields come first; the rest is
 * the scheduler's own state. */
struct toro_thread {
    volatile uint32_t tid;   /* 0 while the slot is free */
    volatile uint16_t cpu;
    volatile uint8_t state;  /* T_* */
    volatile uint8_t flags;  /* TF_* */
    volatile uint64_t cpu_cycles;
    char name[16];
    /* scheduler */
    uint64_t rsp;
    void (*fn)(void *);
    void *arg;
    struct toro_thread *next;         /* ready/poll/sleep/wait queue link */
    uint64_t deadline;                /* sleep deadline (TSC) */
    uint64_t stack_top;
    volatile uint32_t in_use;         /* slot allocation (CAS) */
    volatile uint32_t wake_pending;
    volatile uint32_t exiting;
    volatile uint32_t detached;
    struct toro_thread *volatile joiner;
    struct toro_thread *wnext;        /* mutex / message wait lists */
    volatile uint32_t waiting;
    volatile uint32_t exit_lock;      /* orders exit against join/detach (a spin lock) */
};

extern volatile uint32_t toro_ncpus;
extern struct toro_cpu_stats toro_cpu_stats[TORO_MAX_CPUS];
extern struct toro_thread toro_threads[TORO_MAX_THREADS];
extern struct toro_net_stats toro_net_stats[TORO_MAX_CPUS];
extern struct toro_tcp_info toro_tcp_conns[TORO_MAX_TCP];

#endif
