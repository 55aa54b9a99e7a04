/* Unit tests for the std VGA (src/hw/vga*.c), driven through its ports
 * and legacy window as a guest would: register files (sequencer, CRTC
 * with write protect, GC, the AC flip-flop), the DAC's indices and 6-bit
 * components, input status, write modes 0-3 with set/reset, rotate,
 * logical functions, bit mask and map mask, read modes 0/1, chain-4 and
 * odd/even, the memory map select, the Bochs VBE registers (ID, caps,
 * enable, bank, virtual width and offsets), the PCI function's BARs, and
 * the renderer: a text cell, a mode 13h pixel, planar 16-colour pixels,
 * VBE pixels at 8/16/32 bpp, and serial staying put when nothing changed. */
#include "test.h"
#include "mem/iobus.h"
#include "mem/physmem.h"
#include "hw/vga.h"

static struct iobus bus;
static struct vga vga;
static uint8_t *vram;
static struct display_frame frame;

static void out(uint16_t port, uint8_t v) { iobus_out(&bus, port, v, 1); }
static uint8_t in(uint16_t port) { return (uint8_t)iobus_in(&bus, port, 1); }
static void seq(uint8_t i, uint8_t v) { out(0x3C4, i); out(0x3C5, v); }
static void gc(uint8_t i, uint8_t v) { out(0x3CE, i); out(0x3CF, v); }
static void crtc(uint8_t i, uint8_t v) { out(0x3D4, i); out(0x3D5, v); }
static void ar(uint8_t i, uint8_t v) { (void)in(0x3DA); out(0x3C0, i); out(0x3C0, v); }
static void dac(uint8_t i, uint8_t r, uint8_t g, uint8_t b)
{
    out(0x3C8, i); out(0x3C9, r); out(0x3C9, g); out(0x3C9, b);
}
static void vbe(uint16_t i, uint16_t v) { iobus_out(&bus, 0x1CE, i, 2); iobus_out(&bus, 0x1CF, v, 2); }
static uint16_t vbe_get(uint16_t i) { iobus_out(&bus, 0x1CE, i, 2); return (uint16_t)iobus_in(&bus, 0x1CF, 2); }
static void wr(uint32_t a, uint8_t v) { vga_mem_write(&vga, a - VGA_WINDOW_BASE, v); }
static uint8_t rd(uint32_t a) { return vga_mem_read(&vga, a - VGA_WINDOW_BASE); }

static void render(void) { vga_render(&vga, &frame); }
static uint32_t px(int x, int y) { return frame.pixels[y * frame.width + x]; }

