/* Minimal ACPI 1.0 tables for a kernel booted directly (no firmware), so
 * the OS can power the machine off: RSDP -> RSDT -> FADT -> FACS + DSDT.
 *
 * Follows the ACPI specification 6.5, s5.2.5 (RSDP, revision 0 layout),
 * s5.2.6 (table header), s5.2.7 (RSDT), s5.2.9 (FADT, the 116-byte
 * revision 1 layout), s5.2.10 (FACS) and s7.4.2 (\_S5 package). The FADT
 * describes only PM1a event and control blocks, the 24-bit PM timer (a
 * clock the OS can calibrate the TSC against and use as a clocksource)
 * and the SCI; SMI_CMD is 0, which tells the OS the hardware is always in
 * ACPI mode. The DSDT holds \_S5 and the PCI host bridge \_SB.PCI0
 * (PNP0A03, with its bus, I/O and memory windows in _CRS: s6.4 resource
 * descriptors, s19.6 for the AML encodings), so the OS enumerates PCI.
 * No GPE blocks, no MADT (the OS uses the 8259 PICs), no _PRT, no
 * processor objects, no PNP device objects for the ISA devices (the OS
 * probes their legacy ports), no fixed power or sleep button. Linux finds
 * the RSDP through boot_params.acpi_rsdp_addr (src/boot/linux.c). */
#include "boot/acpi.h"

#include <string.h>

#include "boot/loader.h"

/* Offsets inside the block written by acpi_build(). */
#define O_RSDP 0x000    /* 20 bytes */
#define O_RSDT 0x018    /* 36 + 4 */
#define O_FADT 0x040    /* 116 */
#define O_FACS 0x0c0    /* 64, 64-byte aligned (base is) */
#define O_DSDT 0x100    /* 36 + up to 0x100 bytes of AML */

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

/* PkgLength in its two-byte form (ACPI 6.5 s20.2.4) for the bytes from
 * `at` (the PkgLength itself) to `end`; every package written here is
 * 64..4095 bytes long, where two bytes is also the shortest form. */
static void pkglen2(uint8_t *at, const uint8_t *end)
{
    uint32_t len = (uint32_t)(end - at);
    at[0] = (uint8_t)(0x40 | (len & 0x0f));
    at[1] = (uint8_t)(len >> 4);
}

static uint8_t *name_seg(uint8_t *a, const char *seg)
{
    memcpy(a, seg, 4);
    return a + 4;
}

/* Word Address Space Descriptor (s6.4.3.5.3), produced by the bridge,
 * fixed minimum and maximum. type: 1 I/O, 2 bus numbers. */
static uint8_t *word_space(uint8_t *a, uint8_t type, uint8_t tflags, uint16_t min, uint16_t max)
{
    *a++ = 0x88;
    boot_put16(a, 13);
    a += 2;
    *a++ = type;
    *a++ = 0x0c;                            /* _MAF, _MIF; producer; positive decode */
    *a++ = tflags;
    boot_put16(a, 0);                       /* granularity */
    boot_put16(a + 2, min);
    boot_put16(a + 4, max);
    boot_put16(a + 6, 0);                   /* translation */
    boot_put16(a + 8, (uint16_t)(max - min + 1));
    return a + 10;
}

/* DWord Address Space Descriptor (s6.4.3.5.2) for memory. */
static uint8_t *dword_mem(uint8_t *a, uint8_t tflags, uint32_t min, uint32_t max)
{
    *a++ = 0x87;
    boot_put16(a, 23);
    a += 2;
    *a++ = 0;                               /* memory range */
    *a++ = 0x0c;
    *a++ = tflags;
    boot_put32(a, 0);
    boot_put32(a + 4, min);
    boot_put32(a + 8, max);
    boot_put32(a + 12, 0);
    boot_put32(a + 16, max - min + 1);
    return a + 20;
}

/* Scope (\_SB) { Device (PCI0) { _HID PNP0A03, _ADR 0, _UID 0, _CRS } }:
 * the host bridge, so an ACPI OS enumerates bus 0 (Linux does not probe
 * PCI by itself when ACPI is on). _CRS gives the bus range 0-255, the
 * configuration ports 0xCF8-0xCFF, the I/O windows on either side of
 * them, the VGA window 0xA0000-0xBFFFF and the 32-bit MMIO window from
 * p->pci_mem_start to 0xFEBFFFFF (none when pci_mem_start is 0). No _PRT
 * yet: no device on the bus has an interrupt pin. */
static uint8_t *pci0(uint8_t *a, const struct acpi_params *p)
{
    *a++ = 0x10;                            /* Scope */
    uint8_t *scope_len = a;
    a += 2;
    *a++ = '\\';
    a = name_seg(a, "_SB_");
    *a++ = 0x5b;                            /* Device */
    *a++ = 0x82;
    uint8_t *dev_len = a;
    a += 2;
    a = name_seg(a, "PCI0");
    *a++ = 0x08;
    a = name_seg(a, "_HID");
    *a++ = 0x0c;                            /* DWordPrefix: EisaId ("PNP0A03") */
    *a++ = 0x41; *a++ = 0xd0; *a++ = 0x0a; *a++ = 0x03;
    *a++ = 0x08;
    a = name_seg(a, "_ADR");
    *a++ = 0x00;
    *a++ = 0x08;
    a = name_seg(a, "_UID");
    *a++ = 0x00;
    *a++ = 0x08;
    a = name_seg(a, "_CRS");
    *a++ = 0x11;                            /* Buffer */
    uint8_t *buf_len = a;
    a += 2;
    *a++ = 0x0a;                            /* BytePrefix: buffer size */
    uint8_t *size = a++;
    uint8_t *r = a;
    r = word_space(r, 2, 0x00, 0x0000, 0x00ff);             /* bus numbers */
    static const uint8_t cfg_io[] = { 0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08 };
    memcpy(r, cfg_io, sizeof cfg_io);                       /* IO 0xCF8, 8 ports */
    r += sizeof cfg_io;
    r = word_space(r, 1, 0x03, 0x0000, 0x0cf7);             /* I/O, entire range */
    r = word_space(r, 1, 0x03, 0x0d00, 0xffff);
    r = dword_mem(r, 0x03, 0x000a0000, 0x000bffff);         /* cacheable, RW */
    if (p->pci_mem_start && p->pci_mem_start < 0xfec00000u)
        r = dword_mem(r, 0x01, p->pci_mem_start, 0xfebfffff);   /* non-cacheable */
    *r++ = 0x79;                            /* End Tag, checksum 0 */
    *r++ = 0x00;
    *size = (uint8_t)(r - a);
    a = r;
    pkglen2(buf_len, a);
    pkglen2(dev_len, a);
    pkglen2(scope_len, a);
    return a;
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
    a = pci0(a, p);
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
