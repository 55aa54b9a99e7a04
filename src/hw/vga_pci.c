/* The VGA as QEMU's std-vga PCI function (see vga.h): 1234:1111 rev 2,
 * class 0x030000, subsystem 1af4:1100.
 *
 *   BAR0  VRAM, 16 MiB prefetchable memory: guest RAM from the board's
 *         memfd (physmem_alloc_device_ram), so the linear framebuffer is
 *         plain memory for every engine
 *   BAR2  4 KiB MMIO: +0x400 the VGA ports 0x3C0-0x3DF (bytes), +0x500
 *         the dispi registers (16-bit, index * 2), +0x600 QEMU's extended
 *         registers (size 8, little-endian marker 0x1e1e1e1e)
 *   ROM   expansion ROM BAR (0x30) holding the VGA BIOS, which SeaBIOS
 *         copies to 0xC0000 and runs
 * The legacy ports and the 0xA0000 window always decode, as on QEMU's
 * board. A BAR is mapped while memory decode (command bit 1) is on and
 * it lies below the top 20 MiB (where sizing writes of all ones put it). */
#include "hw/vga.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem/physmem.h"

#define VGA_ROM_BAR       0x30
#define VGA_MMIO_BAR      2
#define VGA_BAR_LIMIT     0xFEC00000u   /* I/O APIC and up: never a BAR */

static uint64_t window_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return vga_mem_read(opaque, (uint32_t)off);
}

static void window_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    (void)size;
    vga_mem_write(opaque, (uint32_t)off, (uint8_t)v);
}

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    struct vga *s = opaque;

    if (off >= 0x400 && off < 0x420) {
        uint64_t v = 0;
        for (unsigned k = 0; k < size; k++)
            v |= (uint64_t)vga_port_read(s, (uint16_t)(0x3C0 + off - 0x400 + k)) << (8 * k);
        return v;
    }
    if (off >= 0x500 && off < 0x500 + 2 * VBE_NREGS) {
        uint16_t w = vbe_read(s, (unsigned)(off - 0x500) / 2);
        return (off & 1) ? w >> 8 : w;
    }
    if (off >= 0x600 && off < 0x608) {
        uint64_t regs = 8ull | 0x1e1e1e1eull << 32;
        return (regs >> (8 * (off - 0x600))) & (size >= 8 ? ~0ull : (1ull << (8 * size)) - 1);
    }
    return 0;
}

static void mmio_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct vga *s = opaque;

    if (off >= 0x400 && off < 0x420) {
        for (unsigned k = 0; k < size; k++)
            vga_port_write(s, (uint16_t)(0x3C0 + off - 0x400 + k), (uint8_t)(v >> (8 * k)));
    } else if (off >= 0x500 && off < 0x500 + 2 * VBE_NREGS && size == 2 && !(off & 1)) {
        vbe_write(s, (unsigned)(off - 0x500) / 2, (uint16_t)v);
    }
}

static bool bar_ok(uint32_t base, uint32_t size)
{
    return base != 0 && (uint64_t)base + size <= VGA_BAR_LIMIT;
}

/* Map what the config space says, unmap what it no longer says. */
static void update_mapping(struct vga *s)
{
    struct pci_device *d = &s->pci;
    bool mem_on = pci_get16(d, PCI_COMMAND) & 2;
    uint32_t vram = pci_bar_base(d, 0), mmio = pci_bar_base(d, VGA_MMIO_BAR);
    uint32_t rom_reg = pci_get32(d, VGA_ROM_BAR);
    uint32_t rom = (rom_reg & 1) ? rom_reg & ~0x7ffu : 0;

    if (!mem_on || !bar_ok(vram, s->vram_size))
        vram = 0;
    if (!mem_on || !bar_ok(mmio, VGA_MMIO_SIZE))
        mmio = 0;
    if (!mem_on || !s->rom || !bar_ok(rom, s->rom_bar_size))
        rom = 0;
    if (s->vram_at != vram) {
        if (s->vram_at)
            physmem_unmap(s->mem, s->vram_at);
        s->vram_at = 0;
        if (vram && physmem_map_ram(s->mem, vram, s->vram_size, s->vram_off, "vga-vram") == 0)
            s->vram_at = vram;
    }
    if (s->mmio_at != mmio) {
        const struct io_handler h = { mmio_read, mmio_write, s, 1 | 2 | 4 };
        if (s->mmio_at)
            physmem_unmap(s->mem, s->mmio_at);
        s->mmio_at = 0;
        if (mmio && physmem_map_mmio(s->mem, mmio, VGA_MMIO_SIZE, &h, "vga-mmio") == 0)
            s->mmio_at = mmio;
    }
    if (s->rom_at != rom) {
        if (s->rom_at)
            physmem_unmap(s->mem, s->rom_at);
        s->rom_at = 0;
        if (rom && physmem_map_rom(s->mem, rom, s->rom_bar_size, s->rom, "vga-rom") == 0)
            s->rom_at = rom;
    }
}

