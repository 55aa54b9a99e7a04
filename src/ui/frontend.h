/* Display frontends: where the screen a display_source renders goes and
 * where keys and pointer come from (src/ui/display.c parses --display and
 * picks one; display_sdl.c, display_vnc.c, display_curses.c are the
 * frontends; src/vm/screen.c drives them from the board).
 *
 *   none            nothing (the default): no window, no timer
 *   sdl             an SDL2 window titled "rawbox"
 *   vnc=[HOST]:N    a VNC server on TCP port 5900+N (QEMU's -vnc spelling);
 *                   HOST empty: every interface
 *   curses          text modes drawn on the terminal (ncurses)
 *
 * A frontend runs on the vCPU thread only: the board calls present() with a
 * new frame and poll() to collect input, which the frontend hands to the
 * display_input callbacks before poll() returns. A frontend may be built
 * out (its library was missing at build time): then open() fails saying so. */
#ifndef RAWBOX_UI_FRONTEND_H
#define RAWBOX_UI_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/display.h"
#include "ui/keymap.h"

enum display_kind { DISPLAY_NONE, DISPLAY_SDL, DISPLAY_VNC, DISPLAY_CURSES };

#define DISPLAY_VNC_BASE_PORT 5900
#define DISPLAY_VNC_MAX       (65535 - DISPLAY_VNC_BASE_PORT)

struct display_spec {
    enum display_kind kind;
    char host[64];              /* vnc: "" = every interface */
    int vnc_display;            /* vnc: N, the port is 5900 + N */
};

/* Parse a --display value. Returns 0, or -1 with the reason in err. */
int display_parse(const char *text, struct display_spec *out, char *err, size_t errlen);

/* What the frontend may ask of rawbox itself (not of the guest). */
struct display_host {
    void *opaque;
    /* The user closed the window or typed the quit key (Ctrl-A X). */
    void (*quit)(void *opaque);
    /* A monitor line (curses: Ctrl-A C); the reply goes to out(ctx, text).
     * NULL: no monitor. */
    void (*monitor)(void *opaque, const char *line,
                    void (*out)(void *ctx, const char *text), void *ctx);
};

struct display_frontend;

struct display_frontend_ops {
    const char *name;
    /* Set up; returns 0 or -1 with the reason in err. */
    int (*open)(struct display_frontend *fe, char *err, size_t errlen);
    /* Show f (called when its serial changed, and once at the start). */
    void (*present)(struct display_frontend *fe, const struct display_frame *f);
    /* Collect pending input and hand it to fe->input. */
    void (*poll)(struct display_frontend *fe);
    /* A host fd worth watching while the guest idles (-1: none); poll()
     * runs when it is readable. */
    int (*fd)(struct display_frontend *fe);
    void (*close)(struct display_frontend *fe);
};

struct display_frontend {
    const struct display_frontend_ops *ops;
    struct display_spec spec;
    struct display_input input;
    struct display_host host;
    void *priv;                 /* the frontend's own state */
};

/* Create and open the frontend spec names (spec->kind != DISPLAY_NONE).
 * Returns it, or NULL with the reason in err. */
struct display_frontend *display_open(const struct display_spec *spec,
                                      const struct display_input *input,
                                      const struct display_host *host,
                                      char *err, size_t errlen);
void display_close(struct display_frontend *fe);

extern const struct display_frontend_ops display_sdl_ops, display_vnc_ops, display_curses_ops;

/* Helpers the frontends share (display.c). */

/* Press keys in order, then release them in reverse (sendkey's way of
 * pressing modifiers around a key). */
void display_tap(const struct display_input *in, const struct keymap_key *keys, int n);

/* A blank screen, for a board without a display adapter or a mode that is
 * off: DISPLAY_BLANK_W x DISPLAY_BLANK_H black pixels. */
#define DISPLAY_BLANK_W 640
#define DISPLAY_BLANK_H 400

#endif
