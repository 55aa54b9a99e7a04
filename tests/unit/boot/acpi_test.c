/* ACPI tables for direct kernel boot: layout, pointers and checksums of
 * RSDP/RSDT/FADT/FACS/DSDT, the \_S5 AML, and that the Linux loader points
 * boot_params.acpi_rsdp_addr at them only when the board has a PM block.
 * Set ACPI_DUMP=DIR to write the tables as files (for `iasl -d`). */
#include <stdlib.h>
#include <string.h>

#include "boot/acpi.h"
#include "boot/linux.h"
#include "boot/loader.h"
#include "test.h"

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

/* AML after \_S5: Scope (\_SB) { Device (PCI0) { _HID, _ADR, _UID, _CRS } }
 * with PkgLengths that end where the AML ends, and _CRS's resource
 * descriptors: bus 0-255, config ports, two I/O windows, the VGA window
 * and, when mem_start != 0, [mem_start, 0xFEBFFFFF]. */
static void check_pci0(const uint8_t *a, uint32_t n, uint32_t mem_start, const char *what)
{
    static const uint8_t head[] = { 0x10, 0, 0, '\\', '_', 'S', 'B', '_', 0x5b, 0x82, 0, 0,
                                    'P', 'C', 'I', '0', 0x08, '_', 'H', 'I', 'D', 0x0c,
                                    0x41, 0xd0, 0x0a, 0x03 };
    bool ok = n > sizeof head;
    for (size_t i = 0; ok && i < sizeof head; i++)
        if (head[i] && a[i] != head[i])
            ok = false;
    CHECK(ok, "%s: Scope (\\_SB) Device (PCI0) _HID EisaId (PNP0A03)", what);
    if (!ok)
        return;
    uint32_t scope_len = (a[1] & 0x0f) | (uint32_t)a[2] << 4;
    uint32_t dev_len = (a[10] & 0x0f) | (uint32_t)a[11] << 4;
    CHECK((a[1] & 0xc0) == 0x40 && 1 + scope_len == n, "%s: Scope PkgLength ends the AML", what);
    CHECK((a[10] & 0xc0) == 0x40 && 10 + dev_len == n, "%s: Device PkgLength ends the AML", what);
    const uint8_t *c = NULL;
    for (uint32_t i = 0; i + 4 < n && !c; i++)
        if (memcmp(a + i, "_CRS", 4) == 0)
            c = a + i + 4;
    CHECK(c && c[0] == 0x11 && c[3] == 0x0a, "%s: PCI0: Name (_CRS, Buffer)", what);
    if (!c)
        return;
    const uint8_t *r = c + 5, *end = r + c[4];
    CHECK((c[1] & 0xc0) == 0x40 && ((c[1] & 0x0f) | (uint32_t)c[2] << 4) == (uint32_t)c[4] + 4u &&
          end <= a + n, "%s: the buffer's PkgLength covers its size byte and bytes", what);
    int bus = 0, io = 0, cfg = 0, vga = 0, mem = 0, endtag = 0, bad = 0;
    while (r < end && !endtag && !bad) {
        if (r[0] == 0x47) {                 /* small IO descriptor */
            cfg += boot_get16(r + 2) == 0xcf8 && r[7] == 8;
            r += 8;
        } else if (r[0] == 0x79) {
            endtag = 1;
            r += 2;
        } else if (r[0] == 0x88 && boot_get16(r + 1) == 13) {
            uint16_t mn = boot_get16(r + 8), mx = boot_get16(r + 10), len = boot_get16(r + 14);
            bad |= (uint16_t)(mx - mn + 1) != len || (r[4] & 1);
            bus += r[3] == 2 && mn == 0 && mx == 0xff;
            io += r[3] == 1 && ((mn == 0 && mx == 0xcf7) || (mn == 0xd00 && mx == 0xffff));
            r += 16;
        } else if (r[0] == 0x87 && boot_get16(r + 1) == 23) {
            uint32_t mn = boot_get32(r + 10), mx = boot_get32(r + 14), len = boot_get32(r + 22);
            bad |= mx - mn + 1 != len || r[3] != 0 || (r[4] & 1);
            vga += mn == 0xa0000 && mx == 0xbffff;
            mem += mem_start && mn == mem_start && mx == 0xfebfffff;
            r += 26;
        } else {
            bad = 1;
        }
    }
    CHECK(!bad && endtag && r == end, "%s: _CRS descriptors parse to the End Tag", what);
    CHECK(bus == 1 && cfg == 1 && io == 2 && vga == 1, "%s: bus 0-255, ports 0xCF8, I/O windows, "
          "VGA window", what);
    CHECK_EQ(mem, mem_start ? 1 : 0, "%s: 32-bit memory window", what);

    /* The ISA devices: each EISA ID once (PNP0501 twice), each followed
     * by its _CRS with the ports and IRQ of the board. */
    static const struct { uint8_t id[4]; int count; uint16_t port; uint8_t irq; const char *n; } isa[] = {
        { { 0x41, 0xd0, 0x03, 0x03 }, 1, 0x60, 1, "PNP0303 keyboard" },
        { { 0x41, 0xd0, 0x0f, 0x13 }, 1, 0, 12, "PNP0F13 mouse" },
        { { 0x41, 0xd0, 0x0b, 0x00 }, 1, 0x70, 8, "PNP0B00 RTC" },
        { { 0x41, 0xd0, 0x05, 0x01 }, 2, 0x3f8, 4, "PNP0501 COM1 (and COM2)" },
    };
    for (size_t k = 0; k < sizeof isa / sizeof isa[0]; k++) {
        int seen = 0, res_ok = 0;
        for (uint32_t i = 0; i + 4 <= n; i++) {
            if (memcmp(a + i, isa[k].id, 4) != 0)
                continue;
            const uint8_t *q = a + i + 4, *qe = a + n;
            while (q + 4 <= qe && memcmp(q, "_CRS", 4) != 0)
                q++;
            if (seen++ || q + 4 > qe)
                continue;
            /* First descriptor after the size byte: IO or IRQ. */
            const uint8_t *d0 = q + 4 + 4;
            if (isa[k].port)
                res_ok = d0[0] == 0x47 && boot_get16(d0 + 2) == isa[k].port;
            else
                res_ok = d0[0] == 0x22 && boot_get16(d0 + 1) == 1u << isa[k].irq;
        }
        CHECK(seen == isa[k].count && res_ok, "%s: %s with its resources", what, isa[k].n);
    }
}

