/* The VGA's picture as a display_source (see vga.h, ui/display.h).
 *
 * What the registers say is shown, one mode family at a time:
 *   VBE enabled        packed 8/15/16/24/32 bpp from vbe_start, vbe_line,
 *                      or 4 bpp planar through the attribute palette
 *   AR 0x10 bit 0 = 0  text: cols = CRTC 1 + 1, cell height CRTC 9 + 1,
 *                      8 or 9 dots (sequencer 1 bit 0), font in plane 2
 *                      (sequencer 3 picks maps A and B), the line graphics
 *                      rule for the 9th column, attribute bit 7 blink or
 *                      bright background (AR 0x10 bit 3), the cursor
 *   CRTC 0x17 bit 0 = 0  CGA modes 4/5 (2 bpp, GC 5 bit 5) and 6 (1 bpp)
 *   GC 5 bit 6         256 colours, chained (13h) or not (mode X)
 *   otherwise          planar 16 colours (0Dh, 0Eh, 10h, 12h)
 * Height is the vertical display end (CRTC 0x12 and overflow bits) divided
 * by the scan line repeat (CRTC 9: max scan line, double scan); each pixel
 * goes through the attribute palette (16-colour modes) and the DAC.
 *
 * `serial`: device writes bump s->serial; the linear framebuffer, which the
 * guest writes as plain memory, is summed here and a new sum bumps it too.
 * A frame whose serial equals s->serial already shows the picture. */
#include "hw/vga.h"

#include <string.h>

/* 6-bit DAC component to 8 bits: shifted up, its low bit copied into the
 * two new ones (as QEMU does, so screendumps of both compare equal;
 * 3Fh -> FFh, 0 -> 0). */
static uint32_t dac8(uint8_t v)
{
    v &= 0x3f;
    return (uint32_t)(v << 2 | (v & 1) << 1 | (v & 1));
}

static uint32_t dac_color(const struct vga *s, uint8_t index)
{
    const uint8_t *c = s->dac[index & s->dac_mask];
    if (s->vbe[VBE_INDEX_ENABLE] & VBE_8BIT_DAC)
        return (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2];
    return dac8(c[0]) << 16 | dac8(c[1]) << 8 | dac8(c[2]);
}

/* A 4-bit colour through the attribute controller's palette to the DAC. */
static uint32_t ar_color(const struct vga *s, unsigned idx)
{
    uint8_t p = s->ar[idx & 15];
    if (s->ar[0x10] & 0x80)
        p = (uint8_t)((p & 0x0f) | (s->ar[0x14] & 3) << 4);
    p = (uint8_t)((p & 0x3f) | (s->ar[0x14] & 0x0c) << 4);
    return dac_color(s, p);
}

static int vertical_end(const struct vga *s)
{
    return (s->crtc[0x12] | (s->crtc[7] & 0x02) << 7 | (s->crtc[7] & 0x40) << 3) + 1;
}

/* A cheap sum of the visible VBE picture, to notice LFB writes. */
static uint64_t vbe_sum(const struct vga *s, uint32_t start, uint32_t line, int h, uint32_t bytes)
{
    uint64_t a = 0, b = 0;
    for (int y = 0; y < h; y++) {
        const uint8_t *p = s->vram + start + (uint64_t)y * line;
        uint32_t n = bytes & ~7u, i;
        for (i = 0; i < n; i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            a += w;
            b ^= (w + i) * 0x9E3779B97F4A7C15ull;
        }
        for (; i < bytes; i++)
            a += (uint64_t)p[i] << (i & 7) * 8;
        a = a * 31 + (uint64_t)y;
    }
    return a ^ b;
}

static void render_blank(struct display_frame *f, int w, int h)
{
    f->width = w;
    f->height = h;
    memset(f->pixels, 0, (size_t)w * (size_t)h * sizeof f->pixels[0]);
}

