/* PCI configuration mechanism #1 and bus 0 (PCI Local Bus Specification
 * 2.1, section 3.7.4.1 "Configuration Mechanism #1"; section 6 for the
 * header layout and BAR sizing).
 *
 * CONFIG_ADDRESS is latched only by 32-bit writes to 0xCF8; reads return it
 * with the reserved bits clear. CONFIG_DATA accesses with the enable bit
 * clear, to another bus or to an empty slot read all ones and drop writes.
 * Left out: configuration mechanism #2, bridges and buses other than 0,
 * type 1 configuration cycles, expansion ROM BARs. */
#include "hw/pci.h"

#include <stdio.h>
#include <string.h>
#include "mem/iobus.h"
#include "util/log.h"
#include "util/savestate.h"

void pci_set8(struct pci_device *d, unsigned off, uint8_t v) { d->config[off & 0xff] = v; }

void pci_set16(struct pci_device *d, unsigned off, uint16_t v)
{
    pci_set8(d, off, (uint8_t)v);
    pci_set8(d, off + 1, (uint8_t)(v >> 8));
}

void pci_set32(struct pci_device *d, unsigned off, uint32_t v)
{
    pci_set16(d, off, (uint16_t)v);
    pci_set16(d, off + 2, (uint16_t)(v >> 16));
}

uint16_t pci_get16(const struct pci_device *d, unsigned off)
{
    return (uint16_t)(d->config[off & 0xff] | d->config[(off + 1) & 0xff] << 8);
}

uint32_t pci_get32(const struct pci_device *d, unsigned off)
{
    return pci_get16(d, off) | (uint32_t)pci_get16(d, off + 2) << 16;
}

void pci_device_init(struct pci_device *d, const char *name, uint16_t vendor, uint16_t device,
                     uint32_t class_code, uint8_t revision, uint8_t header_type)
{
    memset(d, 0, sizeof *d);
    d->name = name;
    pci_set16(d, PCI_VENDOR_ID, vendor);
    pci_set16(d, PCI_DEVICE_ID, device);
    pci_set8(d, PCI_REVISION, revision);
    pci_set8(d, PCI_CLASS_PROG, (uint8_t)class_code);
    pci_set16(d, PCI_CLASS_PROG + 1, (uint16_t)(class_code >> 8));
    pci_set8(d, PCI_HEADER_TYPE, header_type);
    /* Command: I/O, memory, bus master, special cycles, MWI, VGA snoop,
     * parity, SERR, fast back-to-back, INTx disable. */
    d->wmask[PCI_COMMAND] = 0xff;
    d->wmask[PCI_COMMAND + 1] = 0x07;
    /* Status: the error bits are write-1-to-clear. */
    d->w1cmask[PCI_STATUS + 1] = 0xf9;
    d->wmask[0x0c] = 0xff;              /* cache line size */
    d->wmask[0x0d] = 0xff;              /* latency timer */
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

void pci_set_bar(struct pci_device *d, int n, uint32_t size, bool io)
{
    if (n < 0 || n > 5 || size == 0 || (size & (size - 1)))
        return;
    unsigned off = PCI_BAR0 + 4u * (unsigned)n;
    uint32_t mask = ~(size - 1);
    d->bar_size[n] = size;
    mask &= io ? ~3u : ~15u;
    for (int k = 0; k < 4; k++)
        d->wmask[off + k] = (uint8_t)(mask >> (8 * k));
    pci_set32(d, off, io ? 1 : 0);
}

uint32_t pci_bar_base(const struct pci_device *d, int n)
{
    if (n < 0 || n > 5)
        return 0;
    uint32_t v = pci_get32(d, PCI_BAR0 + 4u * (unsigned)n);
    return v & ((v & 1) ? ~3u : ~15u);
}

uint32_t pci_config_read(struct pci_device *d, unsigned off, unsigned size)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < size && off + k < 256; k++)
        v |= (uint32_t)d->config[off + k] << (8 * k);
    return v;
}

void pci_config_write(struct pci_device *d, unsigned off, uint32_t val, unsigned size)
{
    for (unsigned k = 0; k < size && off + k < 256; k++) {
        unsigned o = off + k;
        uint8_t b = (uint8_t)(val >> (8 * k));
        d->config[o] = (uint8_t)((d->config[o] & ~d->wmask[o]) | (b & d->wmask[o]));
        d->config[o] &= (uint8_t)~(b & d->w1cmask[o]);
    }
    if (d->write_hook)
        d->write_hook(d, off, val, size);
}

