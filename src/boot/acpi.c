/* Minimal ACPI 1.0 tables for a kernel booted directly (no firmware), so
 * the OS can power the machine off: RSDP -> RSDT -> FADT -> FACS + DSDT.
 *
 * Follows the ACPI specification 6.5, s5.2.5 (RSDP, revision 0 layout),
 * s5.2.6 (table header), s5.2.7 (RSDT), s5.2.9 (FADT, the 116-byte
 * revision 1 layout), s5.2.10 (FACS) and s7.4.2 (\_S5 package). The FADT
 * describes only PM1a event and control blocks, the 24-bit PM timer (a
 * clock the OS can calibrate the TSC against and use as a clocksource)
 * and the SCI; SMI_CMD is 0, which tells the OS the hardware is always in
 * ACPI mode. No GPE blocks, no MADT (the OS uses the 8259 PICs), no processor objects,
 * no fixed power or sleep button. Linux finds the RSDP through
 * boot_params.acpi_rsdp_addr (src/boot/linux.c). */
#include "boot/acpi.h"

#include <string.h>

#include "boot/loader.h"

/* Offsets inside the block written by acpi_build(). */
#define O_RSDP 0x000    /* 20 bytes */
#define O_RSDT 0x018    /* 36 + 4 */
#define O_FADT 0x040    /* 116 */
#define O_FACS 0x0c0    /* 64, 64-byte aligned (base is) */
#define O_DSDT 0x100    /* 36 + 14 bytes of AML */

static uint8_t checksum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return (uint8_t)-s;
}

static void header(uint8_t *h, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(h, sig, 4);
    boot_put32(h + 4, len);
    h[8] = rev;
    memcpy(h + 10, "RAWBOX", 6);            /* OEM ID */
    memcpy(h + 16, "RAWBOXPC", 8);          /* OEM table ID */
    boot_put32(h + 24, 1);                  /* OEM revision */
    memcpy(h + 28, "RWBX", 4);              /* creator ID */
    boot_put32(h + 32, 1);                  /* creator revision */
}

uint32_t acpi_build(uint8_t *buf, uint32_t base, const struct acpi_params *p)
{
    memset(buf, 0, ACPI_TABLES_SIZE);

    /* DSDT: Name (_S5, Package (4) { typ, typ, 0, 0 }) */
    static const uint8_t aml_head[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04 };
    uint8_t *d = buf + O_DSDT;
    uint8_t *a = d + 36;
    memcpy(a, aml_head, sizeof aml_head);
    a += sizeof aml_head;
    *a++ = 0x0A; *a++ = p->s5_slp_typ;      /* BytePrefix SLP_TYPa */
    *a++ = 0x0A; *a++ = p->s5_slp_typ;      /* BytePrefix SLP_TYPb */
    *a++ = 0x00; *a++ = 0x00;               /* reserved: Zero, Zero */
    uint32_t dsdt_len = (uint32_t)(a - d);
    header(d, "DSDT", dsdt_len, 1);
    d[9] = checksum(d, dsdt_len);

    /* FACS: no checksum; no waking vector, no global lock owner. */
    uint8_t *fc = buf + O_FACS;
    memcpy(fc, "FACS", 4);
    boot_put32(fc + 4, 64);

    /* FADT, revision 1. */
    uint8_t *f = buf + O_FADT;
    header(f, "FACP", 116, 1);
    boot_put32(f + 36, base + O_FACS);      /* FIRMWARE_CTRL */
    boot_put32(f + 40, base + O_DSDT);      /* DSDT */
    boot_put16(f + 46, p->sci_irq);         /* SCI_INT */
    boot_put32(f + 48, 0);                  /* SMI_CMD: always in ACPI mode */
    boot_put32(f + 56, p->pm_base);         /* PM1a_EVT_BLK */
    boot_put32(f + 64, p->pm_base + 4u);    /* PM1a_CNT_BLK */
    boot_put32(f + 76, p->pm_base + 8u);    /* PM_TMR_BLK */
    f[88] = 4;                              /* PM1_EVT_LEN */
    f[89] = 2;                              /* PM1_CNT_LEN */
    f[91] = 4;                              /* PM_TMR_LEN (TMR_VAL_EXT clear: 24 bits) */
    boot_put16(f + 96, 101);                /* P_LVL2_LAT > 100: no C2 */
    boot_put16(f + 98, 1001);               /* P_LVL3_LAT > 1000: no C3 */
    /* Flags: WBINVD works, C1 supported, power and sleep buttons are not
     * fixed features (there are none). */
    boot_put32(f + 112, (1u << 0) | (1u << 2) | (1u << 4) | (1u << 5));
    f[9] = checksum(f, 116);

    /* RSDT with one entry. */
    uint8_t *r = buf + O_RSDT;
    header(r, "RSDT", 40, 1);
    boot_put32(r + 36, base + O_FADT);
    r[9] = checksum(r, 40);

    /* RSDP, ACPI 1.0 form (20 bytes). */
    uint8_t *rp = buf + O_RSDP;
    memcpy(rp, "RSD PTR ", 8);
    memcpy(rp + 9, "RAWBOX", 6);
    rp[15] = 0;                             /* revision 0 */
    boot_put32(rp + 16, base + O_RSDT);
    rp[8] = checksum(rp, 20);
    return base + O_RSDP;
}
