/* The VGA's legacy memory window, 0xA0000-0xBFFFF (see vga.h).
 *
 * Graphics controller register 6 bits 2-3 choose what the window decodes:
 * 0 all 128 KiB at 0xA0000, 1 64 KiB at 0xA0000, 2 32 KiB at 0xB0000,
 * 3 32 KiB at 0xB8000; the rest reads all ones and drops writes. With VBE
 * enabled the 64 KiB bank register (dispi BANK) adds to the address.
 *
 * Three ways to reach the planes, from the sequencer memory mode (4):
 *   chain-4 (bit 3): address bits 0-1 pick the plane, the byte is at vram[a]
 *   odd/even (bit 2 clear): address bit 0 picks plane 0/1 (2/3 with GC 4
 *     bit 1 for reads, the page bit for writes), at vram[(a & ~1) * 2 + p]
 *   planar: every plane at vram[a * 4 + p]; reads load the four latches
 *     and return one plane (read mode 0) or a colour compare (mode 1);
 *     writes go through write modes 0-3, the data rotate and logical
 *     function, the bit mask against the latches, and the map mask. */
#include "hw/vga.h"

#include <string.h>

/* One byte repeated in every plane: 0x000000ff -> 0xffffffff. */
static inline uint32_t spread(uint8_t b)
{
    return b * 0x01010101u;
}

/* Bit p of the 4-bit value set -> plane p all ones. */
static inline uint32_t expand4(uint8_t v)
{
    uint32_t r = 0;
    for (int p = 0; p < 4; p++)
        if (v & (1u << p))
            r |= 0xffu << (8 * p);
    return r;
}

/* Window offset -> address inside the decoded range, or -1. */
static int64_t window_addr(const struct vga *s, uint32_t off)
{
    switch ((s->gc[6] >> 2) & 3) {
    case 0:
        return off;
    case 1:
        if (off >= 0x10000)
            return -1;
        return (int64_t)off + (vbe_enabled(s) ? (int64_t)s->vbe[VBE_INDEX_BANK] << 16 : 0);
    case 2:
        return off >= 0x10000 && off < 0x18000 ? (int64_t)off - 0x10000 : -1;
    default:
        return off >= 0x18000 ? (int64_t)off - 0x18000 : -1;
    }
}

uint8_t vga_mem_read(struct vga *s, uint32_t off)
{
    int64_t a = window_addr(s, off);
    uint32_t mask = s->vram_size - 1;

    if (a < 0)
        return 0xff;
    if (s->seq[4] & 0x08)
        return s->vram[a & mask];
    if (!(s->seq[4] & 0x04)) {
        unsigned plane = (s->gc[4] & 2) | (a & 1);
        return s->vram[(((uint64_t)a & ~1ull) << 1 | plane) & mask];
    }
    uint64_t at = ((uint64_t)a << 2) & mask;
    memcpy(&s->latch, s->vram + at, 4);
    if (!(s->gc[5] & 0x08))
        return (uint8_t)(s->latch >> (8 * (s->gc[4] & 3)));
    /* Read mode 1: a bit is set where every plane chosen by colour don't
     * care (GC 7) matches colour compare (GC 2). */
    uint32_t care = expand4(s->gc[7] & 15);
    uint32_t diff = (s->latch ^ expand4(s->gc[2] & 15)) & care;
    uint8_t r = (uint8_t)(diff | diff >> 8 | diff >> 16 | diff >> 24);
    return (uint8_t)~r;
}

void vga_mem_write(struct vga *s, uint32_t off, uint8_t v)
{
    int64_t a = window_addr(s, off);
    uint32_t mask = s->vram_size - 1;
    uint8_t map_mask = s->seq[2] & 15;

    if (a < 0)
        return;
    s->serial++;
    if (s->seq[4] & 0x08) {
        if (map_mask & (1u << (a & 3)))
            s->vram[a & mask] = v;
        return;
    }
    if (!(s->seq[4] & 0x04)) {
        unsigned plane = (s->gc[4] & 2) | (a & 1);
        if (map_mask & (1u << plane))
            s->vram[(((uint64_t)a & ~1ull) << 1 | plane) & mask] = v;
        return;
    }

    unsigned mode = s->gc[5] & 3;
    unsigned rot = s->gc[3] & 7;
    uint8_t bitmask = s->gc[8];
    uint32_t data;

    switch (mode) {
    case 0: {
        uint8_t r = (uint8_t)((v >> rot) | (v << ((8 - rot) & 7)));
        uint32_t sr_en = expand4(s->gc[1] & 15);
        data = (spread(r) & ~sr_en) | (expand4(s->gc[0] & 15) & sr_en);
        break;
    }
    case 1:
        data = s->latch;
        break;
    case 2:
        data = expand4(v & 15);
        break;
    default: {
        uint8_t r = (uint8_t)((v >> rot) | (v << ((8 - rot) & 7)));
        bitmask &= r;
        data = expand4(s->gc[0] & 15);
        break;
    }
    }
    if (mode != 1) {
        switch ((s->gc[3] >> 3) & 3) {
        case 1: data &= s->latch; break;
        case 2: data |= s->latch; break;
        case 3: data ^= s->latch; break;
        default: break;
        }
        uint32_t bm = spread(bitmask);
        data = (data & bm) | (s->latch & ~bm);
    }
    uint32_t planes = expand4(map_mask);
    uint64_t at = ((uint64_t)a << 2) & mask;
    uint32_t old;
    memcpy(&old, s->vram + at, 4);
    old = (old & ~planes) | (data & planes);
    memcpy(s->vram + at, &old, 4);
}
