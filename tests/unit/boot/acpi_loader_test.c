/* The ACPI tables as fw_cfg hands them to SeaBIOS: the linker/loader
 * script ("etc/table-loader") run by a small loader written here from the
 * format's documentation (QEMU hw/acpi/bios-linker-loader.c, SeaBIOS
 * src/fw/romfile_loader.c), the tables it leaves in memory (every checksum
 * zero, every pointer at its table), that the direct boot's tables are the
 * same bytes placed at fixed addresses, and the DSDT's PCI interrupt
 * routing: LNKA-LNKD on the PIIX3's PIRQ route registers and a _PRT that
 * follows the board's swizzle (piix3_pirq_of) for every slot and pin. */
#include <stdlib.h>
#include <string.h>

#include "boot/acpi.h"
#include "boot/loader.h"
#include "hw/piix3.h"
#include "test.h"

#define MEM_SIZE 0x200000u
static uint8_t mem[MEM_SIZE];

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

/* The loader's files: fw_cfg name, contents, where ALLOCATE put them. */
struct file {
    const char *name;
    const uint8_t *data;
    uint32_t len;
    uint32_t addr;          /* 0: not allocated yet */
};

static struct file *find(struct file *f, int n, const uint8_t *name)
{
    if (memchr(name, 0, ACPI_LOADER_FILESZ) == NULL)
        return NULL;
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].name, (const char *)name) == 0)
            return &f[i];
    return NULL;
}

/* Run the script. ALLOCATE places a file at the next address of its zone
 * (fseg / high), rounded up to its alignment. Returns the number of
 * errors (unknown command, unknown or unallocated file, out of range). */
static int run_loader(const uint8_t *s, uint32_t len, struct file *f, int nf, uint32_t fseg,
                      uint32_t high, int *zone_of_rsdp)
{
    int bad = len % ACPI_LOADER_ENTRY != 0;
    for (uint32_t o = 0; o + ACPI_LOADER_ENTRY <= len; o += ACPI_LOADER_ENTRY) {
        const uint8_t *e = s + o + 4;
        uint32_t cmd = boot_get32(s + o);
        if (cmd == ACPI_LOADER_ALLOCATE) {
            struct file *a = find(f, nf, e);
            uint32_t align = boot_get32(e + ACPI_LOADER_FILESZ);
            uint8_t zone = e[ACPI_LOADER_FILESZ + 4];
            uint32_t *next = zone == ACPI_LOADER_ZONE_FSEG ? &fseg :
                             zone == ACPI_LOADER_ZONE_HIGH ? &high : NULL;
            if (!a || a->addr || !next || !align || (align & (align - 1))) {
                bad++;
                continue;
            }
            if (a == &f[0])
                *zone_of_rsdp = zone;
            a->addr = (*next + align - 1) & ~(align - 1);
            memcpy(mem + a->addr, a->data, a->len);
            *next = a->addr + a->len;
        } else if (cmd == ACPI_LOADER_ADD_POINTER) {
            struct file *d = find(f, nf, e), *src = find(f, nf, e + ACPI_LOADER_FILESZ);
            uint32_t off = boot_get32(e + 2 * ACPI_LOADER_FILESZ);
            uint8_t size = e[2 * ACPI_LOADER_FILESZ + 4];
            if (!d || !src || !d->addr || !src->addr || size != 4 || off + 4 > d->len) {
                bad++;
                continue;
            }
            uint8_t *p = mem + d->addr + off;
            boot_put32(p, boot_get32(p) + src->addr);
        } else if (cmd == ACPI_LOADER_ADD_CHECKSUM) {
            struct file *c = find(f, nf, e);
            uint32_t at = boot_get32(e + ACPI_LOADER_FILESZ);
            uint32_t start = boot_get32(e + ACPI_LOADER_FILESZ + 4);
            uint32_t n = boot_get32(e + ACPI_LOADER_FILESZ + 8);
            if (!c || !c->addr || at >= c->len || start > c->len || n > c->len - start) {
                bad++;
                continue;
            }
            uint8_t *base = mem + c->addr;
            base[at] = (uint8_t)(base[at] - sum(base + start, n));
        } else {
            bad++;
        }
    }
    return bad;
}

static const uint8_t *table_at(uint32_t addr)
{
    return addr && addr < MEM_SIZE - 36 ? mem + addr : NULL;
}

/* Walk RSDP -> RSDT -> tables in mem; every checksum must be 0 and every
 * pointer must reach its signature. */
