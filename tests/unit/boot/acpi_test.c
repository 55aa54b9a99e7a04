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
    const uint8_t *facs = mem + boot_get32(fadt + 36);
    CHECK(memcmp(facs, "FACS", 4) == 0 && boot_get32(facs + 4) == 64, "FACS");
    CHECK_EQ(boot_get32(fadt + 36) & 63, 0, "FACS is 64-byte aligned");
    const uint8_t *dsdt = mem + boot_get32(fadt + 40);
    uint32_t dl = boot_get32(dsdt + 4);
    CHECK(memcmp(dsdt, "DSDT", 4) == 0 && dl == 50, "DSDT of 36 + 14 bytes");
    CHECK_EQ(sum(dsdt, dl), 0, "DSDT checksum");
    static const uint8_t s5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
                                  0x0A, 5, 0x0A, 5, 0x00, 0x00 };
    CHECK(memcmp(dsdt + 36, s5, sizeof s5) == 0, "AML: Name (_S5, Package (4) {5, 5, 0, 0})");
    CHECK(boot_get32(fadt + 40) + dl <= base + ACPI_TABLES_SIZE, "all tables inside the block");
    const char *d = getenv("ACPI_DUMP");
    if (d) {
        dump(d, "dsdt.dat", dsdt, dl);
        dump(d, "facp.dat", fadt, 116);
        dump(d, "rsdt.dat", rsdt, 40);
        dump(d, "facs.dat", facs, 64);
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
    t.map[0].size = 0xA0000;    /* a map that hands the EBDA out as RAM */
    t.map[1].type = E820_RAM;
    CHECK(linux_load(&t, &kb, NULL, NULL, &e, err, sizeof err) < 0 && strstr(err, "ACPI"),
          "tables are refused in memory the map calls RAM (%s)", err);
    free(k);
    free(ram);
    return test_summary();
}
