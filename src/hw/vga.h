/* A standard VGA with the Bochs VBE extensions, as QEMU's `-vga std`
 * (PCI 1234:1111), in small files:
 *
 *   vga.c         the register files behind ports 0x3B4/0x3B5/0x3BA,
 *                 0x3C0-0x3CF, 0x3D4/0x3D5/0x3DA (misc output, sequencer,
 *                 CRTC, graphics and attribute controllers, DAC)
 *   vga_mem.c     the legacy window 0xA0000-0xBFFFF (MMIO): write modes
 *                 0-3, read modes 0/1, latches, chain-4, odd/even
 *   vga_vbe.c     the Bochs "dispi" registers at ports 0x1CE/0x1CF
 *   vga_pci.c     the PCI function: BAR0 VRAM (guest RAM-like, so the
 *                 linear framebuffer runs at memory speed under every
 *                 engine), BAR2 MMIO (VGA ports at +0x400, dispi at +0x500,
 *                 QEMU's extended registers at +0x600), the ROM BAR
 *   vga_render.c  the picture: text, CGA 4-colour, planar 16-colour,
 *                 256-colour and VBE packed modes, as a display_source
 *
 * VRAM layout (as QEMU's): the four planes are interleaved, plane p of
 * planar address a at vram[a * 4 + p], so chain-4 and VBE pixels are
 * linear bytes and the text mode's characters sit at vram[cell * 4],
 * attributes at + 1, the font in plane 2.
 *
 * Left out: save/restore, the blink and cursor-blink animation (blinking
 * text shows in its "on" phase, the cursor always), light pen, split
 * screen (CRTC line compare), horizontal pel panning. */
#ifndef RAWBOX_HW_VGA_H
#define RAWBOX_HW_VGA_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/pci.h"
#include "ui/display.h"

struct iobus;
struct physmem;

#define VGA_VRAM_SIZE       (16u << 20)
#define VGA_PCI_VENDOR      0x1234
#define VGA_PCI_DEVICE      0x1111
#define VGA_MMIO_SIZE       0x1000      /* BAR2 */
#define VGA_WINDOW_BASE     0xA0000
#define VGA_WINDOW_SIZE     0x20000

/* Bochs VBE (dispi) registers, index at 0x1CE, data at 0x1CF. */
#define VBE_PORT_INDEX      0x1CE
#define VBE_INDEX_ID        0
#define VBE_INDEX_XRES      1
#define VBE_INDEX_YRES      2
#define VBE_INDEX_BPP       3
#define VBE_INDEX_ENABLE    4
#define VBE_INDEX_BANK      5
#define VBE_INDEX_VIRT_WIDTH  6
#define VBE_INDEX_VIRT_HEIGHT 7
#define VBE_INDEX_X_OFFSET  8
#define VBE_INDEX_Y_OFFSET  9
#define VBE_INDEX_VIDEO_MEMORY_64K 10
#define VBE_NREGS           11
#define VBE_ID0             0xB0C0
#define VBE_ID5             0xB0C5
#define VBE_ENABLED         0x01
#define VBE_GETCAPS         0x02
#define VBE_8BIT_DAC        0x20
#define VBE_LFB_ENABLED     0x40
#define VBE_NOCLEARMEM      0x80
#define VBE_MAX_XRES        DISPLAY_MAX_WIDTH
#define VBE_MAX_YRES        DISPLAY_MAX_HEIGHT
#define VBE_MAX_BPP         32

struct vga {
    uint8_t *vram;              /* VGA_VRAM_SIZE bytes, owned by the caller */
    uint32_t vram_size;

    uint8_t misc;               /* misc output (0x3C2 write, 0x3CC read) */
    uint8_t seq_index, seq[8];
    uint8_t crtc_index, crtc[0x40];
    uint8_t gc_index, gc[16];
    uint8_t ar_index;           /* bits 0-4 register, bit 5 palette source */
    uint8_t ar[0x20];
    bool ar_flip;               /* 0x3C0: false = next write is the index */
    uint8_t fcr;                /* feature control */
    uint8_t dac_mask;           /* 0x3C6 */
    uint8_t dac_read, dac_write, dac_sub;
    uint8_t dac_state;          /* 0x3C7 read: 0 read mode... 3 write mode */
    uint8_t dac_rgb[3];         /* the components written so far */
    uint8_t dac[256][3];        /* 6-bit (8-bit with VBE_8BIT_DAC) */
    uint32_t latch;             /* planes 0-3 in bytes 0-3 */
    uint32_t retrace;           /* counts status reads, toggles the bits */

    uint16_t vbe_index;
    uint8_t vbe_low;            /* data port low byte, until the high one */
    uint16_t vbe[VBE_NREGS];
    uint32_t vbe_start;         /* byte offset of the visible picture */
    uint32_t vbe_line;          /* bytes per virtual line */

    /* Picture change tracking (vga_render.c): bumped on every register or
     * legacy window write; the linear framebuffer is checked by sum. */
    uint64_t serial;
    uint64_t frame_sum;         /* of the visible VBE picture last shown */
    uint64_t shown_serial;      /* serial of the frame last rendered */
    bool shown_valid;

    /* PCI (vga_pci.c); unused by a bare vga_init. */
    struct pci_device pci;
    struct physmem *mem;
    uint64_t vram_off;          /* where vram sits in the RAM memfd */
    uint32_t vram_at, mmio_at, rom_at;  /* mapped bases; 0 = not mapped */
    bool window_mapped;
    uint8_t *rom;
    uint32_t rom_size, rom_bar_size;
    char name[24];
};

/* Register the VGA's ports (0x3B4-0x3DA, 0x1CE/0x1CF) for vram of `size`
 * bytes (a power of two, at least 256 KiB). Then vga_reset. */
int vga_init(struct vga *s, struct iobus *io, uint8_t *vram, uint32_t size)
    __attribute__((warn_unused_result));
void vga_reset(struct vga *s);

/* Port accesses, `port` absolute (0x3C0-0x3DF, 0x3B4/5/A, 0x1CE/0x1CF). */
uint8_t vga_port_read(struct vga *s, uint16_t port);
void vga_port_write(struct vga *s, uint16_t port, uint8_t v);

/* The legacy window: `off` from 0xA0000, one byte. */
uint8_t vga_mem_read(struct vga *s, uint32_t off);
void vga_mem_write(struct vga *s, uint32_t off, uint8_t v);

/* Dispi registers (vga_vbe.c). */
uint16_t vbe_read(struct vga *s, unsigned index);
void vbe_write(struct vga *s, unsigned index, uint16_t v);
static inline bool vbe_enabled(const struct vga *s)
{
    return s->vbe[VBE_INDEX_ENABLE] & VBE_ENABLED;
}

/* The display_source update(): render into f (vga_render.c). */
void vga_render(void *opaque, struct display_frame *f);
static inline struct display_source vga_display_source(struct vga *s)
{
    return (struct display_source){ s, vga_render };
}

/* The PCI function at `devfn`: VRAM from `vram_off` of the RAM memfd
 * (physmem_alloc_device_ram), the legacy window mapped at 0xA0000, the
 * ROM image `rom` (copied; NULL: no ROM BAR). On failure *err says why. */
int vga_pci_init(struct vga *s, struct pci_bus *bus, unsigned devfn, struct iobus *io,
                 struct physmem *mem, uint64_t vram_off, const uint8_t *rom,
                 uint32_t rom_size) __attribute__((warn_unused_result));
/* Machine reset: registers and PCI BARs to power-on values. */
void vga_pci_reset(struct vga *s);
void vga_pci_free(struct vga *s);

#endif