static void dump(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(p, 1, n, f);
        fclose(f);
    }
}

int main(void)
{
    static uint8_t mem[0x100000];
    const uint32_t base = 0x9FC00;
    struct acpi_params p = { .pm_base = 0x600, .sci_irq = 9, .s5_slp_typ = 5 };
    uint32_t rsdp = acpi_build(mem + base, base, &p);
    const uint8_t *r = mem + rsdp;

    CHECK_EQ(rsdp, base, "the RSDP is at the start of the block");
    CHECK(memcmp(r, "RSD PTR ", 8) == 0, "RSDP signature");
    CHECK_EQ(sum(r, 20), 0, "RSDP checksum over 20 bytes");
    CHECK_EQ(r[15], 0, "RSDP revision 0 (ACPI 1.0)");
    const uint8_t *rsdt = mem + boot_get32(r + 16);
    CHECK(memcmp(rsdt, "RSDT", 4) == 0 && boot_get32(rsdt + 4) == 40, "RSDT with one entry");
    CHECK_EQ(sum(rsdt, 40), 0, "RSDT checksum");
    const uint8_t *fadt = mem + boot_get32(rsdt + 36);
    CHECK(memcmp(fadt, "FACP", 4) == 0 && boot_get32(fadt + 4) == 116 && fadt[8] == 1,
          "FADT revision 1, 116 bytes");
    CHECK_EQ(sum(fadt, 116), 0, "FADT checksum");
    CHECK_EQ(boot_get16(fadt + 46), 9, "SCI_INT");
    CHECK_EQ(boot_get32(fadt + 48), 0, "SMI_CMD 0: always in ACPI mode");
    CHECK(boot_get32(fadt + 56) == 0x600 && fadt[88] == 4, "PM1a_EVT_BLK 0x600, 4 bytes");
    CHECK(boot_get32(fadt + 64) == 0x604 && fadt[89] == 2, "PM1a_CNT_BLK 0x604, 2 bytes");
    CHECK(boot_get32(fadt + 76) == 0x608 && fadt[91] == 4, "PM_TMR_BLK 0x608, 4 bytes");
    CHECK_EQ(boot_get32(fadt + 112) & (1u << 8), 0, "TMR_VAL_EXT clear: 24-bit PM timer");
    CHECK_EQ(fadt[108], 0x32, "CENTURY: CMOS index 0x32");
    const uint8_t *facs = mem + boot_get32(fadt + 36);
    CHECK(memcmp(facs, "FACS", 4) == 0 && boot_get32(facs + 4) == 64, "FACS");
    CHECK_EQ(boot_get32(fadt + 36) & 63, 0, "FACS is 64-byte aligned");
    const uint8_t *dsdt = mem + boot_get32(fadt + 40);
    uint32_t dl = boot_get32(dsdt + 4);
    CHECK(memcmp(dsdt, "DSDT", 4) == 0 && dl > 50, "DSDT of 36 + 14 bytes of \\_S5 and more");
    CHECK_EQ(sum(dsdt, dl), 0, "DSDT checksum");
    static const uint8_t s5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
                                  0x0A, 5, 0x0A, 5, 0x00, 0x00 };
    CHECK(memcmp(dsdt + 36, s5, sizeof s5) == 0, "AML: Name (_S5, Package (4) {5, 5, 0, 0})");
    CHECK(boot_get32(fadt + 40) + dl <= base + ACPI_TABLES_SIZE, "all tables inside the block");
    check_pci0(dsdt + 50, dl - 50, 0, "no memory window");
    const char *d = getenv("ACPI_DUMP");
    if (d) {
        dump(d, "dsdt.dat", dsdt, dl);
        dump(d, "facp.dat", fadt, 116);
        dump(d, "rsdt.dat", rsdt, 40);
        dump(d, "facs.dat", facs, 64);
    }

    /* The PCI memory window above RAM. */
    static uint8_t mem2[0x100000];
    struct acpi_params p2 = p;
    p2.pci_mem_start = 0x10000000;
    uint32_t r2 = acpi_build(mem2 + base, base, &p2);
    const uint8_t *f2 = mem2 + boot_get32(mem2 + boot_get32(mem2 + r2 + 16) + 36);
    const uint8_t *d2 = mem2 + boot_get32(f2 + 40);
    uint32_t dl2 = boot_get32(d2 + 4);
    CHECK_EQ(sum(d2, dl2), 0, "DSDT with a PCI memory window: checksum");
    CHECK(boot_get32(f2 + 40) + dl2 <= base + ACPI_TABLES_SIZE, "it fits the block");
    check_pci0(d2 + 50, dl2 - 50, 0x10000000, "memory window 0x10000000");
    if (d) {
        dump(d, "dsdt-pcimem.dat", d2, dl2);
    }

    /* Through the Linux loader. */
    static struct boot_target t;
    uint8_t *ram = calloc(1, 32 << 20);
    t.ram = ram;
    t.ram_size = 32 << 20;
    boot_pc_map(&t, t.ram_size);
    uint8_t *k = calloc(1, 5 * 512 + 4096);
    k[LH_SETUP_SECTS] = 4;
    boot_put16(k + LH_BOOT_FLAG, 0xAA55);
    k[LH_JUMP] = 0xEB;
    k[LH_JUMP + 1] = 0x66;
    boot_put32(k + LH_HEADER, LH_MAGIC);
    boot_put16(k + LH_VERSION, 0x0206);
    k[LH_LOADFLAGS] = LF_LOADED_HIGH;
    boot_put32(k + LH_CODE32_START, 0x100000);
    boot_put32(k + LH_INITRD_ADDR_MAX, 0x37FFFFFF);
    boot_put32(k + LH_CMDLINE_SIZE, 255);
    struct boot_blob kb = { k, 5 * 512 + 4096, "bz", NULL };
    struct boot_entry e;
    char err[BOOT_ERR_LEN] = "";
    CHECK_EQ(linux_load(&t, &kb, NULL, NULL, &e, err, sizeof err), 0, "loads without ACPI");
    CHECK_EQ(boot_get32(ram + e.esi + BP_ACPI_RSDP_ADDR), 0, "no PM block: acpi_rsdp_addr is 0");
    t.acpi = p;
    CHECK_EQ(linux_load(&t, &kb, NULL, NULL, &e, err, sizeof err), 0, "loads with ACPI (%s)", err);
    uint32_t a = boot_get32(ram + e.esi + BP_ACPI_RSDP_ADDR);
    CHECK_EQ(a, LINUX_ACPI_ADDR, "acpi_rsdp_addr points at the tables");
    CHECK(memcmp(ram + a, "RSD PTR ", 8) == 0 && sum(ram + a, 20) == 0, "a valid RSDP is there");
    for (int i = 0; i < t.map_len; i++)    /* a map that hands the F segment out as RAM */
        if (t.map[i].addr <= LINUX_ACPI_ADDR && LINUX_ACPI_ADDR < t.map[i].addr + t.map[i].size)
            t.map[i].type = E820_RAM;
    CHECK(linux_load(&t, &kb, NULL, NULL, &e, err, sizeof err) < 0 && strstr(err, "ACPI"),
          "tables are refused in memory the map calls RAM (%s)", err);
    free(k);
    free(ram);
    return test_summary();
}
