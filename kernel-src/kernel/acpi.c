/* Platform discovery: cores, IOAPICs and interrupt source overrides from the
 * ACPI MADT, virtio-mmio transports from the DSDT, with the Intel MP table as
 * a fallback where there is no ACPI. */
#include <toro/kernel.h>

struct platform platform;

struct sdt { char sig[4]; uint32_t len; uint8_t rev, sum; char oem[6], oemt[8]; uint32_t oemrev, cid, crev; } __attribute__((packed));

static bool sum_ok(const void *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++) s += ((const uint8_t *)p)[i];
    return s == 0;
}

static uint64_t scan(uint64_t from, uint64_t to, const char *sig, size_t siglen, size_t sumlen)
{
    for (uint64_t a = from; a + 16 <= to; a += 16)
        if (!memcmp((void *)a, sig, siglen) && sum_ok((void *)a, sumlen)) return a;
    return 0;
}

static uint64_t bda_ebda(void)
{
    volatile uint16_t *p;
    uintptr_t a = 0x40E;
    __asm__("" : "+r"(a));      /* a fixed BIOS data area address */
    p = (volatile uint16_t *)a;
    return (uint64_t)*p << 4;
}

/* add_cpu: records an enabled core's APIC id; one past TORO_MAX_CPUS is
 * counted in platform.dropped_cpus (kmain says so) and never started. */
static void add_cpu(uint32_t apic)
{
    if (platform.ncpus < TORO_MAX_CPUS) platform.apic_ids[platform.ncpus++] = apic;
    else platform.dropped_cpus++;
}

/* add_ioapic: records an IOAPIC and the first GSI it serves. Boot core. */
static void add_ioapic(uint8_t id, uint64_t base, uint32_t gsi_base)
{
    if (platform.nioapics >= MAX_IOAPICS) return;
    struct ioapic_info *io = &platform.ioapics[platform.nioapics++];
    io->id = id;
    io->base = base;
    io->gsi_base = gsi_base;
}

/* parse_madt: cores, every IOAPIC with its GSI base (microvm has a second one
 * for its virtio-mmio slots) and the ISA interrupt source overrides. Boot core. */
static bool parse_madt(struct sdt *m)
{
    uint8_t *p = (uint8_t *)m + 44, *end = (uint8_t *)m + m->len;
    platform.lapic_base = *(uint32_t *)((uint8_t *)m + 36);
    while (p + 2 <= end && p[1]) {
        switch (p[0]) {
        case 0:   /* processor local APIC: flags bit 0 enabled (bit 1, online
                   * capable, is a core that may be added later: not started) */
            if (*(uint32_t *)(p + 4) & 1) add_cpu(p[3]);
            break;
        case 1:   /* IOAPIC: id, reserved, address, GSI base */
            add_ioapic(p[2], *(uint32_t *)(p + 4), *(uint32_t *)(p + 8));
            break;
        case 2:   /* interrupt source override: bus, source IRQ, GSI, flags */
            if (platform.nisos < MAX_ISOS) {
                struct irq_override *o = &platform.isos[platform.nisos++];
                o->irq = p[3];
                o->gsi = *(uint32_t *)(p + 4);
                o->flags = *(uint16_t *)(p + 8);
            }
            break;
        case 5:   /* 64-bit LAPIC address override */
            platform.lapic_base = *(uint64_t *)(p + 4);
            break;
        case 9:   /* x2APIC */
            if ((*(uint32_t *)(p + 8) & 1) && *(uint32_t *)(p + 4) < 255) add_cpu(*(uint32_t *)(p + 4));
            break;
        }
        p += p[1];
    }
    return platform.ncpus > 0;
}

/* ---------------------------------------------------------------- DSDT */
/* The DSDT is AML bytecode; a full interpreter is not needed to find QEMU's
 * virtio-mmio transports, because QEMU (hw/virtio/virtio-mmio ACPI, microvm)
 * emits each as a fixed pattern inside a Device():
 *
 *   NameOp(08) "_HID" StringPrefix(0D) "LNRO0005" 00
 *   ... (_UID)
 *   NameOp(08) "_CRS" BufferOp(11) PkgLength BufferSize ResourceTemplate
 *
 * Accepted grammar: the _HID string, then the first "_CRS" BufferOp within
 * 64 bytes; PkgLength is 1-4 bytes (top two bits of the lead byte = extra
 * bytes); BufferSize is a ByteConst(0A)/WordConst(0B)/DWordConst(0C).
 * Resource descriptors read from the buffer: Memory32Fixed (86 09 00: info,
 * base, length) and Extended Interrupt (89 len: flags, count, GSIs; flags bit
 * 1 edge, bit 2 active low), up to the End tag (79). Every other descriptor is
 * skipped by its length. A device with no memory or no interrupt is ignored. */