static void render_vbe(const struct vga *s, struct display_frame *f)
{
    int w = s->vbe[VBE_INDEX_XRES], h = s->vbe[VBE_INDEX_YRES];
    unsigned bpp = s->vbe[VBE_INDEX_BPP];
    uint32_t bypp = (bpp + 7) / 8;

    if (w > DISPLAY_MAX_WIDTH || h > DISPLAY_MAX_HEIGHT) {
        render_blank(f, 0, 0);
        return;
    }
    f->width = w;
    f->height = h;
    if (bpp == 4) {             /* planar 16 colours, as modes 12h and 6Ah */
        uint32_t mask = s->vram_size - 1;
        uint8_t enable = s->ar[0x12] & 15;
        for (int y = 0; y < h; y++) {
            uint32_t row = s->vbe_start + (uint32_t)y * s->vbe_line;
            uint32_t *out = f->pixels + (size_t)y * (size_t)w;
            for (int x = 0; x < w; x++) {
                uint32_t a = (row + (uint32_t)(x / 8) * 4) & mask;
                unsigned bit = 7 - (unsigned)(x & 7), idx = 0;
                for (int p = 0; p < 4; p++)
                    idx |= (unsigned)((s->vram[(a + (uint32_t)p) & mask] >> bit) & 1) << p;
                out[x] = ar_color(s, idx & enable);
            }
        }
        return;
    }
    for (int y = 0; y < h; y++) {
        uint64_t row = s->vbe_start + (uint64_t)y * s->vbe_line;
        uint32_t *out = f->pixels + (size_t)y * (size_t)w;
        if (row + (uint64_t)w * bypp > s->vram_size) {
            memset(out, 0, (size_t)w * sizeof *out);
            continue;
        }
        const uint8_t *p = s->vram + row;
        for (int x = 0; x < w; x++, p += bypp) {
            uint32_t v;
            switch (bpp) {
            case 8:
                out[x] = dac_color(s, p[0]);
                break;
            case 15:
                v = (uint32_t)(p[0] | p[1] << 8);
                out[x] = ((v >> 10 & 31) * 255 / 31) << 16 | ((v >> 5 & 31) * 255 / 31) << 8 |
                         (v & 31) * 255 / 31;
                break;
            case 16:
                v = (uint32_t)(p[0] | p[1] << 8);
                out[x] = ((v >> 11 & 31) * 255 / 31) << 16 | ((v >> 5 & 63) * 255 / 63) << 8 |
                         (v & 31) * 255 / 31;
                break;
            default:            /* 24, 32: B, G, R in memory order */
                out[x] = (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
                break;
            }
        }
    }
}

/* Offset of font map n (sequencer 3 numbering) in plane 2. */
static uint32_t font_base(unsigned n)
{
    static const uint32_t at[8] = { 0x0000, 0x4000, 0x8000, 0xC000,
                                    0x2000, 0x6000, 0xA000, 0xE000 };
    return at[n & 7];
}

static void render_text(const struct vga *s, struct display_frame *f)
{
    int cw = (s->seq[1] & 1) ? 8 : 9;
    int ch = (s->crtc[9] & 0x1f) + 1;
    int cols = s->crtc[1] + 1, rows = vertical_end(s) / ch;
    uint32_t start = (uint32_t)(s->crtc[0xc] << 8 | s->crtc[0xd]);
    uint32_t stride = (uint32_t)s->crtc[0x13] * 2;
    uint32_t mask = s->vram_size - 1;
    uint8_t sel = s->seq[3];
    uint32_t font_a = font_base((sel >> 2 & 3) | (sel >> 3 & 4));
    uint32_t font_b = font_base((sel & 3) | (sel >> 2 & 4));
    bool blink = s->ar[0x10] & 0x08, lge = s->ar[0x10] & 0x04;
    uint32_t cursor = (uint32_t)(s->crtc[0xe] << 8 | s->crtc[0xf]);
    int cur_top = s->crtc[0xa] & 0x1f, cur_bot = s->crtc[0xb] & 0x1f;

    if (cols > DISPLAY_MAX_COLS)
        cols = DISPLAY_MAX_COLS;
    if (rows > DISPLAY_MAX_ROWS)
        rows = DISPLAY_MAX_ROWS;
    if (cols * cw > DISPLAY_MAX_WIDTH || rows * ch > DISPLAY_MAX_HEIGHT)
        rows = 0;
    f->text = true;
    f->cols = cols;
    f->rows = rows;
    f->width = cols * cw;
    f->height = rows * ch;
    f->cursor_on = !(s->crtc[0xa] & 0x20) && cursor >= start &&
                   cursor - start < stride * (uint32_t)rows && stride &&
                   (cursor - start) % stride < (uint32_t)cols;
    f->cursor_col = f->cursor_on ? (int)((cursor - start) % stride) : 0;
    f->cursor_row = f->cursor_on ? (int)((cursor - start) / stride) : 0;

    for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            uint32_t addr = start + (uint32_t)r * stride + (uint32_t)c;
            uint8_t chr = s->vram[(addr * 4) & mask];
            uint8_t attr = s->vram[(addr * 4 + 1) & mask];
            f->cells[r * cols + c] = (uint16_t)(chr | attr << 8);
            uint32_t fg = ar_color(s, attr & 15);
            uint32_t bg = ar_color(s, blink ? (attr >> 4) & 7 : attr >> 4);
            uint32_t font = (font_a != font_b && (attr & 8)) ? font_a : font_b;
            bool is_cursor = f->cursor_on && r == f->cursor_row && c == f->cursor_col;
            for (int y = 0; y < ch; y++) {
                uint8_t bits = s->vram[((font + chr * 32u + (uint32_t)y) * 4 + 2) & mask];
                if (is_cursor && y >= cur_top && y <= cur_bot)
                    bits = 0xff;
                uint32_t *out = f->pixels + (size_t)(r * ch + y) * (size_t)f->width +
                                (size_t)(c * cw);
                for (int x = 0; x < 8; x++)
                    out[x] = (bits & (0x80 >> x)) ? fg : bg;
                if (cw == 9) {
                    /* The 9th dot repeats the 8th for the line graphics
                     * characters C0h-DFh, when enabled. */
                    bool dup = lge && chr >= 0xC0 && chr <= 0xDF;
                    out[8] = (dup && (bits & 1)) || (is_cursor && bits == 0xff &&
                             y >= cur_top && y <= cur_bot) ? fg : bg;
                }
            }
        }
    }
}