static void test_registers(void)
{
    out(0x3C2, 0x67);                   /* colour: CRTC at 0x3D4 */
    CHECK_EQ(in(0x3CC), 0x67, "misc output reads back at 0x3CC");
    seq(2, 0x0f);
    CHECK_EQ((out(0x3C4, 2), in(0x3C5)), 0x0f, "sequencer map mask");
    gc(5, 0x10);
    CHECK_EQ((out(0x3CE, 5), in(0x3CF)), 0x10, "GC mode");
    crtc(0x0e, 0x12);
    CHECK_EQ((out(0x3D4, 0x0e), in(0x3D5)), 0x12, "CRTC cursor high");
    CHECK_EQ(in(0x3B5), 0xff, "mono CRTC port dead in colour mode");
    crtc(0x11, 0x80);                   /* protect 0-7 */
    crtc(0x01, 0x55);
    CHECK(vga.crtc[1] != 0x55, "CRTC 0x11 bit 7 protects register 1");
    crtc(0x07, 0x10);
    CHECK_EQ(vga.crtc[7] & 0x10, 0x10, "line compare bit 8 still writable");
    crtc(0x11, 0x00);
    crtc(0x01, 0x55);
    CHECK_EQ(vga.crtc[1], 0x55, "unprotected CRTC 1 takes the write");

    /* Attribute controller flip-flop: index, data, index... reset by 0x3DA */
    (void)in(0x3DA);
    out(0x3C0, 0x03);
    out(0x3C0, 0x2a);
    CHECK_EQ(vga.ar[3], 0x2a, "AC palette 3 written after its index");
    out(0x3C0, 0x04);                   /* this is an index again */
    (void)in(0x3DA);                    /* reset: next is an index */
    out(0x3C0, 0x05);
    out(0x3C0, 0x11);
    CHECK_EQ(vga.ar[5], 0x11, "0x3DA read resets the flip-flop");
    CHECK_EQ(vga.ar[4], 0, "palette 4 untouched");
    out(0x3C0, 0x21);
    CHECK_EQ(in(0x3C0), 0x21, "AC index with PAS reads back");
    out(0x3C0, 0xff);
    CHECK_EQ(in(0x3C1), 0x3f, "palette registers keep 6 bits");

    uint8_t a = in(0x3DA), b = in(0x3DA);
    CHECK((a ^ b) & 0x08, "input status 1 retrace bit toggles");

    /* DAC: write index, auto-increment, 6-bit components, read index */
    dac(10, 0x3f, 0x7f, 0x01);
    dac(11, 1, 2, 3);
    out(0x3C7, 10);
    CHECK_EQ(in(0x3C7), 3, "DAC state: read mode");
    CHECK_EQ(in(0x3C9), 0x3f, "DAC red");
    CHECK_EQ(in(0x3C9), 0x3f, "DAC green masked to 6 bits");
    CHECK_EQ(in(0x3C9), 0x01, "DAC blue");
    CHECK_EQ(in(0x3C9), 1, "DAC read index advanced to 11");
    CHECK_EQ(in(0x3C8), 12, "DAC write index advanced past 11");
}

static void planar_setup(void)
{
    seq(4, 0x06);                       /* planar, no odd/even */
    gc(6, 0x05);                        /* graphics, A0000 64K */
    gc(5, 0x00);
    gc(1, 0x00);
    gc(3, 0x00);
    gc(8, 0xff);
    seq(2, 0x0f);
}

static void test_write_modes(void)
{
    planar_setup();
    /* write mode 0 with map mask: planes 0 and 2 */
    seq(2, 0x05);
    wr(0xA0000, 0xa5);
    CHECK(vram[0] == 0xa5 && vram[1] == 0 && vram[2] == 0xa5 && vram[3] == 0,
          "write mode 0, map mask 0101");
    seq(2, 0x0f);
    /* set/reset: planes 1, 3 from GC 0 = 0b1010 */
    gc(0, 0x0a);
    gc(1, 0x0f);
    wr(0xA0001, 0x00);
    CHECK(vram[4] == 0 && vram[5] == 0xff && vram[6] == 0 && vram[7] == 0xff,
          "set/reset fills the enabled planes");
    gc(1, 0);
    /* rotate 4 + bit mask 0x0f against the latches */
    (void)rd(0xA0001);                  /* latches: 00 ff 00 ff */
    gc(3, 0x04);
    gc(8, 0x0f);
    wr(0xA0001, 0x3c);                  /* rotated: 0xc3 */
    CHECK(vram[4] == 0x03 && vram[5] == 0xf3 && vram[6] == 0x03 && vram[7] == 0xf3,
          "rotate and bit mask merge with the latches");
    gc(8, 0xff);
    /* logical function XOR */
    (void)rd(0xA0001);
    gc(3, 0x18);
    wr(0xA0001, 0xff);
    CHECK(vram[4] == 0xfc && vram[5] == 0x0c, "function XOR with the latches");
    gc(3, 0x00);
    /* write mode 1 copies the latches */
    (void)rd(0xA0001);
    gc(5, 0x01);
    wr(0xA0002, 0x00);
    CHECK(memcmp(vram + 8, vram + 4, 4) == 0, "write mode 1 copies latches");
    /* write mode 2: colour 0b0110 to the masked bits */
    gc(5, 0x02);
    gc(8, 0x80);
    (void)rd(0xA0003);
    wr(0xA0003, 0x06);
    CHECK(vram[12] == 0 && vram[13] == 0x80 && vram[14] == 0x80 && vram[15] == 0,
          "write mode 2 expands the colour under the bit mask");
    /* write mode 3: set/reset colour, mask = bit mask & data */
    gc(5, 0x03);
    gc(8, 0xff);
    gc(0, 0x09);
    (void)rd(0xA0003);
    wr(0xA0003, 0x01);
    CHECK(vram[12] == 0x01 && vram[13] == 0x80 && vram[14] == 0x80 && vram[15] == 0x01,
          "write mode 3 uses set/reset under data & bit mask");
    gc(5, 0x00);
    gc(0, 0);
    /* read mode 0: plane chosen by GC 4 */
    gc(4, 2);
    CHECK_EQ(rd(0xA0003), 0x80, "read mode 0 from plane 2");
    gc(4, 0);
    /* read mode 1: colour compare 0b0110 on byte 3: only bit 7 matches */
    gc(5, 0x08);
    gc(2, 0x06);
    gc(7, 0x0f);
    CHECK_EQ(rd(0xA0003), 0x80, "read mode 1: only bit 7 has colour 0110");
    gc(7, 0x00);
    CHECK_EQ(rd(0xA0003), 0xff, "read mode 1, no planes cared: all match");
    gc(5, 0x00);
}

