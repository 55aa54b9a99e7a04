/* The VGA register files (see vga.h): misc output, sequencer, CRTC,
 * graphics and attribute controllers, DAC, input status.
 *
 * The CRTC and status ports answer at 0x3Dx when misc output bit 0 (I/O
 * address select) is set and at 0x3Bx when it is clear, as on the real
 * card; the other address reads all ones. Reading input status 1 resets
 * the attribute controller's index/data flip-flop and toggles the retrace
 * bits, so a guest polling for a retrace edge always sees one. Every write
 * bumps `serial` (the picture may have changed). */
#include "hw/vga.h"

#include <string.h>

#include "mem/iobus.h"

/* Which registers exist and which bits take writes. */
static const uint8_t ar_mask[0x15] = {
    0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f,
    0xef, 0xff, 0x3f, 0x0f, 0x0f,
};

static bool crtc_port_ok(const struct vga *s, uint16_t port)
{
    bool color = s->misc & 1;
    return color ? (port & 0xFFF0) == 0x3D0 : (port & 0xFFF0) == 0x3B0;
}

static uint8_t dac_scale(const struct vga *s, uint8_t v)
{
    return (s->vbe[VBE_INDEX_ENABLE] & VBE_8BIT_DAC) ? v : v & 0x3f;
}

uint8_t vga_port_read(struct vga *s, uint16_t port)
{
    uint8_t v;

    switch (port) {
    case 0x3C0:
        return s->ar_index;
    case 0x3C1:
        return (s->ar_index & 0x1f) < 0x15 ? s->ar[s->ar_index & 0x1f] : 0;
    case 0x3C2:
        return 0;               /* input status 0: no switch sense, no IRQ */
    case 0x3C4:
        return s->seq_index;
    case 0x3C5:
        return s->seq[s->seq_index & 7];
    case 0x3C6:
        return s->dac_mask;
    case 0x3C7:
        return s->dac_state;
    case 0x3C8:
        return s->dac_write;
    case 0x3C9:
        v = s->dac[s->dac_read][s->dac_sub];
        if (++s->dac_sub == 3) {
            s->dac_sub = 0;
            s->dac_read++;
        }
        return v;
    case 0x3CA:
        return s->fcr;
    case 0x3CC:
        return s->misc;
    case 0x3CE:
        return s->gc_index;
    case 0x3CF:
        return s->gc[s->gc_index & 15];
    case 0x3B4: case 0x3D4:
        return crtc_port_ok(s, port) ? s->crtc_index : 0xff;
    case 0x3B5: case 0x3D5:
        if (!crtc_port_ok(s, port))
            return 0xff;
        return s->crtc_index < sizeof s->crtc ? s->crtc[s->crtc_index] : 0xff;
    case 0x3BA: case 0x3DA:
        if (!crtc_port_ok(s, port))
            return 0xff;
        s->ar_flip = false;
        s->retrace++;
        /* bit 3 vertical retrace, bit 0 display disabled */
        return (s->retrace & 1) ? 0x09 : 0x00;
    default:
        if (port >= VBE_PORT_INDEX && port <= VBE_PORT_INDEX + 2) {
            unsigned o = port - VBE_PORT_INDEX;
            uint16_t w = o == 0 ? s->vbe_index : vbe_read(s, s->vbe_index);
            return (uint8_t)(o == 2 ? w >> 8 : w);
        }
        return 0xff;
    }
}

static void crtc_write(struct vga *s, uint8_t v)
{
    unsigned i = s->crtc_index;

    if (i >= sizeof s->crtc)
        return;
    /* CRTC 0x11 bit 7 protects registers 0-7, but for the line compare
     * bit in the overflow register. */
    if ((s->crtc[0x11] & 0x80) && i <= 7) {
        if (i == 7)
            s->crtc[7] = (uint8_t)((s->crtc[7] & ~0x10) | (v & 0x10));
        return;
    }
    s->crtc[i] = v;
}

static void dac_data_write(struct vga *s, uint8_t v)
{
    s->dac_rgb[s->dac_sub] = v;
    if (++s->dac_sub == 3) {
        for (int c = 0; c < 3; c++)
            s->dac[s->dac_write][c] = dac_scale(s, s->dac_rgb[c]);
        s->dac_sub = 0;
        s->dac_write++;
    }
}

