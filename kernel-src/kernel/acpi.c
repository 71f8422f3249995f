/* Platform discovery: cores and IOAPIC from the ACPI MADT, with the Intel MP
 * table as a fallback where there is no ACPI. */
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
        case 1:   /* IOAPIC */
            if (!platform.have_ioapic) {
                platform.ioapic_base = *(uint32_t *)(p + 4);
                platform.have_ioapic = true;
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
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = (uint8_t *)root + sizeof(struct sdt) + i * esz;
        uint64_t a = esz == 8 ? *(uint64_t *)e : *(uint32_t *)e;
        struct sdt *t = (struct sdt *)a;
        if (t && !memcmp(t->sig, "APIC", 4)) return parse_madt(t);
    }
    return false;
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
            if (p[0] == 2 && !platform.have_ioapic && (p[3] & 1)) {
                platform.ioapic_base = *(uint32_t *)(p + 4);
                platform.have_ioapic = true;
            }
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
        platform.have_ioapic = false;
        if (try_mp()) platform.source = "mp";
        else {
            platform.source = "none";
            platform.ncpus = 0;
        }
    }
    if (!platform.lapic_base) platform.lapic_base = 0xFEE00000;
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
