/* Minimal ACPI 1.0 tables of the board, so the OS can power the machine
 * off, finds the APICs, the HPET and the PCI interrupt routing:
 * RSDP -> RSDT -> FADT -> FACS + DSDT (+ MADT, HPET).
 *
 * One builder for both ways the tables reach a guest: they are built
 * position-independently (acpi_build_blob: every pointer an offset into
 * the tables file, with a list of pointer fields and checksums), then
 * either placed at a fixed address for a kernel booted directly
 * (acpi_build: Linux finds the RSDP through boot_params.acpi_rsdp_addr,
 * src/boot/linux.c) or handed to SeaBIOS through fw_cfg with QEMU's
 * linker/loader script (src/boot/acpi_loader.c, src/vm/firmware.c).
 *
 * Follows the ACPI specification 6.5, s5.2.5 (RSDP, revision 0 layout),
 * s5.2.6 (table header), s5.2.7 (RSDT), s5.2.9 (FADT, the 116-byte
 * revision 1 layout), s5.2.10 (FACS) and s7.4.2 (\_S5 package). The FADT
 * describes only PM1a event and control blocks, the 24-bit PM timer (a
 * clock the OS can calibrate the TSC against and use as a clocksource)
 * and the SCI; SMI_CMD is 0, which tells the OS the hardware is always in
 * ACPI mode. The DSDT holds \_S5, the PCI host bridge \_SB.PCI0
 * (PNP0A03, with its bus, I/O and memory windows in _CRS) and under it the
 * PIIX3's legacy devices (keyboard, mouse, RTC, COM1, COM2 with their
 * ports and IRQs), so the OS enumerates PCI and finds the ISA devices
 * without probing (s6.4 resource descriptors, s19.6 and s20 for the AML
 * encodings). With p->pirq_of it also holds the PCI interrupt routing:
 * link devices LNKA-LNKD on the PIIX3's PIRQ route registers and a _PRT
 * (s6.2.13, s6.2.14; see pci_irq_routing). With p->apic a MADT (s5.2.12)
 * is added, laid out as
 * QEMU's pc board does: CPU 0's local APIC (ID 0) at 0xFEE00000, PCAT_COMPAT
 * (8259s present), the I/O APIC (ID 0) at 0xFEC00000 with GSI base 0,
 * interrupt source overrides ISA IRQ0 -> GSI 2 and IRQ 5, 9 (the SCI), 10,
 * 11 -> same GSI level-triggered active-high (the PCI/SCI lines, as QEMU's
 * PCI_ISA_IRQ_MASK), and LINT1 as NMI for all processors; the RSDT lists
 * FADT and MADT. With p->hpet an HPET table (IA-PC
 * HPET specification 1.0a s3.2.4: event timer block ID = the low half of
 * the capabilities register, base 0xFED00000 in system memory, HPET number
 * 0, minimum periodic tick 128) follows as well, and the DSDT gets
 * \_SB.HPE0 (PNP0103, _STA 0x0F, _CRS Memory32Fixed read-only
 * 0xFED00000, 1 KiB), as in QEMU's DSDT. No GPE blocks, no processor
 * objects, no fixed power or sleep button. */
#include "boot/acpi.h"

#include <stdlib.h>
#include <string.h>

#include "boot/loader.h"

/* Offsets inside the block written by acpi_build(). */
#define O_RSDP 0x000    /* 20 bytes */
#define O_RSDT 0x018    /* 36 + 4 */
#define O_FADT 0x040    /* 116 */
#define O_FACS 0x0c0    /* 64, 64-byte aligned (base is) */
#define O_DSDT 0x100    /* 36 + up to 0x300 bytes of AML */

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

/* Close a package whose one-byte PkgLength placeholder is at `len_at` and
 * whose contents end at `end` (ACPI 6.5 s20.2.4): one byte up to 63, else
 * two (up to 4095) or three, the contents moving up to make room. Returns
 * the new end. Packages nest: close the inner one first. */