static void test_chain4_oddeven_map(void)
{
    memset(vram, 0, VGA_VRAM_SIZE);
    seq(4, 0x0e);                       /* chain-4 */
    gc(6, 0x05);
    seq(2, 0x0f);
    wr(0xA0005, 0x42);
    CHECK_EQ(vram[5], 0x42, "chain-4 byte 5 at vram[5]");
    seq(2, 0x0d);                       /* plane 1 off */
    wr(0xA0005, 0x43);
    CHECK_EQ(vram[5], 0x42, "chain-4 honours the map mask (address bits 0-1)");
    seq(2, 0x0f);
    CHECK_EQ(rd(0xA0005), 0x42, "chain-4 read");

    seq(4, 0x02);                       /* odd/even */
    gc(4, 0x00);
    gc(5, 0x10);
    gc(6, 0x0e);                        /* B8000, chained */
    wr(0xB8000, 'A');
    wr(0xB8001, 0x1e);
    wr(0xB8002, 'B');
    CHECK(vram[0] == 'A' && vram[1] == 0x1e && vram[4] == 'B', "odd/even: chars plane 0, attrs plane 1");
    CHECK_EQ(rd(0xB8001), 0x1e, "odd/even read of an attribute");
    CHECK_EQ(rd(0xA0000), 0xff, "map select 3: 0xA0000 not decoded");
    gc(6, 0x0a);
    CHECK_EQ(rd(0xB0000), 'A', "map select 2: 0xB0000");
    gc(6, 0x02);
    CHECK_EQ(rd(0xA0000), 'A', "map select 0: whole window from 0xA0000");
}

/* Mode 3 as the VGA BIOS leaves it (the registers that matter). */
static void text_mode(void)
{
    out(0x3C2, 0x67);
    seq(1, 0x00); seq(2, 0x03); seq(3, 0x00); seq(4, 0x02);
    crtc(0x11, 0x00);
    crtc(0x01, 0x4f); crtc(0x07, 0x1f); crtc(0x09, 0x4f); crtc(0x12, 0x8f);
    crtc(0x0a, 0x0d); crtc(0x0b, 0x0e); crtc(0x0c, 0); crtc(0x0d, 0);
    crtc(0x0e, 0); crtc(0x0f, 5); crtc(0x13, 0x28); crtc(0x17, 0xa3);
    gc(5, 0x10); gc(6, 0x0e);
    for (int i = 0; i < 16; i++)
        ar((uint8_t)i, (uint8_t)i);
    ar(0x10, 0x0c); ar(0x12, 0x0f); ar(0x14, 0);
    out(0x3C0, 0x20);
    dac(0, 0, 0, 0);
    dac(1, 0, 0, 0x2a);
    dac(14, 0x3f, 0x3f, 0x15);
}