static void check_tables(uint32_t rsdp, const char *what)
{
    const uint8_t *r = mem + rsdp;
    CHECK(memcmp(r, "RSD PTR ", 8) == 0 && sum(r, 20) == 0, "%s: RSDP and its checksum", what);
    const uint8_t *rsdt = table_at(boot_get32(r + 16));
    CHECK(rsdt && memcmp(rsdt, "RSDT", 4) == 0, "%s: the RSDP points at the RSDT", what);
    if (!rsdt)
        return;
    uint32_t rl = boot_get32(rsdt + 4);
    CHECK_EQ(sum(rsdt, rl), 0, "%s: RSDT checksum", what);
    CHECK_EQ(rl, 48, "%s: RSDT lists three tables", what);
    static const char *const sig[3] = { "FACP", "APIC", "HPET" };
    for (int k = 0; k < 3; k++) {
        const uint8_t *t = table_at(boot_get32(rsdt + 36 + 4 * k));
        CHECK(t && memcmp(t, sig[k], 4) == 0 && sum(t, boot_get32(t + 4)) == 0,
              "%s: RSDT entry %d is %s with a zero checksum", what, k, sig[k]);
    }
    const uint8_t *fadt = table_at(boot_get32(rsdt + 36));
    if (!fadt)
        return;
    uint32_t facs = boot_get32(fadt + 36);
    CHECK(table_at(facs) && memcmp(mem + facs, "FACS", 4) == 0 && facs % 64 == 0,
          "%s: FIRMWARE_CTRL points at the FACS, 64-byte aligned", what);
    const uint8_t *dsdt = table_at(boot_get32(fadt + 40));
    CHECK(dsdt && memcmp(dsdt, "DSDT", 4) == 0 && sum(dsdt, boot_get32(dsdt + 4)) == 0,
          "%s: the FADT's DSDT, checksum zero", what);
}

static const uint8_t *find_bytes(const uint8_t *p, size_t n, const void *what, size_t wn)
{
    for (size_t i = 0; i + wn <= n; i++)
        if (memcmp(p + i, what, wn) == 0)
            return p + i;
    return NULL;
}

/* PkgLength at p (s20.2.4): its value, and *bytes its own size. */
static uint32_t pkg_len(const uint8_t *p, unsigned *bytes)
{
    unsigned n = p[0] >> 6;
    uint32_t v = n ? p[0] & 0x0f : p[0] & 0x3f;
    for (unsigned k = 0; k < n; k++)
        v |= (uint32_t)p[1 + k] << (4 + 8 * k);
    *bytes = n + 1;
    return v;
}

/* Name (_PRT, Package (128) { Package (4) { slot << 16 | 0xFFFF, pin,
 * LNKx, 0 } ... }): each entry's link must be the PIRQ piix3_pirq_of
 * gives for that slot and pin. */
static void check_prt(const uint8_t *dsdt, uint32_t dl)
{
    static const uint8_t name_prt[] = { 0x08, '_', 'P', 'R', 'T', 0x12 };
    const uint8_t *a = find_bytes(dsdt, dl, name_prt, sizeof name_prt);
    CHECK(a != NULL, "DSDT: Name (_PRT, Package)");
    if (!a)
        return;
    unsigned lb;
    const uint8_t *p = a + 6, *end = p + pkg_len(p, &lb);
    p += lb;
    CHECK(end <= dsdt + dl && *p == 128, "_PRT: 128 entries inside the DSDT");
    p++;
    int good = 0, seen = 0;
    bool slots[32][4] = { { false } };
    while (p < end && *p == 0x12) {
        const uint8_t *e = p + 1, *ee = e + pkg_len(e, &lb);
        e += lb;
        seen++;
        if (e[0] == 4 && e[1] == 0x0c) {
            uint32_t addr = boot_get32(e + 2);
            const uint8_t *q = e + 6;
            unsigned pin = q[0] == 0x0a ? q[1] : q[0];
            q += q[0] == 0x0a ? 2 : 1;
            unsigned slot = addr >> 16;
            bool ok = (addr & 0xffff) == 0xffff && slot < 32 && pin < 4 &&
                      memcmp(q, "LNK", 3) == 0 &&
                      q[3] == 'A' + piix3_pirq_of(slot, pin + 1) && q[4] == 0 && q + 5 == ee;
            if (ok && !slots[slot][pin]) {
                slots[slot][pin] = true;
                good++;
            }
        }
        p = ee;
    }
    CHECK(seen == 128 && good == 128 && p == end,
          "_PRT: every slot 0-31 and pin INTA-INTD once, to LNK(A + piix3_pirq_of) (%d of %d)",
          good, seen);
}

/* Device (LNKx) { _HID PNP0C0F ... _PRS: Interrupt (level, high, shared)
 * { 5, 10, 11 } } four times, and OperationRegion (PIRQ, PCI_Config,
 * 0x60, 4) for the route registers. */
static void check_links(const uint8_t *dsdt, uint32_t dl)
{
    static const uint8_t pnp0c0f[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0c, 0x0f };
    static const uint8_t prs[] = { 0x89, 14, 0, 0x09, 3, 5, 0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0 };
    static const uint8_t region[] = { 0x5b, 0x80, 'P', 'I', 'R', 'Q', 0x02, 0x0a, 0x60,
                                      0x0a, 0x04 };
    for (int n = 0; n < 4; n++) {
        char name[5] = { 'L', 'N', 'K', (char)('A' + n), 0 };
        const uint8_t *d = find_bytes(dsdt, dl, name, 4);
        bool ok = false;
        for (unsigned lb = 1; d && lb <= 2 && !ok; lb++) {  /* Device, its PkgLength */
            unsigned got;
            const uint8_t *pl = d - lb;
            uint32_t len = pl[-2] == 0x5b && pl[-1] == 0x82 ? pkg_len(pl, &got) : 0;
            ok = len && got == lb && pl + len <= dsdt + dl &&
                 find_bytes(d, len - lb, pnp0c0f, sizeof pnp0c0f) &&
                 find_bytes(d, len - lb, prs, sizeof prs);
        }
        CHECK(ok, "Device (%s): PNP0C0F, _PRS Interrupt (Level, ActiveHigh, Shared) "
              "{5, 10, 11}", name);
    }
    CHECK(find_bytes(dsdt, dl, region, sizeof region) != NULL,
          "OperationRegion (PIRQ, PCI_Config, 0x60, 4)");
}