static uint8_t *pkg_close(uint8_t *len_at, uint8_t *end)
{
    uint32_t len = (uint32_t)(end - len_at);
    if (len <= 63) {
        *len_at = (uint8_t)len;
        return end;
    }
    unsigned extra = len + 1 <= 0xfff ? 1 : 2;
    if (len + extra > 0xfffff)              /* a build-time bug, not a guest input */
        abort();
    memmove(len_at + 1 + extra, len_at + 1, (size_t)(end - len_at - 1));
    len += extra;
    len_at[0] = (uint8_t)(extra << 6 | (len & 0x0f));
    len_at[1] = (uint8_t)(len >> 4);
    if (extra == 2)
        len_at[2] = (uint8_t)(len >> 12);
    return end + extra;
}

static uint8_t *name_seg(uint8_t *a, const char *seg)
{
    memcpy(a, seg, 4);
    return a + 4;
}

/* Name (_HID, EisaId (id)) for a 7-character PNP ID such as "PNP0A03". */
static uint8_t *name_hid(uint8_t *a, const char *id)
{
    uint16_t vendor = (uint16_t)(((id[0] - 0x40) & 0x1f) << 10 | ((id[1] - 0x40) & 0x1f) << 5 |
                                 ((id[2] - 0x40) & 0x1f));
    unsigned prod = 0;
    for (int k = 3; k < 7; k++)
        prod = prod << 4 | (unsigned)(id[k] <= '9' ? id[k] - '0' : id[k] - 'A' + 10);
    *a++ = 0x08;
    a = name_seg(a, "_HID");
    *a++ = 0x0c;                            /* DWordPrefix, bytes in ID order */
    *a++ = (uint8_t)(vendor >> 8);
    *a++ = (uint8_t)vendor;
    *a++ = (uint8_t)(prod >> 8);
    *a++ = (uint8_t)prod;
    return a;
}

/* Name (seg, n) for a small integer. */
static uint8_t *name_int(uint8_t *a, const char *seg, uint32_t n)
{
    *a++ = 0x08;
    a = name_seg(a, seg);
    if (n <= 1) {
        *a++ = (uint8_t)n;                  /* ZeroOp / OneOp */
    } else if (n <= 0xff) {
        *a++ = 0x0a;
        *a++ = (uint8_t)n;
    } else {
        *a++ = 0x0c;
        boot_put32(a, n);
        a += 4;
    }
    return a;
}

/* Device (seg) {: returns where the PkgLength placeholder is. */
static uint8_t *device_open(uint8_t **a, const char *seg)
{
    uint8_t *p = *a;
    *p++ = 0x5b;
    *p++ = 0x82;
    uint8_t *len_at = p++;
    *a = name_seg(p, seg);
    return len_at;
}

/* Name (_CRS, Buffer () {: returns where the buffer's PkgLength is; the
 * descriptors follow the size byte, written by crs_close(). */
static uint8_t *crs_open(uint8_t **a)
{
    uint8_t *p = *a;
    *p++ = 0x08;
    p = name_seg(p, "_CRS");
    *p++ = 0x11;                            /* Buffer */
    uint8_t *len_at = p++;
    *p++ = 0x0a;                            /* BytePrefix: buffer size */
    p++;                                    /* the size */
    *a = p;
    return len_at;
}

static uint8_t *crs_close(uint8_t *len_at, uint8_t *end)
{
    *end++ = 0x79;                          /* End Tag, checksum 0 */
    *end++ = 0x00;
    len_at[2] = (uint8_t)(end - (len_at + 3));
    return pkg_close(len_at, end);
}

/* I/O port descriptor (s6.4.2.5), 16-bit decode, fixed range. */
static uint8_t *res_io(uint8_t *a, uint16_t port, uint8_t len)
{
    *a++ = 0x47;
    *a++ = 0x01;
    boot_put16(a, port);
    boot_put16(a + 2, port);
    a[4] = 1;
    a[5] = len;
    return a + 6;
}