static void test_render_text(void)
{
    memset(vram, 0, VGA_VRAM_SIZE);
    text_mode();
    /* glyph for 'A' in plane 2: row 3 = 0x81 */
    vram[(('A' * 32) + 3) * 4 + 2] = 0x81;
    /* cell (1, 0): 'A' yellow (14) on blue (1) */
    vram[1 * 4] = 'A';
    vram[1 * 4 + 1] = 0x1e;
    render();
    CHECK(frame.text && frame.cols == 80 && frame.rows == 25, "mode 3: 80x25 text (%dx%d)",
          frame.cols, frame.rows);
    CHECK(frame.width == 720 && frame.height == 400, "mode 3: 720x400 (%dx%d)", frame.width,
          frame.height);
    CHECK_EQ(frame.cells[1], 'A' | 0x1e << 8, "cell (1,0) holds A on 0x1e");
    CHECK_EQ(px(9, 3), 0xffff57, "glyph bit 7 in the foreground colour");
    CHECK_EQ(px(10, 3), 0x0000a8, "glyph bit 6 clear: background");
    CHECK_EQ(px(16, 3), 0xffff57, "glyph bit 0 in the foreground");
    CHECK_EQ(px(17, 3), 0x0000a8, "9th column: background for 'A'");
    vram[1 * 4] = 0xC4;                 /* line graphics: 9th dot repeats */
    vram[((0xC4 * 32) + 3) * 4 + 2] = 0x01;
    vga.serial++;                       /* stores behind the device's back */
    render();
    CHECK_EQ(px(17, 3), 0xffff57, "9th column repeats bit 0 for C0h-DFh");
    CHECK(frame.cursor_on && frame.cursor_col == 5 && frame.cursor_row == 0, "cursor at (5, 0)");
    CHECK_EQ(px(5 * 9, 12), 0x000000, "above the cursor: background");
    vram[5 * 4 + 1] = 0x1e;
    vga.serial++;
    render();
    CHECK_EQ(px(5 * 9, 13), 0xffff57, "cursor line 13 in the cell's foreground");
    uint64_t serial = frame.serial;
    render();
    CHECK_EQ(frame.serial, serial, "nothing changed: serial stays");
    (void)in(0x3DA);
    render();
    CHECK_EQ(frame.serial, serial, "status reads do not change the picture");
    wr(0xB8000, 'x');
    render();
    CHECK(frame.serial != serial, "a window write bumps serial");
}

static void test_render_13h(void)
{
    memset(vram, 0, VGA_VRAM_SIZE);
    out(0x3C2, 0x63);
    seq(1, 0x01); seq(2, 0x0f); seq(4, 0x0e);
    crtc(0x01, 0x4f); crtc(0x07, 0x1f); crtc(0x09, 0x41); crtc(0x12, 0x8f);
    crtc(0x0c, 0); crtc(0x0d, 0); crtc(0x13, 0x28); crtc(0x14, 0x40); crtc(0x17, 0xa3);
    gc(5, 0x40); gc(6, 0x05);
    ar(0x10, 0x41);
    out(0x3C0, 0x20);
    dac(0x80, 0x3f, 0x20, 0x01);
    wr(0xA0000 + 199 * 320 + 319, 0x80);
    render();
    CHECK(!frame.text && frame.width == 320 && frame.height == 200, "13h: 320x200 (%dx%d)",
          frame.width, frame.height);
    CHECK_EQ(px(319, 199), 0xff8007, "13h pixel (319,199) through the DAC");
    CHECK_EQ(px(318, 199), 0x000000, "13h neighbour black");
    out(0x3C6, 0x7f);                   /* pel mask */
    render();
    CHECK_EQ(px(319, 199), 0x000000, "DAC pel mask applies");
    out(0x3C6, 0xff);
}

