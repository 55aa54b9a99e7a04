/* Minimal SMBIOS tables: the 32-bit entry point and three structures, so
 * the OS reports who made the machine ("DMI: rawbox Standard PC ...")
 * instead of "DMI not present". A kernel booted directly gets them at a
 * fixed address; SeaBIOS gets the entry point and the structures without
 * type 0 through fw_cfg, as from QEMU, and adds its own BIOS information.
 *
 * Follows the DMTF SMBIOS specification (DSP0134 3.x): 5.2.1 (SMBIOS 2.1
 * 32-bit entry point: "_SM_" anchor, intermediate "_DMI_" anchor, both
 * checksums), 6.1 (structure header, string sets ending in a double NUL),
 * 7.1 (type 0, BIOS Information, 2.4 length 18h), 7.2 (type 1, System
 * Information, 2.4 length 1Bh) and 7.45 (type 127, End-of-Table). The
 * tables claim version 2.4, the oldest with every field written here.
 *
 * Left out: processor, memory-device and slot structures (Linux takes
 * those facts from CPUID and the e820 map), the 64-bit SMBIOS 3 entry
 * point, serial numbers and UUID (zero: "not present"). */
#include "boot/smbios.h"

#include <string.h>

#include "boot/loader.h"

#define TABLE_OFF 0x20          /* structure table after the entry point */

static uint8_t checksum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return (uint8_t)-s;
}

/* Append the NUL-terminated strings in `strs` (a list ending with NULL)
 * and the set's closing NUL. Returns the new end. */
static uint8_t *strings(uint8_t *p, const char *const *strs)
{
    if (!strs[0])
        *p++ = 0;               /* no strings: still two NULs */
    for (int k = 0; strs[k]; k++) {
        size_t n = strlen(strs[k]) + 1;
        memcpy(p, strs[k], n);
        p += n;
    }
    *p++ = 0;
    return p;
}

void smbios_build_blob(struct smbios_blob *b, bool with_bios, uint32_t table_addr)
{
    memset(b, 0, sizeof *b);
    uint8_t *t = b->tables, *s;
    uint16_t max_size = 0, count = 0;

    if (with_bios) {
        /* Type 0: BIOS Information. */
        s = t;
        s[0] = 0;
        s[1] = 0x18;
        boot_put16(s + 2, 0x0000);          /* handle */
        s[4] = 1;                           /* vendor: string 1 */
        s[5] = 2;                           /* version */
        boot_put16(s + 6, 0xF000);          /* starting address segment */
        s[8] = 3;                           /* release date */
        s[9] = 0;                           /* ROM size: 64 KiB */
        boot_put32(s + 10, 1u << 3);        /* characteristics not supported */
        s[0x12] = 0;                        /* extension bytes */
        s[0x13] = 1u << 4;                  /* byte 2 bit 4: a virtual machine */
        s[0x14] = 0;                        /* system BIOS release 0.1 */
        s[0x15] = 1;
        s[0x16] = 0xFF;                     /* no embedded controller */
        s[0x17] = 0xFF;
        /* Linux keys some defaults on the BIOS year (from 2023 on it ignores
         * E820 reservations for PCI host bridge windows): a date before that
         * keeps its choices those it makes under SeaBIOS. */
        static const char *const bios_str[] = { "rawbox", "rawbox direct boot", "01/01/2020",
                                                NULL };
        t = strings(s + s[1], bios_str);
        if (t - s > max_size)
            max_size = (uint16_t)(t - s);
        count++;
    }

    /* Type 1: System Information. */
    s = t;
    s[0] = 1;
    s[1] = 0x1B;
    boot_put16(s + 2, 0x0100);
    s[4] = 1;                               /* manufacturer */
    s[5] = 2;                               /* product name */
    s[6] = 3;                               /* version */
    s[7] = 0;                               /* no serial number */
    /* 8..23: UUID all zero: not present. */
    s[0x18] = 6;                            /* wake-up type: power switch */
    s[0x19] = 0;                            /* no SKU */
    s[0x1A] = 0;                            /* no family */
    static const char *const sys_str[] = { "rawbox", "Standard PC (i440FX + PIIX3)", "1", NULL };
    t = strings(s + s[1], sys_str);
    if (t - s > max_size)
        max_size = (uint16_t)(t - s);
    count++;

    /* Type 127: End-of-Table. */
    s = t;
    s[0] = 127;
    s[1] = 4;
    boot_put16(s + 2, 0x7F00);
    static const char *const none[] = { NULL };
    t = strings(s + 4, none);
    count++;

    b->tables_len = (uint16_t)(t - b->tables);

    /* The 32-bit entry point. */
    uint8_t *e = b->anchor;
    memcpy(e, "_SM_", 4);
    e[5] = SMBIOS_EP_LEN;
    e[6] = 2;                               /* SMBIOS 2.4 */
    e[7] = 4;
    boot_put16(e + 8, max_size);
    e[10] = 0;                              /* entry point revision */
    memcpy(e + 16, "_DMI_", 5);
    boot_put16(e + 22, b->tables_len);
    boot_put32(e + 24, table_addr);
    boot_put16(e + 28, count);
    e[30] = 0x24;                           /* BCD revision */
    e[21] = checksum(e + 16, 15);           /* intermediate checksum */
    e[4] = checksum(e, SMBIOS_EP_LEN);
}

uint32_t smbios_build(uint8_t *buf, uint32_t base)
{
    struct smbios_blob b;
    smbios_build_blob(&b, true, base + TABLE_OFF);
    memset(buf, 0, SMBIOS_TABLES_SIZE);
    memcpy(buf, b.anchor, SMBIOS_EP_LEN);
    memcpy(buf + TABLE_OFF, b.tables, b.tables_len);
    return TABLE_OFF + b.tables_len;
}