int pci_register(struct pci_bus *b, struct pci_device *d, unsigned devfn)
{
    if (devfn > 255 || b->dev[devfn]) {
        log_err("pci: cannot place %s at %02x.%u: %s", d->name, devfn >> 3, devfn & 7,
                devfn > 255 ? "out of range" : "slot taken");
        return -1;
    }
    d->devfn = devfn;
    b->dev[devfn] = d;
    return 0;
}

/* The function CONFIG_ADDRESS points at, or NULL. */
static struct pci_device *target(struct pci_bus *b)
{
    if (!(b->addr & 0x80000000u) || ((b->addr >> 16) & 0xff) != 0)
        return NULL;
    return b->dev[(b->addr >> 8) & 0xff];
}

static uint64_t addr_read(void *o, uint64_t off, unsigned size)
{
    struct pci_bus *b = o;
    if (off == 0 && size == 4)
        return b->addr;
    if (off == 1 && size == 1 && b->cf9_read)
        return b->cf9_read(b->cf9_opaque);
    return 0xffffffffu;
}

static void addr_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct pci_bus *b = o;
    if (off == 0 && size == 4)
        b->addr = (uint32_t)v & 0x80fffffcu;
    else if (off == 1 && size == 1 && b->cf9_write)
        b->cf9_write(b->cf9_opaque, (uint8_t)v);
}

static uint64_t data_read(void *o, uint64_t off, unsigned size)
{
    struct pci_bus *b = o;
    struct pci_device *d = target(b);
    if (!d || off + size > 4)
        return 0xffffffffu;
    return pci_config_read(d, (b->addr & 0xfc) + (unsigned)off, size);
}

static void data_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct pci_bus *b = o;
    struct pci_device *d = target(b);
    if (!d || off + size > 4)
        return;
    pci_config_write(d, (b->addr & 0xfc) + (unsigned)off, (uint32_t)v, size);
}

int pci_bus_init(struct pci_bus *b, struct iobus *io)
{
    memset(b, 0, sizeof *b);
    const struct io_handler a = { addr_read, addr_write, b, 1 | 2 | 4 };
    const struct io_handler d = { data_read, data_write, b, 1 | 2 | 4 };
    if (iobus_register(io, 0xcf8, 4, &a, "pci-addr") ||
        iobus_register(io, 0xcfc, 4, &d, "pci-data"))
        return -1;
    return 0;
}

/* ---- save state ---- */

#define PCI_SS_VERSION 1

static void section_name(char *buf, size_t n, unsigned devfn)
{
    snprintf(buf, n, "pci.00:%02x.%u", devfn >> 3, devfn & 7);
}

void pci_bus_save(const struct pci_bus *b, struct savestate *ss)
{
    char name[32];
    ss_section_begin(ss, "pci-bus", PCI_SS_VERSION);
    ss_put(ss, "addr", b->addr);
    ss_section_end(ss);
    for (unsigned i = 0; i < 256; i++) {
        if (!b->dev[i])
            continue;
        section_name(name, sizeof name, i);
        ss_section_begin(ss, name, PCI_SS_VERSION);
        ss_put_bytes(ss, "config", b->dev[i]->config, 256);
        ss_section_end(ss);
    }
}

int pci_bus_load(struct pci_bus *b, struct savestate *ss)
{
    char name[32];
    uint32_t addr;
    static uint8_t cfg[256][256];
    if (ss_section_open(ss, "pci-bus", 1, PCI_SS_VERSION, NULL) ||
        ss_get_u32(ss, "addr", 0xffffffffu, &addr))
        return -1;
    if (addr & ~0x80fffffcu)
        return ss_fail(ss, "addr", "has reserved bits set");
    /* Read everything first so a bad section changes nothing. */
    for (unsigned i = 0; i < 256; i++) {
        if (!b->dev[i])
            continue;
        section_name(name, sizeof name, i);
        if (ss_section_open(ss, name, 1, PCI_SS_VERSION, NULL) ||
            ss_get_bytes(ss, "config", cfg[i], 256))
            return -1;
        const struct pci_device *d = b->dev[i];
        if (memcmp(cfg[i], d->config, 4) != 0)
            return ss_fail(ss, "config", "holds another vendor/device ID");
    }
    b->addr = addr;
    for (unsigned i = 0; i < 256; i++) {
        struct pci_device *d = b->dev[i];
        if (!d)
            continue;
        memcpy(d->config, cfg[i], 256);
        /* Let the device re-apply side effects (PAM, routing, BARs). */
        if (d->write_hook)
            d->write_hook(d, 0, 0, 0);
    }
    return 0;
}