static void test_render_planar(void)
{
    memset(vram, 0, VGA_VRAM_SIZE);
    out(0x3C2, 0xe3);
    seq(1, 0x01); seq(4, 0x06);
    crtc(0x01, 0x4f); crtc(0x07, 0x3e); crtc(0x09, 0x40); crtc(0x12, 0xdf);
    crtc(0x13, 0x28); crtc(0x17, 0xe3);
    gc(5, 0x00); gc(6, 0x05);
    for (int i = 0; i < 16; i++)
        ar((uint8_t)i, (uint8_t)i);
    ar(0x10, 0x01); ar(0x12, 0x0f); ar(0x14, 0);
    out(0x3C0, 0x20);
    dac(9, 0x15, 0x15, 0x3f);
    /* colour 9 at (8, 1) by write mode 2 */
    planar_setup();
    gc(5, 0x02);
    gc(8, 0x80);
    (void)rd(0xA0000 + 80 + 1);
    wr(0xA0000 + 80 + 1, 9);
    gc(5, 0);
    gc(8, 0xff);
    render();
    CHECK(frame.width == 640 && frame.height == 480, "mode 12h: 640x480 (%dx%d)",
          frame.width, frame.height);
    CHECK_EQ(px(8, 1), 0x5757ff, "planar pixel (8,1) colour 9");
    CHECK_EQ(px(9, 1), 0, "its neighbour stays 0");
    ar(0x12, 0x07);                     /* colour plane 3 disabled */
    out(0x3C0, 0x20);
    render();
    CHECK_EQ(px(8, 1), 0x0000a8, "colour plane enable masks plane 3 (colour 1 -> DAC 1)");
}

