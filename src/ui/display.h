/* What a screen shows and what its user types, between the board's display
 * adapter (the source: hw/vga.c renders its state) and the frontends that
 * show it (src/ui/display_*.c: none, curses, sdl, vnc) or save it
 * (screendump).
 *
 * Everything here runs on the vCPU thread: the board calls the source's
 * update() from a display timer or a monitor command, never while an
 * instruction is half done, so the source reads device state without
 * locks. Frontends with threads of their own (a VNC server) queue input and
 * hand it over on the vCPU thread. */
#ifndef RAWBOX_UI_DISPLAY_H
#define RAWBOX_UI_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DISPLAY_MAX_WIDTH   2560
#define DISPLAY_MAX_HEIGHT  1600
#define DISPLAY_MAX_COLS    132
#define DISPLAY_MAX_ROWS    60

/* One picture of the screen. The source owns nothing here: the caller
 * allocates pixels (DISPLAY_MAX_WIDTH * DISPLAY_MAX_HEIGHT words) once and
 * passes the same frame to every update(). */
struct display_frame {
    uint32_t *pixels;           /* 0x00RRGGBB, row after row, stride = width */
    int width, height;          /* of the current mode; 0 x 0 = blank/off */
    /* Text modes also give their cells, for frontends that draw text (curses)
     * and for tests that read the screen: cols x rows cells, each
     * character | attribute << 8 (CGA attribute: fg, bg, blink/bright). */
    bool text;
    int cols, rows;
    uint16_t cells[DISPLAY_MAX_COLS * DISPLAY_MAX_ROWS];
    int cursor_col, cursor_row; /* where the hardware cursor is ... */
    bool cursor_on;             /* ... and whether it shows */
    /* Bumped by the source whenever the picture (pixels or cells) may have
     * changed; a frontend that saw the same value need not redraw. */
    uint64_t serial;
};

/* The display adapter, seen from the frontends. */
struct display_source {
    void *opaque;
    /* Render the current screen into f (pixels always; cells too in a text
     * mode). Cheap when nothing changed: then f->serial stays as it was. */
    void (*update)(void *opaque, struct display_frame *f);
};

/* Mouse buttons for display_input.mouse. */
#define DISPLAY_BTN_LEFT    1u
#define DISPLAY_BTN_RIGHT   2u
#define DISPLAY_BTN_MIDDLE  4u

/* Where a frontend's keys and pointer go (the board's PS/2 keyboard and
 * mouse). Keys are PC set 1 make codes (src/ui/keymap.h), e0 for the
 * extended keys; the keyboard turns them into what the guest selected. */
struct display_input {
    void *opaque;
    void (*key)(void *opaque, uint8_t set1, bool e0, bool down);
    /* Relative motion (dx right, dy down), wheel dz (positive: towards the
     * user) and the buttons held now. */
    void (*mouse)(void *opaque, int dx, int dy, int dz, unsigned buttons);
};

#endif