static const uint8_t lnro_hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0D, 'L', 'N', 'R', 'O', '0', '0', '0', '5', 0 };

/* parse_crs: one _CRS buffer at p (its BufferOp byte) within [p, end).
 * Fills d and returns true when both a memory range and a GSI were found. */
static bool parse_crs(const uint8_t *p, const uint8_t *end, struct mmio_dev *d)
{
    if (p >= end || *p != 0x11) return false;
    p++;
    uint32_t extra = p[0] >> 6;                 /* PkgLength's extra bytes */
    const uint8_t *pkg_start = p;
    uint32_t pkglen = extra ? (p[0] & 0x0F) : (p[0] & 0x3F);
    for (uint32_t i = 0; i < extra; i++) pkglen |= (uint32_t)p[1 + i] << (4 + 8 * i);
    const uint8_t *buf_end = pkg_start + pkglen;
    if (buf_end > end) return false;
    p += 1 + extra;
    uint32_t size;
    if (*p == 0x0A) { size = p[1]; p += 2; }
    else if (*p == 0x0B) { size = p[1] | (uint32_t)p[2] << 8; p += 3; }
    else if (*p == 0x0C) { size = *(const uint32_t *)(p + 1); p += 5; }
    else return false;
    if (p + size < buf_end) buf_end = p + size;
    bool mem = false, irq = false;
    while (p < buf_end) {
        uint8_t tag = *p;
        if (tag == 0x79) break;                 /* End tag */
        if (!(tag & 0x80)) { p += 1 + (tag & 7); continue; }   /* small item */
        if (p + 3 > buf_end) break;
        uint16_t len = *(const uint16_t *)(p + 1);
        const uint8_t *body = p + 3;
        if (body + len > buf_end) break;
        if (tag == 0x86 && len >= 9) {          /* Memory32Fixed */
            d->base = *(const uint32_t *)(body + 1);
            d->size = *(const uint32_t *)(body + 5);
            mem = true;
        } else if (tag == 0x89 && len >= 6 && body[1] >= 1) {   /* Extended Interrupt */
            d->gsi = *(const uint32_t *)(body + 2);
            d->level = !(body[0] & 2);
            d->active_low = body[0] & 4;
            irq = true;
        }
        p = body + len;
    }
    return mem && irq;
}

/* parse_dsdt: records every LNRO0005 device (virtio-mmio) of the DSDT. Boot core. */
static void parse_dsdt(struct sdt *t)
{
    const uint8_t *p = (const uint8_t *)t + sizeof *t, *end = (const uint8_t *)t + t->len;
    for (; p + sizeof lnro_hid <= end; p++) {
        if (memcmp(p, lnro_hid, sizeof lnro_hid)) continue;
        const uint8_t *q = p + sizeof lnro_hid;
        for (const uint8_t *w = q; w + 5 <= end && w < q + 64; w++) {
            if (w[0] != 0x08 || memcmp(w + 1, "_CRS", 4)) continue;
            struct mmio_dev d = { 0 };
            if (parse_crs(w + 5, end, &d) && platform.nmmio < MAX_MMIO_DEVS)
                platform.mmio[platform.nmmio++] = d;
            break;
        }
    }
}

/* parse_fadt: the DSDT's address (X_DSDT when present, else DSDT). */
static void parse_fadt(struct sdt *f)
{
    uint64_t dsdt = *(uint32_t *)((uint8_t *)f + 40);
    if (f->len >= 148 && *(uint64_t *)((uint8_t *)f + 140)) dsdt = *(uint64_t *)((uint8_t *)f + 140);
    struct sdt *d = (struct sdt *)dsdt;
    if (d && !memcmp(d->sig, "DSDT", 4) && sum_ok(d, d->len)) parse_dsdt(d);
}