int main(void)
{
    static struct acpi_blob b;
    static uint8_t script[ACPI_LOADER_MAX];
    struct acpi_params p = { .pm_base = 0xb000, .sci_irq = 9, .s5_slp_typ = 0,
                             .pci_mem_start = 0x10000000, .apic = true, .hpet = true,
                             .pirq_of = piix3_pirq_of };
    acpi_build_blob(&b, &p);
    uint32_t n = acpi_loader_script(&b, script);
    CHECK(n > 0 && n % ACPI_LOADER_ENTRY == 0 && n <= ACPI_LOADER_MAX,
          "the script is whole 128-byte entries (%u bytes)", n);
    CHECK_EQ(n / ACPI_LOADER_ENTRY, 2 + b.nptr + b.nsum,
             "one ALLOCATE per file, one entry per pointer and per checksum");
    CHECK(b.tables_len > 0 && b.tables_len <= ACPI_BLOB_MAX, "the tables file fits");

    /* As SeaBIOS would: the RSDP in the F segment, the tables high. */
    struct file f[2] = {
        { "etc/acpi/rsdp", b.rsdp, ACPI_RSDP_LEN, 0 },
        { "etc/acpi/tables", b.tables, b.tables_len, 0 },
    };
    CHECK(strcmp(acpi_file_name[ACPI_FILE_RSDP], f[0].name) == 0 &&
          strcmp(acpi_file_name[ACPI_FILE_TABLES], f[1].name) == 0 &&
          strcmp(ACPI_LOADER_FILE, "etc/table-loader") == 0, "the fw_cfg file names QEMU uses");
    int zone = 0;
    CHECK_EQ(run_loader(script, n, f, 2, 0xF5A37, 0x1F0011, &zone) , 0,
             "the script runs: known commands, files allocated before use, in range");
    CHECK_EQ(zone, ACPI_LOADER_ZONE_FSEG, "the RSDP goes to the F segment");
    CHECK(f[0].addr % 16 == 0 && f[1].addr % 64 == 0, "RSDP 16-byte, tables 64-byte aligned");
    check_tables(f[0].addr, "loaded");

    /* Not already linked: the files hold offsets, not addresses. */
    CHECK(boot_get32(b.rsdp + 16) < b.tables_len, "the RSDP file holds an offset into tables");

    /* The direct boot is the same builder: its bytes equal the loader's
     * output for the same addresses. */
    static uint8_t direct[ACPI_TABLES_SIZE];
    const uint32_t base = 0xF1000;
    uint32_t rsdp = acpi_build(direct, base, &p);
    CHECK_EQ(rsdp, base, "direct boot: the RSDP at the base");
    memset(mem, 0, sizeof mem);
    struct file g[2] = { f[0], f[1] };
    g[0].addr = g[1].addr = 0;
    run_loader(script, n, g, 2, base, base + ACPI_TABLES_OFF, &zone);
    CHECK(g[0].addr == base && g[1].addr == base + ACPI_TABLES_OFF &&
          memcmp(direct, mem + base, ACPI_TABLES_OFF + b.tables_len) == 0,
          "direct boot at 0x%x: byte for byte the loader's result", base);
    check_tables(base, "direct");

    const uint8_t *rs = mem + boot_get32(mem + base + 16);
    const uint8_t *dsdt = mem + boot_get32(mem + boot_get32(rs + 36) + 40);
    uint32_t dl = boot_get32(dsdt + 4);
    check_prt(dsdt, dl);
    check_links(dsdt, dl);

    /* No swizzle given: no links, no _PRT. */
    struct acpi_params q = p;
    q.pirq_of = NULL;
    acpi_build_blob(&b, &q);
    CHECK(!find_bytes(b.tables, b.tables_len, "_PRT", 4) &&
          !find_bytes(b.tables, b.tables_len, "LNKA", 4), "without pirq_of: no _PRT, no links");

    /* A damaged script is refused, so the loader above can fail. */
    n = acpi_loader_script(&b, script);
    script[ACPI_LOADER_ENTRY + 4] = 'x';        /* the second ALLOCATE names no file */
    g[0].addr = g[1].addr = 0;
    CHECK(run_loader(script, n, g, 2, 0xF0000, 0x100000, &zone) > 0,
          "a script naming an unknown file fails to run");
    return test_summary();
}