static void config_hook(struct pci_device *d, unsigned off, uint32_t val, unsigned size)
{
    (void)val;
    /* size 0: after a restore, re-apply everything. */
    if (size == 0 || off < 0x34)
        update_mapping(d->opaque);
}

static void bar_defaults(struct vga *s)
{
    pci_set32(&s->pci, PCI_BAR0, 0x08);            /* memory, prefetchable */
    pci_set32(&s->pci, PCI_BAR0 + 4 * VGA_MMIO_BAR, 0);
    pci_set32(&s->pci, VGA_ROM_BAR, 0);
}

int vga_pci_init(struct vga *s, struct pci_bus *bus, unsigned devfn, struct iobus *io,
                 struct physmem *mem, uint64_t vram_off, const uint8_t *rom, uint32_t rom_size)
{
    struct pci_device *d = &s->pci;
    const struct io_handler win = { window_read, window_write, s, 1 };

    memset(s, 0, sizeof *s);
    s->mem = mem;
    s->vram_off = vram_off;
    if (vram_off > mem->ram_size || mem->ram_size - vram_off < VGA_VRAM_SIZE)
        return -1;
    if (vga_init(s, io, mem->ram + vram_off, VGA_VRAM_SIZE))
        return -1;
    pci_device_init(d, "vga", VGA_PCI_VENDOR, VGA_PCI_DEVICE, 0x030000, 2, 0);
    snprintf(s->name, sizeof s->name, "vga@00:%02x.%u", devfn >> 3, devfn & 7);
    pci_set16(d, PCI_SUBSYS_VENDOR, 0x1af4);
    pci_set16(d, PCI_SUBSYS_VENDOR + 2, 0x1100);
    pci_set_bar(d, 0, VGA_VRAM_SIZE, false);
    pci_set_bar(d, VGA_MMIO_BAR, VGA_MMIO_SIZE, false);
    if (rom && rom_size) {
        uint32_t n = 2048;
        while (n < rom_size)
            n <<= 1;
        if (n < PAGE_SIZE)
            n = PAGE_SIZE;
        s->rom = calloc(1, n);
        if (!s->rom)
            return -1;
        memcpy(s->rom, rom, rom_size);
        s->rom_size = rom_size;
        s->rom_bar_size = n;
        uint32_t m = ~(n - 1) | 1;
        for (int k = 0; k < 4; k++)
            d->wmask[VGA_ROM_BAR + k] = (uint8_t)(m >> (8 * k));
    }
    bar_defaults(s);
    d->opaque = s;
    d->write_hook = config_hook;
    if (physmem_map_mmio(mem, VGA_WINDOW_BASE, VGA_WINDOW_SIZE, &win, "vga-window"))
        return -1;
    s->window_mapped = true;
    return pci_register(bus, d, devfn);
}

void vga_pci_reset(struct vga *s)
{
    vga_reset(s);
    pci_set16(&s->pci, PCI_COMMAND, 0);
    bar_defaults(s);
    update_mapping(s);
}

void vga_pci_free(struct vga *s)
{
    if (!s->mem)
        return;
    pci_set16(&s->pci, PCI_COMMAND, 0);     /* decode off: update_mapping unmaps all */
    update_mapping(s);
    if (s->window_mapped)
        physmem_unmap(s->mem, VGA_WINDOW_BASE);
    s->window_mapped = false;
    free(s->rom);
    s->rom = NULL;
    s->mem = NULL;
}