/* IRQ descriptor without flags (s6.4.2.1): edge, active high. */
static uint8_t *res_irq(uint8_t *a, unsigned irq)
{
    *a++ = 0x22;
    boot_put16(a, (uint16_t)(1u << irq));
    return a + 2;
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

/* An ISA device with a PNP ID, optional _UID, up to two I/O ranges and
 * one IRQ. */
struct isa_dev {
    const char *name, *hid;
    int uid;                                /* -1: none */
    uint16_t io[2];
    uint8_t io_len[2];
    uint8_t irq;
};

/* The board's legacy devices, as an OS would otherwise probe them. */
static const struct isa_dev isa_devs[] = {
    { "KBD_", "PNP0303", -1, { 0x60, 0x64 }, { 1, 1 }, 1 },
    { "MOU_", "PNP0F13", -1, { 0, 0 }, { 0, 0 }, 12 },
    { "RTC_", "PNP0B00", -1, { 0x70, 0 }, { 2, 0 }, 8 },
    { "COM1", "PNP0501", 1, { 0x3f8, 0 }, { 8, 0 }, 4 },
    { "COM2", "PNP0501", 2, { 0x2f8, 0 }, { 8, 0 }, 3 },
};

static uint8_t *isa_device(uint8_t *a, const struct isa_dev *dv)
{
    uint8_t *dev = device_open(&a, dv->name);
    a = name_hid(a, dv->hid);
    if (dv->uid >= 0)
        a = name_int(a, "_UID", (uint32_t)dv->uid);
    uint8_t *crs = crs_open(&a);
    for (int k = 0; k < 2; k++)
        if (dv->io_len[k])
            a = res_io(a, dv->io[k], dv->io_len[k]);
    a = res_irq(a, dv->irq);
    a = crs_close(crs, a);
    return pkg_close(dev, a);
}

/* Method (seg, flags) {: returns where the PkgLength placeholder is. */
static uint8_t *method_open(uint8_t **a, const char *seg, uint8_t flags)
{
    uint8_t *p = *a;
    *p++ = 0x14;
    uint8_t *len_at = p++;
    p = name_seg(p, seg);
    *p++ = flags;
    *a = p;
    return len_at;
}

/* Extended Interrupt Descriptor (s6.4.3.6): consumer, level-triggered,
 * active-high, shared, one DWORD per IRQ. */
static uint8_t *res_ext_irq(uint8_t *a, const uint8_t *irqs, unsigned n)
{
    *a++ = 0x89;
    boot_put16(a, (uint16_t)(2 + 4 * n));
    a[2] = 0x09;                            /* consumer | shared; level, high: 0 */
    a[3] = (uint8_t)n;
    a += 4;
    for (unsigned k = 0; k < n; k++, a += 4)
        boot_put32(a, irqs[k]);
    return a;
}

/* The IRQs a link offers: those the MADT makes level, active high (besides
 * the SCI's 9), as QEMU's LNKA-LNKD. */
static const uint8_t link_irqs[] = { 5, 10, 11 };

/* Inside \_SB.PCI0, after ISA_ (whose OperationRegion PIRQ covers the
 * PIIX3's PIRQRC[A-D], PCI configuration 0x60-0x63), as QEMU's piix DSDT:
 *   Field (ISA_.PIRQ, ByteAcc, NoLock, Preserve) { PRQA,8, PRQB,8, PRQC,8, PRQD,8 }
 *   Method (IQST, 1) { If (And (0x80, Arg0)) { Return (0x09) } Return (0x0B) }
 *   Method (IQCR, 1, Serialized) { Name (PRR0, ResourceTemplate () {
 *       Interrupt (, Level, ActiveHigh, Shared) { 0 } })
 *     CreateDWordField (PRR0, 5, PRRI)
 *     If (LLess (Arg0, 0x80)) { And (Arg0, 0x0F, PRRI) } Return (PRR0) }
 *   Device (LNKx) { _HID PNP0C0F, _UID n, _PRS { 5, 10, 11 },
 *     _STA IQST (PRQx), _DIS Or (PRQx, 0x80, PRQx), _CRS IQCR (PRQx),
 *     _SRS (1) { CreateDWordField (Arg0, 5, PRRI) Store (PRRI, PRQx) } }
 *   Name (_PRT, Package { for every slot 0-31 and pin INTA-INTD:
 *     Package { slot << 16 | 0xFFFF, pin, LNKx, 0 } })
 * A link's register holds the ISA IRQ (bit 7: disabled) that both the 8259
 * and the I/O APIC pin of the same number see (src/vm/machine_pc.c), so
 * the one _CRS is right in PIC and in APIC mode. */
static uint8_t *pci_irq_routing(uint8_t *a, const struct acpi_params *p)
{
    static const char *const reg[4] = { "PRQA", "PRQB", "PRQC", "PRQD" };
    *a++ = 0x5b;                            /* Field */
    *a++ = 0x81;
    uint8_t *field = a++;
    *a++ = 0x2e;                            /* DualNamePrefix ISA_.PIRQ */
    a = name_seg(a, "ISA_");
    a = name_seg(a, "PIRQ");
    *a++ = 0x01;                            /* ByteAcc, NoLock, Preserve */
    for (int n = 0; n < 4; n++) {
        a = name_seg(a, reg[n]);
        *a++ = 8;                           /* bits */
    }
    a = pkg_close(field, a);

    uint8_t *m = method_open(&a, "IQST", 1);
    *a++ = 0xa0;                            /* If */
    uint8_t *cond = a++;
    static const uint8_t iqst[] = { 0x7b, 0x0a, 0x80, 0x68, 0x00,   /* And (0x80, Arg0) */
                                    0xa4, 0x0a, 0x09 };             /* Return (0x09) */
    memcpy(a, iqst, sizeof iqst);
    a = pkg_close(cond, a + sizeof iqst);
    *a++ = 0xa4; *a++ = 0x0a; *a++ = 0x0b;  /* Return (0x0B) */
    a = pkg_close(m, a);

    m = method_open(&a, "IQCR", 0x09);      /* one argument, serialized */
    *a++ = 0x08;
    a = name_seg(a, "PRR0");
    *a++ = 0x11;
    uint8_t *buf = a++;
    *a++ = 0x0a;
    uint8_t *size = a++;
    uint8_t *start = a;
    a = res_ext_irq(a, (const uint8_t[]){ 0 }, 1);
    *a++ = 0x79; *a++ = 0x00;
    *size = (uint8_t)(a - start);
    a = pkg_close(buf, a);
    *a++ = 0x8a;                            /* CreateDWordField (PRR0, 5, PRRI) */
    a = name_seg(a, "PRR0");
    *a++ = 0x0a; *a++ = 0x05;
    a = name_seg(a, "PRRI");
    *a++ = 0xa0;
    cond = a++;
    *a++ = 0x95; *a++ = 0x68; *a++ = 0x0a; *a++ = 0x80;      /* LLess (Arg0, 0x80) */
    *a++ = 0x7b; *a++ = 0x68; *a++ = 0x0a; *a++ = 0x0f;      /* And (Arg0, 0x0F, PRRI) */
    a = name_seg(a, "PRRI");
    a = pkg_close(cond, a);
    *a++ = 0xa4;
    a = name_seg(a, "PRR0");
    a = pkg_close(m, a);

    for (int n = 0; n < 4; n++) {
        char name[5] = { 'L', 'N', 'K', (char)('A' + n), 0 };
        uint8_t *dev = device_open(&a, name);
        a = name_hid(a, "PNP0C0F");
        a = name_int(a, "_UID", (uint32_t)n);
        *a++ = 0x08;
        a = name_seg(a, "_PRS");
        *a++ = 0x11;
        buf = a++;
        *a++ = 0x0a;
        size = a++;
        start = a;
        a = res_ext_irq(a, link_irqs, sizeof link_irqs);
        *a++ = 0x79; *a++ = 0x00;
        *size = (uint8_t)(a - start);
        a = pkg_close(buf, a);
        m = method_open(&a, "_STA", 0);
        *a++ = 0xa4;
        a = name_seg(a, "IQST");
        a = name_seg(a, reg[n]);
        a = pkg_close(m, a);
        m = method_open(&a, "_DIS", 0);
        *a++ = 0x7d;                        /* Or (PRQx, 0x80, PRQx) */
        a = name_seg(a, reg[n]);
        *a++ = 0x0a; *a++ = 0x80;
        a = name_seg(a, reg[n]);
        a = pkg_close(m, a);
        m = method_open(&a, "_CRS", 0);
        *a++ = 0xa4;
        a = name_seg(a, "IQCR");
        a = name_seg(a, reg[n]);
        a = pkg_close(m, a);
        m = method_open(&a, "_SRS", 0x09);
        *a++ = 0x8a;                        /* CreateDWordField (Arg0, 5, PRRI) */
        *a++ = 0x68;
        *a++ = 0x0a; *a++ = 0x05;
        a = name_seg(a, "PRRI");
        *a++ = 0x70;                        /* Store (PRRI, PRQx) */
        a = name_seg(a, "PRRI");
        a = name_seg(a, reg[n]);
        a = pkg_close(m, a);
        a = pkg_close(dev, a);
    }

    *a++ = 0x08;
    a = name_seg(a, "_PRT");
    *a++ = 0x12;
    uint8_t *prt = a++;
    *a++ = 128;                             /* NumElements */
    for (unsigned slot = 0; slot < 32; slot++) {
        for (unsigned pin = 0; pin < 4; pin++) {
            *a++ = 0x12;
            uint8_t *e = a++;
            *a++ = 4;
            *a++ = 0x0c;
            boot_put32(a, slot << 16 | 0xffff);
            a += 4;
            if (pin <= 1) {
                *a++ = (uint8_t)pin;        /* ZeroOp / OneOp */
            } else {
                *a++ = 0x0a;
                *a++ = (uint8_t)pin;
            }
            char name[5] = { 'L', 'N', 'K', (char)('A' + (p->pirq_of(slot, pin + 1) & 3)), 0 };
            a = name_seg(a, name);
            *a++ = 0x00;                    /* source index */
            a = pkg_close(e, a);
        }
    }
    return pkg_close(prt, a);
}

/* Scope (\_SB) { Device (PCI0) { _HID PNP0A03, _ADR 0, _UID 0, _CRS,
 * Device (ISA) { _ADR 0x00010000, the ISA devices } } }: the host bridge,
 * so an ACPI OS enumerates bus 0 (Linux does not probe PCI by itself when
 * ACPI is on), and the PIIX3's legacy devices with their ports and IRQs,
 * so it need not probe those. PCI0's _CRS gives the bus range 0-255, the
 * configuration ports 0xCF8-0xCFF, the I/O windows on either side of
 * them, the VGA window 0xA0000-0xBFFFF and the 32-bit MMIO window from
 * p->pci_mem_start to 0xFEBFFFFF (none when pci_mem_start is 0); with
 * p->pirq_of, the interrupt links and the _PRT after ISA. */
static uint8_t *pci0(uint8_t *a, const struct acpi_params *p)
{
    *a++ = 0x10;                            /* Scope */
    uint8_t *scope = a++;
    *a++ = '\\';
    a = name_seg(a, "_SB_");
    uint8_t *dev = device_open(&a, "PCI0");
    a = name_hid(a, "PNP0A03");
    a = name_int(a, "_ADR", 0);
    a = name_int(a, "_UID", 0);
    uint8_t *crs = crs_open(&a);
    a = word_space(a, 2, 0x00, 0x0000, 0x00ff);             /* bus numbers */
    a = res_io(a, 0x0cf8, 8);                               /* configuration ports */
    a = word_space(a, 1, 0x03, 0x0000, 0x0cf7);             /* I/O, entire range */
    a = word_space(a, 1, 0x03, 0x0d00, 0xffff);
    a = dword_mem(a, 0x03, 0x000a0000, 0x000bffff);         /* cacheable, RW */
    if (p->pci_mem_start && p->pci_mem_start < 0xfec00000u)
        a = dword_mem(a, 0x01, p->pci_mem_start, 0xfebfffff);   /* non-cacheable */
    a = crs_close(crs, a);
    uint8_t *isa = device_open(&a, "ISA_");
    a = name_int(a, "_ADR", 0x00010000);    /* device 1, function 0: the PIIX3 */
    for (size_t k = 0; k < sizeof isa_devs / sizeof isa_devs[0]; k++)
        a = isa_device(a, &isa_devs[k]);
    if (p->pirq_of) {
        /* OperationRegion (PIRQ, PCI_Config, 0x60, 4): this device's PIRQRC */
        static const uint8_t region[] = { 0x5b, 0x80, 'P', 'I', 'R', 'Q', 0x02,
                                          0x0a, 0x60, 0x0a, 0x04 };
        memcpy(a, region, sizeof region);
        a += sizeof region;
    }
    a = pkg_close(isa, a);
    if (p->pirq_of)
        a = pci_irq_routing(a, p);
    a = pkg_close(dev, a);
    if (p->hpet) {
        uint8_t *hpe = device_open(&a, "HPE0");
        a = name_hid(a, "PNP0103");
        a = name_int(a, "_UID", 0);
        a = name_int(a, "_STA", 0x0f);
        uint8_t *crs = crs_open(&a);
        *a++ = 0x86;                        /* Memory32Fixed (s6.4.3.4) */
        boot_put16(a, 9);
        a[2] = 0;                           /* read-only, as QEMU's */
        boot_put32(a + 3, ACPI_HPET_BASE);
        boot_put32(a + 7, 0x400);
        a += 11;
        a = crs_close(crs, a);
        a = pkg_close(hpe, a);
    }
    return pkg_close(scope, a);
}


const char *const acpi_file_name[ACPI_FILES] = { "etc/acpi/rsdp", "etc/acpi/tables" };

static uint8_t *file_data(struct acpi_blob *b, unsigned file)
{
    return file == ACPI_FILE_RSDP ? b->rsdp : b->tables;
}

/* A 32-bit pointer field at `at` in `file`, to offset `target` of the
 * tables file. */
static void add_ptr(struct acpi_blob *b, unsigned file, uint32_t at, uint32_t target)
{
    if (b->nptr == ACPI_MAX_FIXUPS)         /* a build-time bug, not a guest input */
        abort();
    boot_put32(file_data(b, file) + at, target);
    b->ptr[b->nptr++] = (struct acpi_pointer){ (uint8_t)file, at };
}

static void add_sum(struct acpi_blob *b, unsigned file, uint32_t at, uint32_t start, uint32_t len)
{
    if (b->nsum == ACPI_MAX_FIXUPS)
        abort();
    b->sum[b->nsum++] = (struct acpi_checksum){ (uint8_t)file, at, start, len };
}

/* A table with a standard header at `off` in the tables file: its checksum
 * byte (9) covers the whole table. */
static void table_sum(struct acpi_blob *b, uint32_t off, uint32_t len)
{
    add_sum(b, ACPI_FILE_TABLES, off + 9, off, len);
}

#define T_FACS 0x000    /* 64 bytes, 64-byte aligned (the file is) */
#define T_DSDT 0x040

void acpi_build_blob(struct acpi_blob *b, const struct acpi_params *p)
{
    memset(b, 0, sizeof *b);
    uint8_t *t = b->tables;

    /* FACS: no checksum; no waking vector, no global lock owner. */
    memcpy(t + T_FACS, "FACS", 4);
    boot_put32(t + T_FACS + 4, 64);

    /* DSDT: Name (_S5, Package (4) { typ, typ, 0, 0 }), then \_SB. */
    static const uint8_t aml_head[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04 };
    uint8_t *d = t + T_DSDT;
    uint8_t *a = d + 36;
    memcpy(a, aml_head, sizeof aml_head);
    a += sizeof aml_head;
    *a++ = 0x0A; *a++ = p->s5_slp_typ;      /* BytePrefix SLP_TYPa */
    *a++ = 0x0A; *a++ = p->s5_slp_typ;      /* BytePrefix SLP_TYPb */
    *a++ = 0x00; *a++ = 0x00;               /* reserved: Zero, Zero */
    a = pci0(a, p);
    uint32_t dsdt_len = (uint32_t)(a - d);
    header(d, "DSDT", dsdt_len, 1);
    table_sum(b, T_DSDT, dsdt_len);
    uint32_t next = (T_DSDT + dsdt_len + 7) & ~7u;
    /* The rest is at most FADT 116, MADT 88, HPET 56, RSDT 48 bytes. */
    if (next + 116 + 88 + 56 + 48 + 32 > ACPI_BLOB_MAX)     /* a build-time bug */
        abort();

    /* FADT, revision 1. */
    uint32_t fadt = next;
    uint8_t *f = t + fadt;
    header(f, "FACP", 116, 1);
    add_ptr(b, ACPI_FILE_TABLES, fadt + 36, T_FACS);    /* FIRMWARE_CTRL */
    add_ptr(b, ACPI_FILE_TABLES, fadt + 40, T_DSDT);    /* DSDT */
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
    f[108] = 0x32;                          /* CENTURY: the RTC's CMOS index for it */
    /* Flags: WBINVD works, C1 supported, power and sleep buttons are not
     * fixed features (there are none). */
    boot_put32(f + 112, (1u << 0) | (1u << 2) | (1u << 4) | (1u << 5));
    table_sum(b, fadt, 116);
    next = (fadt + 116 + 7) & ~7u;

    uint32_t madt = 0, hpet = 0;
    if (p->apic) {
        madt = next;
        uint8_t *m = t + madt, *e = m + 44;
        boot_put32(m + 36, 0xfee00000u);        /* local APIC address */
        boot_put32(m + 40, 1);                  /* PCAT_COMPAT */
        e[0] = 0; e[1] = 8; e[2] = 0; e[3] = 0; /* processor 0, APIC ID 0 */
        boot_put32(e + 4, 1);                   /* enabled */
        e += 8;
        e[0] = 1; e[1] = 12; e[2] = 0; e[3] = 0; /* I/O APIC ID 0 */
        boot_put32(e + 4, 0xfec00000u);
        boot_put32(e + 8, 0);                   /* GSI base */
        e += 12;
        static const uint8_t iso_irq[] = { 0, 5, 9, 10, 11 };
        for (size_t k = 0; k < sizeof iso_irq; k++) {
            e[0] = 2; e[1] = 10; e[2] = 0; e[3] = iso_irq[k];     /* bus 0 (ISA) */
            boot_put32(e + 4, iso_irq[k] ? iso_irq[k] : 2u);
            boot_put16(e + 8, iso_irq[k] ? 0x000d : 0);   /* level, active high */
            e += 10;
        }
        e[0] = 4; e[1] = 6; e[2] = 0xff;        /* local APIC NMI, all processors */
        boot_put16(e + 3, 0);
        e[5] = 1;                               /* LINT1 */
        e += 6;
        uint32_t madt_len = (uint32_t)(e - m);
        header(m, "APIC", madt_len, 1);
        table_sum(b, madt, madt_len);
        next = (madt + madt_len + 7) & ~7u;
    }
    if (p->hpet) {
        hpet = next;
        uint8_t *h = t + hpet;
        header(h, "HPET", 56, 1);
        boot_put32(h + 36, ACPI_HPET_BLOCK_ID); /* event timer block ID */
        h[40] = 0;                              /* GAS: system memory */
        boot_put64(h + 44, ACPI_HPET_BASE);
        h[52] = 0;                              /* HPET number */
        boot_put16(h + 53, 128);                /* minimum periodic tick */
        h[55] = 0;                              /* no page protection */
        table_sum(b, hpet, 56);
        next = (hpet + 56 + 7) & ~7u;
    }

    /* RSDT: the FADT, the MADT and the HPET table when there are. */
    uint32_t rsdt = next;
    uint32_t rsdt_len = 40 + (madt ? 4 : 0) + (hpet ? 4 : 0);
    header(t + rsdt, "RSDT", rsdt_len, 1);
    add_ptr(b, ACPI_FILE_TABLES, rsdt + 36, fadt);
    if (madt)
        add_ptr(b, ACPI_FILE_TABLES, rsdt + 40, madt);
    if (hpet)
        add_ptr(b, ACPI_FILE_TABLES, rsdt + rsdt_len - 4, hpet);
    table_sum(b, rsdt, rsdt_len);
    b->tables_len = rsdt + rsdt_len;

    /* RSDP, ACPI 1.0 form (20 bytes). */
    memcpy(b->rsdp, "RSD PTR ", 8);
    memcpy(b->rsdp + 9, "RAWBOX", 6);
    b->rsdp[15] = 0;                        /* revision 0 */
    add_ptr(b, ACPI_FILE_RSDP, 16, rsdt);
    add_sum(b, ACPI_FILE_RSDP, 8, 0, ACPI_RSDP_LEN);
}

uint32_t acpi_build(uint8_t *buf, uint32_t base, const struct acpi_params *p)
{
    struct acpi_blob b;
    acpi_build_blob(&b, p);
    memset(buf, 0, ACPI_TABLES_SIZE);
    uint8_t *file[ACPI_FILES] = { buf, buf + ACPI_TABLES_OFF };
    memcpy(file[ACPI_FILE_RSDP], b.rsdp, ACPI_RSDP_LEN);
    memcpy(file[ACPI_FILE_TABLES], b.tables, b.tables_len);
    /* What the firmware's loader does with the script, at fixed addresses. */
    for (unsigned k = 0; k < b.nptr; k++) {
        uint8_t *at = file[b.ptr[k].file] + b.ptr[k].at;
        boot_put32(at, boot_get32(at) + base + ACPI_TABLES_OFF);
    }
    for (unsigned k = 0; k < b.nsum; k++) {
        const struct acpi_checksum *c = &b.sum[k];
        uint8_t *f = file[c->file];
        f[c->at] = (uint8_t)(f[c->at] + checksum(f + c->start, c->len));
    }
    return base;
}
