/* The SDL2 frontend (--display sdl): a resizable window titled "rawbox"
 * showing the frame scaled to the window with its aspect kept (a
 * streaming texture updated when the frame's serial changes; the window
 * takes the mode's size when the mode changes).
 *
 * Keys: SDL scancodes are USB HID usages (keymap_from_usb), so the guest
 * gets the key's position whatever the host's layout. Mouse: a click in
 * the window grabs the pointer (SDL relative mode, motion goes to the
 * guest's PS/2 mouse) and Ctrl-Alt-G releases it, as in QEMU; the title
 * says which. Losing the focus releases the keys the guest sees held. Closing the window ends rawbox. SDL's own SIGINT/SIGTERM
 * handlers are turned off: rawbox's stay.
 *
 * Runs without a screen under SDL_VIDEODRIVER=dummy or offscreen (the
 * tests). Left out: full screen, a menu, HiDPI scaling choices. */
#include "ui/frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef RAWBOX_HAVE_SDL
#include <SDL.h>

#define TITLE         "rawbox"
#define TITLE_GRABBED "rawbox - Press Ctrl-Alt-G to release grab"

struct sdl {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int width, height;          /* of the texture */
    bool grabbed;
    unsigned buttons;
    bool held[256];             /* keys down in the guest: code | e0 << 7 */
    uint8_t grab_button;        /* the click that grabbed: its release is ours too */
};

/* Focus lost: the guest would never see the release of what was held
 * (Alt of an Alt-Tab), so release everything, as QEMU does. */
static void release_all(struct sdl *s, const struct display_input *in)
{
    for (int i = 0; i < 256; i++)
        if (s->held[i]) {
            s->held[i] = false;
            in->key(in->opaque, (uint8_t)(i & 0x7f), i >= 0x80, false);
        }
}

static int sdl_open(struct display_frontend *fe, char *err, size_t errlen)
{
    struct sdl *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
        snprintf(err, errlen, "SDL: %s", SDL_GetError());
        free(s);
        return -1;
    }
    s->win = SDL_CreateWindow(TITLE, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                              DISPLAY_BLANK_W, DISPLAY_BLANK_H, SDL_WINDOW_RESIZABLE);
    if (s->win)
        s->ren = SDL_CreateRenderer(s->win, -1, 0);
    if (s->win && !s->ren)      /* no GPU renderer: the software one */
        s->ren = SDL_CreateRenderer(s->win, -1, SDL_RENDERER_SOFTWARE);
    if (!s->win || !s->ren) {
        snprintf(err, errlen, "SDL: %s", SDL_GetError());
        if (s->win)
            SDL_DestroyWindow(s->win);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        free(s);
        return -1;
    }
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    fe->priv = s;
    return 0;
}

static void sdl_present(struct display_frontend *fe, const struct display_frame *f)
{
    struct sdl *s = fe->priv;
    if (!s->tex || f->width != s->width || f->height != s->height) {
        if (s->tex)
            SDL_DestroyTexture(s->tex);
        s->tex = SDL_CreateTexture(s->ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                   f->width, f->height);
        if (!s->tex)
            return;
        s->width = f->width;
        s->height = f->height;
        SDL_SetWindowSize(s->win, f->width, f->height);
        SDL_RenderSetLogicalSize(s->ren, f->width, f->height);     /* scale, keep aspect */
    }
    SDL_UpdateTexture(s->tex, NULL, f->pixels, f->width * 4);
    SDL_SetRenderDrawColor(s->ren, 0, 0, 0, 255);
    SDL_RenderClear(s->ren);
    SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
    SDL_RenderPresent(s->ren);
}

static void set_grab(struct sdl *s, bool on)
{
    s->grabbed = on;
    SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE);
    SDL_SetWindowTitle(s->win, on ? TITLE_GRABBED : TITLE);
}

static unsigned sdl_button(uint8_t b)
{
    return b == SDL_BUTTON_LEFT ? DISPLAY_BTN_LEFT : b == SDL_BUTTON_RIGHT ? DISPLAY_BTN_RIGHT
         : b == SDL_BUTTON_MIDDLE ? DISPLAY_BTN_MIDDLE : 0;
}