static void test_vbe(void)
{
    CHECK_EQ(vbe_get(VBE_INDEX_ID), VBE_ID5, "dispi ID B0C5");
    vbe(VBE_INDEX_ID, VBE_ID0 + 2);
    CHECK_EQ(vbe_get(VBE_INDEX_ID), VBE_ID0 + 2, "dispi ID writable in B0C0-B0C5");
    vbe(VBE_INDEX_ID, 0x1234);
    CHECK_EQ(vbe_get(VBE_INDEX_ID), VBE_ID0 + 2, "dispi ID refuses other values");
    CHECK_EQ(vbe_get(VBE_INDEX_VIDEO_MEMORY_64K), 256, "16 MiB of VRAM in 64K units");
    vbe(VBE_INDEX_ENABLE, VBE_GETCAPS);
    CHECK(vbe_get(VBE_INDEX_XRES) == VBE_MAX_XRES && vbe_get(VBE_INDEX_BPP) == 32, "GETCAPS maxima");
    vbe(VBE_INDEX_ENABLE, 0);
    vbe(VBE_INDEX_XRES, 640);
    vbe(VBE_INDEX_YRES, 480);
    vbe(VBE_INDEX_BPP, 32);
    vbe(VBE_INDEX_BPP, 17);
    CHECK_EQ(vbe_get(VBE_INDEX_BPP), 32, "bpp 17 refused");
    memset(vram, 0x55, 64);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED | VBE_LFB_ENABLED);
    CHECK_EQ(vram[0], 0, "enable clears VRAM");
    CHECK_EQ(vbe_get(VBE_INDEX_VIRT_WIDTH), 640, "virtual width = xres");
    CHECK_EQ(vbe_get(VBE_INDEX_VIRT_HEIGHT), (16u << 20) / 2560, "virtual height from VRAM");
    /* pixel (3, 2) = 0x123456 */
    uint32_t at = 2 * 2560 + 3 * 4;
    vram[at] = 0x56; vram[at + 1] = 0x34; vram[at + 2] = 0x12;
    render();
    CHECK(frame.width == 640 && frame.height == 480 && !frame.text, "VBE 640x480 frame");
    CHECK_EQ(px(3, 2), 0x123456, "32 bpp pixel");
    uint64_t serial = frame.serial;
    render();
    CHECK_EQ(frame.serial, serial, "idle LFB: serial stays");
    vram[at] = 0x57;                    /* as the guest's plain store would */
    render();
    CHECK(frame.serial != serial, "an LFB store bumps serial");
    CHECK_EQ(px(3, 2), 0x123457, "and shows");
    /* offsets: the picture starts at line 2, pixel 3 */
    vbe(VBE_INDEX_VIRT_WIDTH, 1024);
    vbe(VBE_INDEX_X_OFFSET, 3);
    vbe(VBE_INDEX_Y_OFFSET, 2);
    at = 2 * 4096 + 3 * 4;
    vram[at] = 0xff;
    render();
    CHECK_EQ(px(0, 0), 0x0000ff, "virtual width and X/Y offset move the picture");
    vbe(VBE_INDEX_X_OFFSET, 0);
    vbe(VBE_INDEX_Y_OFFSET, 0);
    /* banked window: bank 1 maps VRAM 64K at 0xA0000 */
    gc(6, 0x05);
    seq(4, 0x0e);
    seq(2, 0x0f);
    vbe(VBE_INDEX_BANK, 1);
    wr(0xA0010, 0x99);
    CHECK_EQ(vram[0x10010], 0x99, "bank 1 window write lands at 64K + 0x10");
    vbe(VBE_INDEX_BANK, 0);
    /* 16 bpp 5:6:5 */
    vbe(VBE_INDEX_ENABLE, 0);
    vbe(VBE_INDEX_BPP, 16);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED | VBE_NOCLEARMEM);
    vram[0] = 0x00; vram[1] = 0xf8;      /* pure red */
    vram[2] = 0xe0; vram[3] = 0x07;      /* pure green */
    render();
    CHECK(px(0, 0) == 0xff0000 && px(1, 0) == 0x00ff00, "16 bpp red, green (%06x %06x)",
          px(0, 0), px(1, 0));
    /* 4 bpp planar: 8 pixels in 4 interleaved bytes, through the palette */
    vbe(VBE_INDEX_ENABLE, 0);
    vbe(VBE_INDEX_BPP, 4);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED);
    CHECK_EQ(vga.vbe_line, 320, "4 bpp: a 640-pixel line is 320 interleaved bytes");
    for (int i = 0; i < 16; i++)
        ar((uint8_t)i, (uint8_t)i);
    ar(0x10, 0x01); ar(0x12, 0x0f); ar(0x14, 0);
    out(0x3C0, 0x20);
    dac(5, 0x3f, 0, 0x3f);
    vram[320 * 3 + 4 + 0] = 0x40;       /* pixel (9, 3): planes 0 and 2 = colour 5 */
    vram[320 * 3 + 4 + 2] = 0x40;
    render();
    CHECK(px(9, 3) == 0xff00ff && px(8, 3) == 0, "4 bpp planar pixel (9, 3) colour 5 (%06x)",
          px(9, 3));
    /* 8 bpp through the DAC, 8-bit DAC */
    vbe(VBE_INDEX_ENABLE, 0);
    vbe(VBE_INDEX_BPP, 8);
    vbe(VBE_INDEX_ENABLE, VBE_ENABLED | VBE_8BIT_DAC);
    dac(7, 0xc0, 0x80, 0x40);
    vram[5] = 7;
    render();
    CHECK_EQ(px(5, 0), 0xc08040, "8 bpp with an 8-bit DAC");
    vbe(VBE_INDEX_ENABLE, 0);
}

