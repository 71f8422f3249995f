/* Physical pages (a bitmap filled from the PVH memory map), thread stacks
 * with guard pages, and per-core heaps. */
#include <toro/kernel.h>

#define PAGE 4096ul
#define MAX_PHYS (8ul << 30)               /* the identity map covers 8 GiB */
#define NPAGES (MAX_PHYS / PAGE)

static uint64_t bitmap[NPAGES / 64] __attribute__((section(".noinit")));  /* 1 = used; set in mm_init */
static spinlock_t page_lock = SPINLOCK_INIT;
static uint64_t pages_free;
static uint64_t page_hint;
static uint64_t page_top;                   /* highest usable page + 1 */

struct hvm_memmap_entry { uint64_t addr, size; uint32_t type, reserved; };

/* mark: sets page p's bit (used) or clears it. Caller holds page_lock, or
 * runs in mm_init before any other core. Does not count pages_free. */
static void mark(uint64_t p, bool used)
{
    if (used) bitmap[p / 64] |= 1ull << (p % 64);
    else bitmap[p / 64] &= ~(1ull << (p % 64));
}
/* is_used: whether page p's bit says used. Same locking as mark. */
static bool is_used(uint64_t p) { return bitmap[p / 64] >> (p % 64) & 1; }

/* Number of 1 bits in w. The two common words of the boot-time bitmap, all
 * used and all free, take no loop: under an emulating hypervisor the loop of
 * 64 iterations per full word made region_free the largest part of mm_init.
 * (Loop rather than __builtin_popcountll: there is no libgcc here.) */
static uint64_t bits_set(uint64_t w)
{
    if (w == ~0ull) return 64;
    uint64_t n = 0;
    for (; w; w &= w - 1) n++;
    return n;
}

/* region_free: marks the whole pages inside [base, base+len) free, counts
 * each newly freed one in pages_free, raises page_top to the region's end,
 * and adds len to boot_info.ram_bytes. Boot core, in mm_init only; pages past
 * the identity map (NPAGES) are ignored. */
static void region_free(uint64_t base, uint64_t len)
{
    uint64_t s = (base + PAGE - 1) / PAGE, e = (base + len) / PAGE;
    if (e > NPAGES) e = NPAGES;
    uint64_t p = s;
    for (; p < e && (p % 64); p++)
        if (is_used(p)) { mark(p, false); pages_free++; }
    for (; p + 64 <= e; p += 64) {            /* whole words */
        pages_free += bits_set(bitmap[p / 64]);
        bitmap[p / 64] = 0;
    }
    for (; p < e; p++)
        if (is_used(p)) { mark(p, false); pages_free++; }
    if (e > page_top) page_top = e;
    boot_info.ram_bytes += len;
}

/* region_reserve: marks every page touching [base, end) used, and takes
 * each newly used one off pages_free. Boot core, in mm_init only, after the
 * regions are freed (it reserves what the kernel occupies inside them). */
static void region_reserve(uint64_t base, uint64_t end)
{
    uint64_t p = base / PAGE, e = (end + PAGE - 1) / PAGE;
    if (e > NPAGES) e = NPAGES;
    for (; p < e && (p % 64); p++)
        if (!is_used(p)) { mark(p, true); pages_free--; }
    for (; p + 64 <= e; p += 64) {            /* whole words, as in region_free */
        pages_free -= 64 - bits_set(bitmap[p / 64]);
        bitmap[p / 64] = ~0ull;
    }
    for (; p < e; p++)
        if (!is_used(p)) { mark(p, true); pages_free--; }
}

extern char __kernel_end[];

/* Mark every page below page `top` as used in the bitmap (whole words).
 * Precondition: top <= NPAGES. Words above are left as they are: nothing
 * reads a bit at or above page_top (page_alloc stops there, and page_free
 * only takes pages that page_alloc returned). Why not the whole bitmap: it
 * covers 8 GiB (256 KiB), and under nested KVM (kvm-pvm), where this kernel's
 * code is emulated at about 1 us per instruction, filling it cost ~360 ms of
 * boot for a 128 MiB guest; the words below the top of RAM are 4 KiB there. */