static void sdl_poll(struct display_frontend *fe)
{
    struct sdl *s = fe->priv;
    const struct display_input *in = &fe->input;
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        switch (ev.type) {
        case SDL_QUIT:
            fe->host.quit(fe->host.opaque);
            break;
        case SDL_WINDOWEVENT:
            if (ev.window.event == SDL_WINDOWEVENT_CLOSE)
                fe->host.quit(fe->host.opaque);
            else if (ev.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                release_all(s, in);
                if (s->grabbed)
                    set_grab(s, false);
            }
            else if (ev.window.event == SDL_WINDOWEVENT_EXPOSED && s->tex) {
                SDL_RenderClear(s->ren);
                SDL_RenderCopy(s->ren, s->tex, NULL, NULL);
                SDL_RenderPresent(s->ren);
            }
            break;
        case SDL_KEYDOWN: case SDL_KEYUP: {
            SDL_Keymod mod = SDL_GetModState();
            bool down = ev.type == SDL_KEYDOWN;
            if (down && ev.key.keysym.scancode == SDL_SCANCODE_G && (mod & KMOD_CTRL) &&
                (mod & KMOD_ALT)) {
                set_grab(s, !s->grabbed);     /* rawbox's key: not the guest's */
                break;
            }
            struct keymap_key k;
            if (keymap_from_usb(ev.key.keysym.scancode, &k)) {
                s->held[k.code | (k.e0 ? 0x80 : 0)] = down;
                in->key(in->opaque, k.code, k.e0, down);
            }
            break;
        }
        case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP:
            if (!s->grabbed) {
                if (ev.type == SDL_MOUSEBUTTONDOWN) {
                    set_grab(s, true);      /* this click only grabs */
                    s->grab_button = ev.button.button;
                }
                break;
            }
            if (ev.type == SDL_MOUSEBUTTONUP && ev.button.button == s->grab_button) {
                s->grab_button = 0;
                break;
            }
            if (ev.type == SDL_MOUSEBUTTONDOWN)
                s->buttons |= sdl_button(ev.button.button);
            else
                s->buttons &= ~sdl_button(ev.button.button);
            in->mouse(in->opaque, 0, 0, 0, s->buttons);
            break;
        case SDL_MOUSEMOTION:
            if (s->grabbed)
                in->mouse(in->opaque, ev.motion.xrel, ev.motion.yrel, 0, s->buttons);
            break;
        case SDL_MOUSEWHEEL:
            if (s->grabbed)     /* SDL: positive y is away from the user */
                in->mouse(in->opaque, 0, 0, ev.wheel.direction == SDL_MOUSEWHEEL_FLIPPED ?
                          ev.wheel.y : -ev.wheel.y, s->buttons);
            break;
        }
    }
}

static int sdl_fd(struct display_frontend *fe)
{
    return -1;      /* SDL hides its connection: poll() runs from the timer */
}

static void sdl_close(struct display_frontend *fe)
{
    struct sdl *s = fe->priv;
    if (!s)
        return;
    if (s->grabbed)
        SDL_SetRelativeMouseMode(SDL_FALSE);
    if (s->tex)
        SDL_DestroyTexture(s->tex);
    SDL_DestroyRenderer(s->ren);
    SDL_DestroyWindow(s->win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
    free(s);
    fe->priv = NULL;
}

#else /* !RAWBOX_HAVE_SDL */

static int sdl_open(struct display_frontend *fe, char *err, size_t errlen)
{
    snprintf(err, errlen, "rawbox was built without SDL2 (apt-get install libsdl2-dev, "
                          "then rebuild)");
    return -1;
}
static void sdl_present(struct display_frontend *fe, const struct display_frame *f) { }
static void sdl_poll(struct display_frontend *fe) { }
static int sdl_fd(struct display_frontend *fe) { return -1; }
static void sdl_close(struct display_frontend *fe) { }

#endif

const struct display_frontend_ops display_sdl_ops = {
    "sdl", sdl_open, sdl_present, sdl_poll, sdl_fd, sdl_close,
};