static void test_pci(struct physmem *mem, uint64_t off)
{
    static struct vga pv;
    struct pci_bus pbus;
    struct iobus io2;
    uint8_t rom[3000];

    memset(&pbus, 0, sizeof pbus);
    memset(rom, 0x55, sizeof rom);
    rom[0] = 0x55; rom[1] = 0xaa;
    CHECK(iobus_init(&io2) == 0, "second I/O bus");
    CHECK(vga_pci_init(&pv, &pbus, PCI_DEVFN(2, 0), &io2, mem, off, rom, sizeof rom) == 0,
          "PCI VGA at 00:02.0");
    struct pci_device *d = &pv.pci;
    CHECK(pci_get32(d, 0) == 0x11111234 && pci_config_read(d, 0x0b, 1) == 0x03 &&
          pci_config_read(d, 0x08, 1) == 2, "IDs 1234:1111 rev 2 class 03");
    pci_config_write(d, PCI_BAR0, 0xffffffff, 4);
    CHECK_EQ(pci_get32(d, PCI_BAR0), 0xff000008, "BAR0 sizes to 16 MiB prefetchable");
    pci_config_write(d, PCI_BAR0 + 8, 0xffffffff, 4);
    CHECK_EQ(pci_get32(d, PCI_BAR0 + 8), 0xfffff000, "BAR2 sizes to 4 KiB");
    pci_config_write(d, 0x30, 0xfffffffe, 4);
    CHECK_EQ(pci_get32(d, 0x30), 0xfffff000, "ROM BAR sizes to 4 KiB");
    pci_config_write(d, PCI_BAR0, 0xe0000000, 4);
    pci_config_write(d, PCI_BAR0 + 8, 0xe1000000, 4);
    pci_config_write(d, 0x30, 0xe1010001, 4);
    pci_config_write(d, PCI_COMMAND, 2, 2);
    physmem_write(mem, 0xe0000000 + 100, 0xab, 1);
    CHECK_EQ(pv.vram[100], 0xab, "BAR0 maps VRAM as RAM");
    bool w = false;
    CHECK(physmem_page(mem, 0xe0000000, &w) == pv.vram && w, "VRAM is plain host memory");
    CHECK_EQ(physmem_read(mem, 0xe1010000, 2), 0xaa55, "ROM BAR shows the BIOS");
    physmem_write(mem, 0xe1000000 + 0x500 + 2 * VBE_INDEX_XRES, 800, 2);
    CHECK_EQ(pv.vbe[VBE_INDEX_XRES], 800, "BAR2 +0x500: dispi registers");
    physmem_write(mem, 0xe1000000 + 0x404, 0x02, 1);       /* 0x3C4: seq index */
    CHECK_EQ(pv.seq_index, 2, "BAR2 +0x400: VGA ports");
    CHECK_EQ(physmem_read(mem, 0xe1000000 + 0x604, 4), 0x1e1e1e1e, "BAR2 +0x600: little endian");
    pci_config_write(d, PCI_BAR0, 0xd0000000, 4);
    CHECK(physmem_page(mem, 0xe0000000, NULL) == NULL && physmem_page(mem, 0xd0000000, NULL) == pv.vram,
          "moving BAR0 moves the VRAM");
    pci_config_write(d, PCI_COMMAND, 0, 2);
    CHECK(physmem_page(mem, 0xd0000000, NULL) == NULL, "memory decode off unmaps it");
    physmem_write(mem, 0xA0000, 1, 1);
    vga_pci_free(&pv);
    iobus_free(&io2);
}

int main(void)
{
    struct physmem mem;
    uint64_t off = 0;

    if (physmem_init(&mem, 1 << 20) || physmem_map_ram(&mem, 0, 0xA0000, 0, "low") ||
        physmem_alloc_device_ram(&mem, VGA_VRAM_SIZE, &off)) {
        printf("FAIL physmem setup\n");
        return 1;
    }
    CHECK(off == 1 << 20 && mem.ram_size == (1 << 20) + VGA_VRAM_SIZE,
          "device RAM follows the guest RAM in the memfd");
    mem.ram[5] = 7;
    CHECK_EQ(physmem_read(&mem, 5, 1), 7, "RAM regions follow the moved mapping");
    vram = mem.ram + off;
    frame.pixels = calloc((size_t)DISPLAY_MAX_WIDTH * DISPLAY_MAX_HEIGHT, 4);
    if (iobus_init(&bus) || vga_init(&vga, &bus, vram, VGA_VRAM_SIZE)) {
        printf("FAIL vga_init\n");
        return 1;
    }
    test_registers();
    test_write_modes();
    test_chain4_oddeven_map();
    test_render_text();
    test_render_13h();
    test_render_planar();
    test_vbe();
    test_pci(&mem, off);
    free(frame.pixels);
    iobus_free(&bus);
    physmem_free(&mem);
    return test_summary();
}
