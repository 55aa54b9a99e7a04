/* The Bochs VBE ("dispi") registers (see vga.h), as Bochs's vbe.cc and
 * QEMU's std-vga define them: ID B0C0-B0C5, resolution and depth, the
 * enable bits (LFB, keep memory, 8-bit DAC, capabilities), the 64 KiB
 * bank of the legacy window, a virtual screen larger than the visible
 * one with X/Y offsets, and the VRAM size in 64 KiB units.
 *
 * Values are checked when written: a resolution or depth the card cannot
 * show is refused (the register keeps its old value), as the hardware
 * clamps. Enabling recomputes the line length and the virtual height and
 * clears the visible memory unless NOCLEARMEM is set. */
#include "hw/vga.h"

#include <string.h>

static unsigned bytes_per_pixel(unsigned bpp)
{
    return (bpp + 7) / 8;
}

/* Line length in bytes and the start of the visible picture, from the
 * virtual width and the offsets. */
static void vbe_relayout(struct vga *s)
{
    unsigned bpp = s->vbe[VBE_INDEX_BPP];
    uint32_t vw = s->vbe[VBE_INDEX_VIRT_WIDTH];

    s->vbe_line = bpp == 4 ? vw / 2 : vw * bytes_per_pixel(bpp);
    if (bpp == 4)               /* planar: 8 pixels = 4 interleaved bytes */
        s->vbe_start = s->vbe_line * s->vbe[VBE_INDEX_Y_OFFSET] +
                       s->vbe[VBE_INDEX_X_OFFSET] / 8 * 4;
    else
        s->vbe_start = s->vbe_line * s->vbe[VBE_INDEX_Y_OFFSET] +
                       s->vbe[VBE_INDEX_X_OFFSET] * bytes_per_pixel(bpp);
}

uint16_t vbe_read(struct vga *s, unsigned index)
{
    if (index >= VBE_NREGS)
        return 0;
    if (s->vbe[VBE_INDEX_ENABLE] & VBE_GETCAPS) {
        switch (index) {
        case VBE_INDEX_XRES: return VBE_MAX_XRES;
        case VBE_INDEX_YRES: return VBE_MAX_YRES;
        case VBE_INDEX_BPP: return VBE_MAX_BPP;
        default: break;
        }
    }
    return s->vbe[index];
}

static bool bpp_ok(unsigned bpp)
{
    return bpp == 4 || bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

static void enable(struct vga *s, uint16_t v)
{
    bool was = vbe_enabled(s);

    if ((v & VBE_ENABLED) && !was) {
        unsigned bpp = s->vbe[VBE_INDEX_BPP] ? s->vbe[VBE_INDEX_BPP] : 8;
        s->vbe[VBE_INDEX_BPP] = (uint16_t)bpp;
        s->vbe[VBE_INDEX_VIRT_WIDTH] = s->vbe[VBE_INDEX_XRES];
        s->vbe[VBE_INDEX_X_OFFSET] = s->vbe[VBE_INDEX_Y_OFFSET] = 0;
        vbe_relayout(s);
        uint32_t lines = s->vbe_line ? s->vram_size / s->vbe_line : 0;
        s->vbe[VBE_INDEX_VIRT_HEIGHT] = (uint16_t)(lines > 0xffff ? 0xffff : lines);
        if (!(v & VBE_NOCLEARMEM)) {
            uint64_t n = (uint64_t)s->vbe_line * s->vbe[VBE_INDEX_YRES];
            memset(s->vram, 0, n < s->vram_size ? n : s->vram_size);
        }
    }
    s->vbe[VBE_INDEX_ENABLE] = v;
}

void vbe_write(struct vga *s, unsigned index, uint16_t v)
{
    if (index >= VBE_NREGS)
        return;
    s->serial++;
    switch (index) {
    case VBE_INDEX_ID:
        if (v >= VBE_ID0 && v <= VBE_ID5)
            s->vbe[index] = v;
        return;
    case VBE_INDEX_XRES:
        if (v && v <= VBE_MAX_XRES && !(v & 7))
            s->vbe[index] = v;
        return;
    case VBE_INDEX_YRES:
        if (v && v <= VBE_MAX_YRES)
            s->vbe[index] = v;
        return;
    case VBE_INDEX_BPP:
        if (v == 0)
            v = 8;
        if (bpp_ok(v))
            s->vbe[index] = v;
        return;
    case VBE_INDEX_BANK:
        if (((uint32_t)v << 16) < s->vram_size)
            s->vbe[index] = v;
        return;
    case VBE_INDEX_ENABLE:
        enable(s, v & (VBE_ENABLED | VBE_GETCAPS | VBE_8BIT_DAC | VBE_LFB_ENABLED |
                       VBE_NOCLEARMEM));
        return;
    case VBE_INDEX_VIRT_WIDTH: {
        unsigned bpp = s->vbe[VBE_INDEX_BPP] ? s->vbe[VBE_INDEX_BPP] : 8;
        uint32_t line = bpp == 4 ? v / 2u : v * bytes_per_pixel(bpp);
        if (v < s->vbe[VBE_INDEX_XRES] || !line)
            return;
        if ((uint64_t)line * s->vbe[VBE_INDEX_YRES] > s->vram_size)
            return;
        s->vbe[index] = v;
        s->vbe[VBE_INDEX_VIRT_HEIGHT] = (uint16_t)(s->vram_size / line > 0xffff ? 0xffff
                                                   : s->vram_size / line);
        vbe_relayout(s);
        return;
    }
    case VBE_INDEX_X_OFFSET:
    case VBE_INDEX_Y_OFFSET:
        s->vbe[index] = v;
        vbe_relayout(s);
        return;
    default:                    /* VIRT_HEIGHT, VIDEO_MEMORY_64K: read-only */
        return;
    }
}