static void bitmap_fill_used(uint64_t top)
{
    memset(bitmap, 0xFF, (top + 63) / 64 * sizeof bitmap[0]);
}

/* mm_init_from: builds the page bitmap from the PVH start_info's memory map
 * (or, without one, QEMU's CMOS memory size): usable RAM free, the first MiB
 * and the kernel image (up to __kernel_end) used. Boot core, once, before any
 * allocation; start_info is the physical address the loader passed. */
void mm_init_from(uint64_t start_info)
{
    uint32_t version = *(uint32_t *)(start_info + 4);
    uint64_t mm = version >= 1 ? *(uint64_t *)(start_info + 40) : 0;
    uint32_t n = version >= 1 ? *(uint32_t *)(start_info + 48) : 0;
    if (mm && n) {
        struct hvm_memmap_entry *e = (void *)mm;
        /* the bitmap words that region_free may touch: up to the end of the
         * highest usable region (page_top ends there too) */
        uint64_t top = 0x100000 / PAGE;     /* region_reserve below covers the first MiB */
        for (uint32_t i = 0; i < n; i++)
            if (e[i].type == 1 && (e[i].addr + e[i].size) / PAGE > top) top = (e[i].addr + e[i].size) / PAGE;
        bitmap_fill_used(top < NPAGES ? top : NPAGES);
        for (uint32_t i = 0; i < n; i++)
            if (e[i].type == 1) region_free(e[i].addr, e[i].size);
    } else {
        /* no memory map: CMOS extended-memory registers, as QEMU fills them */
        outb(0x70, 0x34); uint64_t lo = inb(0x71);
        outb(0x70, 0x35); uint64_t hi = inb(0x71);
        uint64_t above16 = ((hi << 8) | lo) << 16;
        uint64_t top = (0x100000 + (15ull << 20) + above16) / PAGE;
        bitmap_fill_used(top < NPAGES ? top : NPAGES);
        region_free(0x100000, (15ull << 20) + above16);
    }
    region_reserve(0, 0x100000);                        /* real-mode area, trampoline */
    region_reserve(0x100000, (uint64_t)__kernel_end);   /* the image, page tables, stacks */
}

/* page_alloc: n physically contiguous free pages, marked used, or 0 when no
 * such run exists below page_top. First fit from the last allocation's end,
 * then from page 0. Any core, any context that may spin (takes page_lock with
 * interrupts off). The pages are not zeroed. */
void *page_alloc(size_t n)
{
    uint64_t f = irq_save();
    spin_lock(&page_lock);
    void *r = 0;
    for (int pass = 0; pass < 2 && !r; pass++) {
        uint64_t p = pass ? 0 : page_hint, run = 0, start = 0;
        for (; p < page_top; p++) {
            if (!(p % 64) && bitmap[p / 64] == ~0ull) { run = 0; p += 63; continue; }
            if (is_used(p)) { run = 0; continue; }
            if (!run) start = p;
            if (++run == n) {
                for (uint64_t q = start; q < start + n; q++) mark(q, true);
                pages_free -= n;
                page_hint = start + n;
                r = (void *)(start * PAGE);
                break;
            }
        }
    }
    spin_unlock(&page_lock);
    irq_restore(f);
    return r;
}

/* page_free: returns n pages at ptr, which page_alloc gave; panics on a page
 * that is already free (a double free). Any core. */
void page_free(void *ptr, size_t n)
{
    uint64_t f = irq_save();
    spin_lock(&page_lock);
    uint64_t s = (uint64_t)ptr / PAGE;
    for (uint64_t q = s; q < s + n; q++) {
        if (!is_used(q)) panic("page_free: page %lx already free", q * PAGE);
        mark(q, false);
    }
    pages_free += n;
    spin_unlock(&page_lock);
    irq_restore(f);
}

/* page_free_count: free pages now; a relaxed read, exact only when no other
 * core allocates at the same time. */
uint64_t page_free_count(void) { return __atomic_load_n(&pages_free, __ATOMIC_RELAXED); }