static int scan_repeat(const struct vga *s)
{
    return ((s->crtc[9] & 0x1f) + 1) * ((s->crtc[9] & 0x80) ? 2 : 1);
}

static void render_graphics(const struct vga *s, struct display_frame *f)
{
    int rep = scan_repeat(s);
    int h = vertical_end(s) / rep;
    int hde = s->crtc[1] + 1;
    uint32_t start = (uint32_t)(s->crtc[0xc] << 8 | s->crtc[0xd]) * 4;
    uint32_t line = (uint32_t)s->crtc[0x13] << 3;
    uint32_t mask = s->vram_size - 1;
    bool cga = !(s->crtc[0x17] & 1);
    int w;

    if (cga) {
        /* CGA addressing: odd scan lines from the second 8 KiB bank. */
        h = vertical_end(s) / ((s->crtc[9] & 0x80) ? 2 : 1);
        w = hde * 8;
    } else if (s->gc[5] & 0x40) {
        w = hde * 4;
    } else {
        w = hde * 8;
    }
    if (w > DISPLAY_MAX_WIDTH || h > DISPLAY_MAX_HEIGHT) {
        render_blank(f, 0, 0);
        return;
    }
    f->width = w;
    f->height = h;
    for (int y = 0; y < h; y++) {
        uint32_t *out = f->pixels + (size_t)y * (size_t)w;
        if (cga) {
            /* The CPU address of line y; each CPU byte of an odd/even
             * mode sits at vram[(a & ~1) * 2 + (a & 1)], of mode 6 in
             * plane 0 at vram[a * 4]. */
            uint32_t row = (uint32_t)(y & 1) * 0x2000 + (uint32_t)(y >> 1) * (line / 4) +
                           start / 4;
            bool two_bpp = s->gc[5] & 0x20;
            for (int x = 0; x < w; x++) {
                uint32_t a = row + (uint32_t)(two_bpp ? x / 4 : x / 8);
                if (two_bpp) {
                    uint8_t b = s->vram[(((a & ~1u) << 1) | (a & 1)) & mask];
                    out[x] = ar_color(s, (b >> (6 - 2 * (x & 3))) & 3);
                } else {
                    uint8_t b = s->vram[(a * 4) & mask];
                    out[x] = ar_color(s, (b >> (7 - (x & 7))) & 1);
                }
            }
            continue;
        }
        uint32_t row = start + (uint32_t)y * line;
        if (s->gc[5] & 0x40) {
            for (int x = 0; x < w; x++)
                out[x] = dac_color(s, s->vram[(row + (uint32_t)x) & mask]);
            continue;
        }
        uint8_t enable = s->ar[0x12] & 15;
        for (int x = 0; x < w; x++) {
            uint32_t a = (row + (uint32_t)(x / 8) * 4) & mask;
            unsigned bit = 7 - (unsigned)(x & 7), idx = 0;
            for (int p = 0; p < 4; p++)
                idx |= (unsigned)((s->vram[a + (uint32_t)p] >> bit) & 1) << p;
            out[x] = ar_color(s, idx & enable);
        }
    }
}

void vga_render(void *opaque, struct display_frame *f)
{
    struct vga *s = opaque;

    if (vbe_enabled(s)) {
        unsigned bpp = s->vbe[VBE_INDEX_BPP];
        uint64_t bytes = (uint64_t)s->vbe[VBE_INDEX_XRES] * ((bpp + 7) / 8);
        int h = s->vbe[VBE_INDEX_YRES];
        if (bpp == 4)           /* planar: xres / 8 bytes in each of 4 planes */
            bytes = s->vbe[VBE_INDEX_XRES] / 2u;
        uint64_t end = s->vbe_start + (uint64_t)s->vbe_line * (uint64_t)(h ? h - 1 : 0) + bytes;
        if (end <= s->vram_size) {
            uint64_t sum = vbe_sum(s, s->vbe_start, s->vbe_line, h, (uint32_t)bytes);
            if (sum != s->frame_sum) {
                s->frame_sum = sum;
                s->serial++;
            }
        }
    }
    if (f->serial == s->serial)
        return;
    f->serial = s->serial;
    f->text = false;
    f->cols = f->rows = 0;
    f->cursor_on = false;

    if (vbe_enabled(s)) {
        render_vbe(s, f);
        return;
    }
    /* Screen off (sequencer 1 bit 5), or the palette being loaded (AR
     * index bit 5 clear): a black picture of the mode's size. */
    bool off = (s->seq[1] & 0x20) || !(s->ar_index & 0x20);
    if (!(s->ar[0x10] & 1)) {
        render_text(s, f);
        if (off)
            render_blank(f, f->width, f->height);
    } else {
        render_graphics(s, f);
        if (off)
            render_blank(f, f->width, f->height);
    }
}
