/* SMBIOS tables for direct kernel boot (src/boot/smbios.c): both anchors
 * and checksums as Linux's dmi_present() checks them, the structure table
 * walked as dmi_walk() does (formatted part, string set, double NUL), the
 * strings Linux prints in its "DMI:" line, and that the Linux loader puts
 * the tables in the F segment only when the map reserves it. */
#include <stdlib.h>
#include <string.h>

#include "boot/linux.h"
#include "boot/loader.h"
#include "boot/smbios.h"
#include "test.h"

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

/* String `n` (1-based) of the structure at s, or NULL. */
static const char *dmi_string(const uint8_t *s, unsigned n)
{
    const char *p = (const char *)s + s[1];
    if (!n)
        return NULL;
    while (--n) {
        if (!*p)
            return NULL;
        p += strlen(p) + 1;
    }
    return *p ? p : NULL;
}

static void check_tables(const uint8_t *mem, uint32_t ep_addr, const char *where)
{
    const uint8_t *e = mem + ep_addr;
    CHECK(memcmp(e, "_SM_", 4) == 0, "%s: _SM_ anchor", where);
    CHECK_EQ(e[5], 0x1f, "%s: entry point length 0x1F", where);
    CHECK_EQ(sum(e, e[5]), 0, "%s: entry point checksum", where);
    CHECK(e[6] == 2 && e[7] == 4 && e[30] == 0x24, "%s: version 2.4", where);
    CHECK(memcmp(e + 16, "_DMI_", 5) == 0, "%s: _DMI_ anchor", where);
    CHECK_EQ(sum(e + 16, 15), 0, "%s: intermediate checksum", where);
    CHECK_EQ(ep_addr & 15, 0, "%s: anchor on a 16-byte boundary", where);
    uint32_t ta = boot_get32(e + 24);
    uint16_t tl = boot_get16(e + 22), n = boot_get16(e + 28), maxs = boot_get16(e + 8);
    CHECK(ta >= ep_addr + 0x1f && ta + tl <= ep_addr + SMBIOS_TABLES_SIZE,
          "%s: structure table inside the block", where);

    const uint8_t *p = mem + ta, *end = p + tl;
    unsigned seen = 0, bad = 0, biggest = 0;
    const uint8_t *type[128] = { 0 };
    while (p + 4 <= end && seen < n) {
        if (p[1] < 4) {
            bad++;
            break;
        }
        type[p[0] & 127] = p;
        const uint8_t *q = p + p[1];
        while (q + 1 < end && (q[0] || q[1]))
            q++;
        q += 2;
        if (q > end) {
            bad++;
            break;
        }
        if ((unsigned)(q - p) > biggest)
            biggest = (unsigned)(q - p);
        seen++;
        p = q;
    }
    CHECK(!bad && seen == n && n == 3, "%s: %u structures walk cleanly", where, seen);
    CHECK_EQ(p, end, "%s: table length matches the structures", where);
    CHECK_EQ(maxs, biggest, "%s: maximum structure size", where);
    CHECK(type[0] && type[0][1] == 0x18, "%s: type 0 (BIOS) of 2.4 length", where);
    CHECK(type[1] && type[1][1] == 0x1b, "%s: type 1 (system) of 2.4 length", where);
    CHECK(type[127] && type[127][1] == 4, "%s: type 127 ends the table", where);
    if (type[0] && type[1]) {
        const char *vendor = dmi_string(type[0], type[0][4]);
        const char *date = dmi_string(type[0], type[0][8]);
        const char *maker = dmi_string(type[1], type[1][4]);
        const char *product = dmi_string(type[1], type[1][5]);
        CHECK(vendor && strcmp(vendor, "rawbox") == 0, "%s: BIOS vendor", where);
        CHECK(date && strlen(date) == 10 && date[2] == '/' && date[5] == '/',
              "%s: BIOS date mm/dd/yyyy", where);
        CHECK(maker && strcmp(maker, "rawbox") == 0, "%s: system manufacturer", where);
        CHECK(product && strstr(product, "i440FX"), "%s: product name", where);
        CHECK_EQ(dmi_string(type[1], type[1][7]), NULL, "%s: no serial number", where);
    }
}

int main(void)
{
    static uint8_t buf[SMBIOS_TABLES_SIZE + 64];
    memset(buf, 0xAA, sizeof buf);
    uint32_t n = smbios_build(buf, SMBIOS_ADDR);
    CHECK(n > 0x20 && n <= SMBIOS_TABLES_SIZE, "smbios_build writes %u bytes, inside its size", n);
    CHECK_EQ(buf[SMBIOS_TABLES_SIZE], 0xAA, "nothing written past SMBIOS_TABLES_SIZE");
    uint8_t *mem = calloc(1, 0x100000);
    memcpy(mem + SMBIOS_ADDR, buf, SMBIOS_TABLES_SIZE);
    check_tables(mem, SMBIOS_ADDR, "built");
    free(mem);

    /* For the firmware (fw_cfg): no type 0, which SeaBIOS adds; the anchor
     * describes exactly the tables file, as SeaBIOS requires. */
    static struct smbios_blob b;
    smbios_build_blob(&b, false, 0x12340);
    const uint8_t *a = b.anchor;
    CHECK(memcmp(a, "_SM_", 4) == 0 && a[5] == SMBIOS_EP_LEN && sum(a, SMBIOS_EP_LEN) == 0 &&
          memcmp(a + 16, "_DMI_", 5) == 0 && sum(a + 16, 15) == 0,
          "fw_cfg anchor: both anchors and checksums");
    CHECK(boot_get16(a + 22) == b.tables_len && boot_get32(a + 24) == 0x12340 &&
          boot_get16(a + 28) == 2, "fw_cfg anchor: table length, address, two structures");
    const uint8_t *st = b.tables, *end = b.tables + b.tables_len;
    int types[4], nt = 0;
    while (st + 4 <= end && nt < 4) {
        types[nt++] = st[0];
        const uint8_t *q = st + st[1];
        while (q + 1 < end && (q[0] || q[1]))
            q++;
        st = q + 2;
    }
    CHECK(nt == 2 && types[0] == 1 && types[1] == 127 && st == end,
          "fw_cfg tables: system information and end of table, no BIOS information");

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
    CHECK_EQ(linux_load(&t, &kb, NULL, NULL, &e, err, sizeof err), 0, "Linux loader (%s)", err);
    check_tables(ram, SMBIOS_ADDR, "loader");

    /* A map that hands the F segment out as RAM: no tables there. */
    memset(ram + SMBIOS_ADDR, 0, SMBIOS_TABLES_SIZE);
    for (int i = 0; i < t.map_len; i++)
        if (t.map[i].addr == SMBIOS_ADDR)
            t.map[i].type = E820_RAM;
    CHECK_EQ(linux_load(&t, &kb, NULL, NULL, &e, err, sizeof err), 0, "loads (%s)", err);
    CHECK(memcmp(ram + SMBIOS_ADDR, "_SM_", 4) != 0, "no tables in memory the map calls RAM");
    free(k);
    free(ram);
    return test_summary();
}