/* ---------------------------------------------------------------- stacks */
/* Thread slot i owns [STACKS + i*STRIDE, +STRIDE): one unmapped guard page,
 * then STACK_PAGES mapped 4 KiB pages. The pages are allocated once at boot,
 * so creating a thread never touches the page tables or another core's TLB. */
#define STACKS_BASE 0x400000000ull          /* 16 GiB: PDPT entry 16 */
#define STACK_PAGES 4
#define STRIDE ((STACK_PAGES + 1) * PAGE)

static uint64_t stacks_pd[512] __attribute__((aligned(4096)));
static uint64_t stacks_pt[(TORO_MAX_THREADS * (STACK_PAGES + 1) + 511) / 512][512] __attribute__((aligned(4096)));

/* stacks_init: maps every thread slot's stack (STACK_PAGES pages each, from
 * one page_alloc run) above its unmapped guard page, in the page tables
 * stacks_pd/stacks_pt hung under STACKS_BASE, then flushes the TLB. Boot
 * core, once, before the first thread; panics when memory is short. */
void stacks_init(void)
{
    size_t npt = sizeof stacks_pt / sizeof stacks_pt[0];
    for (size_t i = 0; i < npt; i++) stacks_pd[i] = (uint64_t)stacks_pt[i] | 3;
    boot_pdpt[STACKS_BASE >> 30] = (uint64_t)stacks_pd | 3;
    uint8_t *mem = page_alloc((size_t)TORO_MAX_THREADS * STACK_PAGES);
    if (!mem) panic("out of memory for thread stacks");
    for (uint32_t s = 0; s < TORO_MAX_THREADS; s++) {
        for (uint32_t k = 0; k < STACK_PAGES; k++) {
            uint64_t pg = (uint64_t)mem + ((uint64_t)s * STACK_PAGES + k) * PAGE;
            uint64_t idx = (uint64_t)s * (STACK_PAGES + 1) + 1 + k;
            stacks_pt[idx / 512][idx % 512] = pg | 3;
        }
    }
    __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

/* stack_for_slot / stack_guard_for_slot: the top of slot's stack (it grows
 * down from there) and the address of its guard page. */
uint64_t stack_for_slot(uint32_t slot) { return STACKS_BASE + (uint64_t)(slot + 1) * STRIDE; }
uint64_t stack_guard_for_slot(uint32_t slot) { return STACKS_BASE + (uint64_t)slot * STRIDE; }

/* ---------------------------------------------------------------- heaps */
#define NCLASS 7                           /* 32 .. 2048 bytes, header included */
#define HDR 16
#define MAGIC 0x7A
#define LARGE 0xFF

struct blk { uint64_t hdr_word; struct blk *next; };  /* next sits over hdr.pad: cls survives */
struct hdr { uint16_t cpu; uint8_t cls, magic; uint32_t npages; uint64_t pad; };

struct heap_cpu {
    struct blk *free[NCLASS];
    uint64_t free_bytes;
    struct blk *volatile remote;           /* frees from other cores (lock-free push) */
    volatile uint64_t remote_bytes;
} __attribute__((aligned(64)));

static struct heap_cpu heaps[TORO_MAX_CPUS];

/* drain_remote: moves the blocks other cores freed into h (their lock-free
 * stack) onto h's own free lists. Owner core of h, interrupts off. */
static void drain_remote(struct heap_cpu *h)
{
    struct blk *b = __atomic_exchange_n(&h->remote, 0, __ATOMIC_ACQUIRE);
    while (b) {
        struct blk *nx = b->next;
        struct hdr *hd = (struct hdr *)b;
        uint64_t sz = 32ull << hd->cls;
        __atomic_fetch_sub(&h->remote_bytes, sz, __ATOMIC_RELAXED);
        h->free_bytes += sz;
        b->next = h->free[hd->cls];
        h->free[hd->cls] = b;
        b = nx;
    }
}

/* kmalloc: n bytes from this core's heap (size classes 32..2048 bytes with
 * a 16-byte header; above that, whole pages), 16-byte aligned, or 0 when out
 * of memory. Not zeroed. Thread context; the block may be freed on any core. */
void *kmalloc(size_t n)
{
    if (!n) n = 1;
    struct cpu *c = this_cpu();
    if (n + HDR > 2048) {
        size_t np = (n + HDR + PAGE - 1) / PAGE;
        struct hdr *hd = page_alloc(np);
        if (!hd) return 0;
        hd->cpu = c->index; hd->cls = LARGE; hd->magic = MAGIC; hd->npages = np;
        return (uint8_t *)hd + HDR;
    }
    uint32_t cls = 0;
    while ((32u << cls) < n + HDR) cls++;
    struct heap_cpu *h = &heaps[c->index];
    uint64_t f = irq_save();   /* the heap is per core; an interrupt never allocates, but be safe */
    if (!h->free[cls] && h->remote) drain_remote(h);
    if (!h->free[cls]) {
        uint8_t *pg = page_alloc(1);
        if (!pg) { irq_restore(f); return 0; }
        uint32_t sz = 32u << cls;
        for (uint32_t off = 0; off + sz <= PAGE; off += sz) {
            struct blk *b = (struct blk *)(pg + off);
            ((struct hdr *)b)->cls = cls;
            b->next = h->free[cls];
            h->free[cls] = b;
        }
        h->free_bytes += PAGE;
    }
    struct blk *b = h->free[cls];
    h->free[cls] = b->next;
    h->free_bytes -= 32u << cls;
    irq_restore(f);
    struct hdr *hd = (struct hdr *)b;
    hd->cpu = c->index; hd->cls = cls; hd->magic = MAGIC; hd->npages = 0;
    return (uint8_t *)hd + HDR;
}

/* kzalloc: kmalloc, then zeroed. */
void *kzalloc(size_t n)
{
    void *p = kmalloc(n);
    if (p) memset(p, 0, n);
    return p;
}

/* kfree: returns a block of kmalloc; 0 is ignored. On the block's own core
 * it goes straight to the free list, from another core onto the owner's
 * remote stack (the owner drains it when a class runs empty). Panics on a
 * pointer kmalloc did not return or a block freed twice (header magic). */
void kfree(void *p)
{
    if (!p) return;
    struct hdr *hd = (struct hdr *)((uint8_t *)p - HDR);
    if (hd->magic != MAGIC) panic("kfree: bad block %p", p);
    if (hd->cls == LARGE) { hd->magic = 0; page_free(hd, hd->npages); return; }
    if (hd->cls >= NCLASS) panic("kfree: bad size class at %p", p);
    hd->magic = 0;
    uint32_t cls = hd->cls, me = this_cpu()->index;
    uint64_t sz = 32ull << cls;
    struct heap_cpu *h = &heaps[hd->cpu];
    struct blk *b = (struct blk *)hd;
    if (hd->cpu == me) {
        uint64_t f = irq_save();
        b->next = h->free[cls];
        h->free[cls] = b;
        h->free_bytes += sz;
        irq_restore(f);
    } else {
        __atomic_fetch_add(&h->remote_bytes, sz, __ATOMIC_RELAXED);
        struct blk *old = __atomic_load_n(&h->remote, __ATOMIC_RELAXED);
        do { b->next = old; } while (!__atomic_compare_exchange_n(&h->remote, &old, b, true,
                                                                  __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    }
}

/* mem_free_bytes: free pages plus every core's free heap bytes; relaxed
 * reads, for statistics only. */
uint64_t mem_free_bytes(void)
{
    uint64_t t = page_free_count() * PAGE;
    for (int i = 0; i < TORO_MAX_CPUS; i++)
        t += __atomic_load_n(&heaps[i].free_bytes, __ATOMIC_RELAXED) +
             __atomic_load_n(&heaps[i].remote_bytes, __ATOMIC_RELAXED);
    return t;
}

TORO_SYM(page_alloc);
TORO_SYM(mm_init_from);
TORO_SYM(drain_remote);
TORO_SYM(mem_free_bytes);
TORO_SYM(page_free);
TORO_SYM(kmalloc);
TORO_SYM(kfree);
TORO_SYM(stacks_init);