void vga_port_write(struct vga *s, uint16_t port, uint8_t v)
{
    s->serial++;
    switch (port) {
    case 0x3C0:
        if (!s->ar_flip) {
            s->ar_index = v & 0x3f;
        } else if ((s->ar_index & 0x1f) < 0x15) {
            unsigned i = s->ar_index & 0x1f;
            s->ar[i] = v & ar_mask[i];
        }
        s->ar_flip = !s->ar_flip;
        return;
    case 0x3C2:
        s->misc = v;
        return;
    case 0x3C4:
        s->seq_index = v & 7;
        return;
    case 0x3C5:
        s->seq[s->seq_index & 7] = v;
        return;
    case 0x3C6:
        s->dac_mask = v;
        return;
    case 0x3C7:
        s->dac_read = v;
        s->dac_sub = 0;
        s->dac_state = 3;
        return;
    case 0x3C8:
        s->dac_write = v;
        s->dac_sub = 0;
        s->dac_state = 0;
        return;
    case 0x3C9:
        dac_data_write(s, v);
        return;
    case 0x3CE:
        s->gc_index = v & 15;
        return;
    case 0x3CF:
        s->gc[s->gc_index & 15] = v;
        return;
    case 0x3B4: case 0x3D4:
        if (crtc_port_ok(s, port))
            s->crtc_index = v;
        return;
    case 0x3B5: case 0x3D5:
        if (crtc_port_ok(s, port))
            crtc_write(s, v);
        return;
    case 0x3BA: case 0x3DA:
        if (crtc_port_ok(s, port))
            s->fcr = v & 0x03;
        return;
    default:
        if (port == VBE_PORT_INDEX) {
            s->vbe_index = (uint16_t)((s->vbe_index & 0xff00) | v);
        } else if (port == VBE_PORT_INDEX + 1) {
            /* A word write to the odd data port arrives as two bytes:
             * keep the low one until the high one comes. */
            s->vbe_low = v;
        } else if (port == VBE_PORT_INDEX + 2) {
            vbe_write(s, s->vbe_index, (uint16_t)(s->vbe_low | v << 8));
        }
        return;
    }
}

/* ---- port handlers ---- */

static uint64_t vga_io_read(void *opaque, uint64_t off, unsigned size)
{
    struct vga *s = opaque;
    (void)size;
    return vga_port_read(s, (uint16_t)(0x3C0 + off));
}

static void vga_io_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    (void)size;
    vga_port_write(opaque, (uint16_t)(0x3C0 + off), (uint8_t)v);
}

/* 0x3B4-0x3BA and 0x3D4-0x3DA: CRTC index/data and input status 1 (the
 * ports between are the MDA/CGA mode registers, which read all ones). */
static uint64_t mono_io_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return vga_port_read(opaque, (uint16_t)(0x3B4 + off));
}

static void mono_io_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    (void)size;
    vga_port_write(opaque, (uint16_t)(0x3B4 + off), (uint8_t)v);
}

static uint64_t color_io_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return vga_port_read(opaque, (uint16_t)(0x3D4 + off));
}

static void color_io_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    (void)size;
    vga_port_write(opaque, (uint16_t)(0x3D4 + off), (uint8_t)v);
}

static uint64_t vbe_io_read(void *opaque, uint64_t off, unsigned size)
{
    struct vga *s = opaque;
    if (size == 2)
        return off == 0 ? s->vbe_index : vbe_read(s, s->vbe_index);
    return vga_port_read(s, (uint16_t)(VBE_PORT_INDEX + off));
}

static void vbe_io_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct vga *s = opaque;
    if (size == 2 && off == 0) {
        s->vbe_index = (uint16_t)v;
        return;
    }
    vga_port_write(s, (uint16_t)(VBE_PORT_INDEX + off), (uint8_t)v);
}

int vga_init(struct vga *s, struct iobus *io, uint8_t *vram, uint32_t size)
{
    if (size < (256u << 10) || (size & (size - 1)))
        return -1;
    s->vram = vram;
    s->vram_size = size;
    vga_reset(s);
    if (!io)
        return 0;
    const struct io_handler vh = { vga_io_read, vga_io_write, s, 1 };
    const struct io_handler mono = { mono_io_read, mono_io_write, s, 1 };
    const struct io_handler color = { color_io_read, color_io_write, s, 1 };
    const struct io_handler vbe = { vbe_io_read, vbe_io_write, s, 1 | 2 };
    if (iobus_register(io, 0x3C0, 16, &vh, "vga") ||
        iobus_register(io, 0x3B4, 7, &mono, "vga-mono") ||
        iobus_register(io, 0x3D4, 7, &color, "vga-crtc") ||
        iobus_register(io, VBE_PORT_INDEX, 3, &vbe, "vga-vbe"))
        return -1;
    return 0;
}

void vga_reset(struct vga *s)
{
    s->misc = 0;
    s->seq_index = s->crtc_index = s->gc_index = s->ar_index = 0;
    memset(s->seq, 0, sizeof s->seq);
    memset(s->crtc, 0, sizeof s->crtc);
    memset(s->gc, 0, sizeof s->gc);
    memset(s->ar, 0, sizeof s->ar);
    s->ar_flip = false;
    s->fcr = 0;
    s->dac_mask = 0xff;
    s->dac_read = s->dac_write = s->dac_sub = s->dac_state = 0;
    memset(s->dac, 0, sizeof s->dac);
    s->latch = 0;
    s->vbe_index = 0;
    memset(s->vbe, 0, sizeof s->vbe);
    s->vbe[VBE_INDEX_ID] = VBE_ID5;
    s->vbe[VBE_INDEX_VIDEO_MEMORY_64K] = (uint16_t)(s->vram_size >> 16);
    s->vbe_start = s->vbe_line = 0;
    s->serial++;
    s->shown_valid = false;
}
