/* PIIX3 PCI-to-ISA bridge, function 0 (Intel 82371SB datasheet, order
 * 290550: section 2.2 "PCI to ISA bridge configuration registers",
 * PIRQRC[A:D] at 0x60-0x63; section 2.8 "Reset control register" at
 * I/O 0xCF9).
 *
 * PIRQRC: bit 7 set disables routing; bits 3:0 give the ISA IRQ, of which
 * 3-7, 9-12, 14 and 15 are valid (others behave as disabled). Route and
 * input-level changes recompute which ISA lines the PIRQs hold high and
 * drive only the lines that changed. Reset control: a write with bit 2
 * (RCPU) set resets the system (bit 1 chooses hard or soft reset, both a
 * full board reset here); bit 1 reads back. Other registers (IORT, XBCS,
 * TOM, MSTAT, MBIRQ, MBDMA, PCSC, APICBASE, DLC, SMI registers) are plain
 * storage with their reset values. Left out: the DMA and ISA bus timing
 * they configure, SMI generation, motherboard IRQ (MBIRQ) routing. */
#include "hw/piix3.h"

#include <string.h>
#include "util/savestate.h"

#define PIRQRC 0x60
#define RC_SRST 0x02
#define RC_RCPU 0x04

static bool valid_isa_irq(unsigned irq)
{
    return irq >= 3 && irq <= 15 && irq != 8 && irq != 13;
}

int piix3_pirq_route(const struct piix3 *s, int n)
{
    uint8_t r = s->pci.config[PIRQRC + (n & 3)];
    if ((r & 0x80) || !valid_isa_irq(r & 15))
        return -1;
    return r & 15;
}

static void update(struct piix3 *s)
{
    uint16_t lv = 0;
    for (int n = 0; n < 4; n++) {
        int irq = piix3_pirq_route(s, n);
        if (irq >= 0 && (s->pirq_level & (1u << n)))
            lv |= (uint16_t)(1u << irq);
    }
    uint16_t ch = lv ^ s->isa_level;
    s->isa_level = lv;
    for (int i = 0; i < 16; i++)
        if (ch & (1u << i))
            irq_set(&s->isa[i], (lv >> i) & 1);
}

void piix3_set_pirq(void *opaque, int n, int level)
{
    struct piix3 *s = opaque;
    if (n < 0 || n > 3)
        return;
    if (level)
        s->pirq_level |= (uint8_t)(1u << n);
    else
        s->pirq_level &= (uint8_t)~(1u << n);
    update(s);
}

struct irq_line piix3_pirq_line(struct piix3 *s, int n)
{
    struct irq_line l = { piix3_set_pirq, s, n };
    return l;
}

int piix3_pirq_of(unsigned slot, unsigned pin)
{
    return (int)((slot + pin - 2) & 3);
}

static void write_hook(struct pci_device *d, unsigned off, uint32_t val, unsigned size)
{
    update(d->opaque);
}

static void cf9_write(void *opaque, uint8_t v)
{
    struct piix3 *s = opaque;
    s->rc = v & RC_SRST;
    if (v & RC_RCPU)
        sysctl_reset(&s->ops);
}

static uint8_t cf9_read(void *opaque)
{
    struct piix3 *s = opaque;
    return s->rc;
}

void piix3_reset(struct piix3 *s)
{
    struct pci_device *d = &s->pci;
    memset(d->config + 0x40, 0, 0xc0);
    pci_set16(d, PCI_COMMAND, 0x0007);
    pci_set16(d, PCI_STATUS, 0x0200);
    pci_set8(d, 0x4c, 0x4d);            /* IORT */
    pci_set16(d, 0x4e, 0x0003);         /* XBCS */
    for (int n = 0; n < 4; n++)
        pci_set8(d, PIRQRC + (unsigned)n, 0x80);
    pci_set8(d, 0x69, 0x02);            /* TOM */
    pci_set16(d, 0x6a, 0x0000);         /* MSTAT */
    pci_set8(d, 0x70, 0x80);            /* MBIRQ0 */
    pci_set8(d, 0x71, 0x80);            /* MBIRQ1 */
    pci_set8(d, 0x76, 0x0c);            /* MBDMA0 */
    pci_set8(d, 0x77, 0x0c);            /* MBDMA1 */
    pci_set16(d, 0x78, 0x0002);         /* PCSC */
    pci_set8(d, 0xa0, 0x08);            /* SMICNTL */
    pci_set8(d, 0xa8, 0x0f);            /* FTMR */
    memset(d->wmask + 0x4c, 0xff, 0xb0 - 0x4c);
    for (int n = 0; n < 4; n++)
        d->wmask[PIRQRC + n] = 0x8f;
    s->rc = 0;
    update(s);
}

int piix3_init(struct piix3 *s, struct pci_bus *bus, const struct irq_line isa_irq[16],
               const struct sysctl_ops *ops)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 16; i++)
        s->isa[i] = isa_irq[i];
    if (ops)
        s->ops = *ops;
    pci_device_init(&s->pci, "piix3", 0x8086, 0x7000, 0x060100, 0x00, 0x80);
    s->pci.opaque = s;
    s->pci.write_hook = write_hook;
    piix3_reset(s);
    if (pci_register(bus, &s->pci, PCI_DEVFN(1, 0)))
        return -1;
    bus->cf9_write = cf9_write;
    bus->cf9_read = cf9_read;
    bus->cf9_opaque = s;
    return 0;
}

/* The configuration space is saved with the bus (pci_bus_save); this
 * section holds the input levels and the reset control register. */
#define PIIX3_SS_VERSION 1

void piix3_save(const struct piix3 *s, struct savestate *ss)
{
    ss_section_begin(ss, "piix3", PIIX3_SS_VERSION);
    ss_put(ss, "pirq_level", s->pirq_level);
    ss_put(ss, "rc", s->rc);
    ss_section_end(ss);
}

int piix3_load(struct piix3 *s, struct savestate *ss)
{
    uint8_t pirq, rc;
    if (ss_section_open(ss, "piix3", 1, PIIX3_SS_VERSION, NULL))
        return -1;
    ss_get_u8(ss, "pirq_level", 0x0f, &pirq);
    ss_get_u8(ss, "rc", RC_SRST, &rc);
    if (ss->err)
        return -1;
    s->pirq_level = pirq;
    s->rc = rc;
    update(s);                          /* drive the ISA lines that differ */
    return 0;
}