static bool try_acpi(void)
{
    uint64_t rsdp = boot_info.rsdp;
    if (!rsdp || memcmp((void *)rsdp, "RSD PTR ", 8)) {
        uint64_t ebda = bda_ebda();
        rsdp = 0;
        if (ebda >= 0x80000 && ebda < 0xA0000) rsdp = scan(ebda, ebda + 1024, "RSD PTR ", 8, 20);
        if (!rsdp) rsdp = scan(0xE0000, 0x100000, "RSD PTR ", 8, 20);
    }
    if (!rsdp) return false;
    uint8_t rev = *(uint8_t *)(rsdp + 15);
    uint64_t xsdt = rev >= 2 ? *(uint64_t *)(rsdp + 24) : 0;
    uint64_t rsdt = *(uint32_t *)(rsdp + 16);
    struct sdt *root = (struct sdt *)(xsdt ? xsdt : rsdt);
    if (!root) return false;
    size_t esz = xsdt ? 8 : 4;
    size_t n = (root->len - sizeof(struct sdt)) / esz;
    bool cores = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = (uint8_t *)root + sizeof(struct sdt) + i * esz;
        uint64_t a = esz == 8 ? *(uint64_t *)e : *(uint32_t *)e;
        struct sdt *t = (struct sdt *)a;
        if (t && !memcmp(t->sig, "APIC", 4)) cores = parse_madt(t);
        if (t && !memcmp(t->sig, "FACP", 4)) parse_fadt(t);
    }
    return cores;
}

static bool try_mp(void)
{
    uint64_t fp = 0;
    uint64_t ebda = bda_ebda();
    if (ebda >= 0x80000 && ebda < 0xA0000) fp = scan(ebda, ebda + 1024, "_MP_", 4, 16);
    if (!fp) fp = scan(0x9FC00, 0xA0000, "_MP_", 4, 16);
    if (!fp) fp = scan(0xF0000, 0x100000, "_MP_", 4, 16);
    if (!fp) return false;
    uint32_t cfg = *(uint32_t *)(fp + 4);
    if (!cfg || memcmp((void *)(uint64_t)cfg, "PCMP", 4)) return false;
    uint8_t *c = (uint8_t *)(uint64_t)cfg;
    platform.lapic_base = *(uint32_t *)(c + 36);
    uint16_t count = *(uint16_t *)(c + 34);
    uint8_t *p = c + 44;
    for (uint16_t i = 0; i < count; i++) {
        if (p[0] == 0) {
            if (p[3] & 1) add_cpu(p[1]);
            p += 20;
        } else {
            if (p[0] == 2 && !platform.nioapics && (p[3] & 1))
                add_ioapic(p[1], *(uint32_t *)(p + 4), 0);
            p += 8;
        }
    }
    return platform.ncpus > 0;
}

void platform_discover(void)
{
    platform.lapic_base = 0xFEE00000;
    if (try_acpi()) platform.source = "acpi";
    else {
        platform.ncpus = 0;
        platform.nioapics = 0;
        platform.nisos = 0;
        platform.nmmio = 0;
        if (try_mp()) platform.source = "mp";
        else {
            platform.source = "none";
            platform.ncpus = 0;
        }
    }
    if (!platform.lapic_base) platform.lapic_base = 0xFEE00000;
    /* Neither table (microvm with acpi=off): an IOAPIC at the architectural
     * address serving GSI 0 up, if its version register answers. */
    if (!platform.nioapics) {
        volatile uint32_t *io = (volatile uint32_t *)0xFEC00000ull;
        io[0] = 1;
        uint32_t ver = io[4];
        if (ver != 0xFFFFFFFF && ver != 0) add_ioapic(0, 0xFEC00000ull, 0);
    }
    if (!platform.ncpus) add_cpu(lapic_id());
    /* put the boot core first */
    uint32_t me = lapic_id();
    for (uint32_t i = 0; i < platform.ncpus; i++)
        if (platform.apic_ids[i] == me) {
            platform.apic_ids[i] = platform.apic_ids[0];
            platform.apic_ids[0] = me;
        }
}

TORO_SYM(platform_discover);
TORO_SYM(parse_madt);
TORO_SYM(try_mp);
TORO_SYM(parse_dsdt);
TORO_SYM(parse_crs);
