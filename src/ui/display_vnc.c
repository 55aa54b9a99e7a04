/* The VNC frontend (--display vnc=[HOST]:N): a LibVNCServer server on TCP
 * port 5900+N, security type None, as QEMU's -vnc without options.
 *
 * No server thread: poll() runs rfbProcessEvents() with a zero timeout on
 * the vCPU thread (the board calls it ~30 times a second), so the
 * library's key and pointer callbacks run there too and hand their input
 * straight to the board, and present() can change the framebuffer without
 * a lock. present() copies the frame and marks only the rows that changed.
 *
 * Keys arrive as X11 keysyms (keymap_from_keysym); the pointer as absolute
 * positions, sent to the guest's PS/2 mouse as the motion since the last
 * one (the guest's pointer may drift from the client's: QEMU's answer is a
 * USB tablet, which rawbox does not have). Buttons: RFB bit 0 left, 1
 * middle, 2 right, 3/4 wheel up/down (RFC 6143 section 7.5.5).
 *
 * Left out: passwords and TLS, QEMU's -vnc options (to=, password=, ...),
 * the extended key event (raw scancodes), clipboard, audio. */
#include "ui/frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef RAWBOX_HAVE_VNC
#include <rfb/rfb.h>

struct vnc {
    rfbScreenInfoPtr screen;
    uint32_t *fb;
    int width, height;
    int last_x, last_y;         /* -1: no pointer event yet */
    int last_mask;
};

static void vnc_key(rfbBool down, rfbKeySym sym, rfbClientPtr cl)
{
    struct display_frontend *fe = cl->screen->screenData;
    struct keymap_key k;
    if (keymap_from_keysym((uint32_t)sym, &k))
        fe->input.key(fe->input.opaque, k.code, k.e0, down != 0);
}

static void vnc_pointer(int mask, int x, int y, rfbClientPtr cl)
{
    struct display_frontend *fe = cl->screen->screenData;
    struct vnc *v = fe->priv;
    int dx = v->last_x < 0 ? 0 : x - v->last_x, dy = v->last_y < 0 ? 0 : y - v->last_y;
    int dz = 0;
    /* The wheel is a button pressed and released: count the presses. */
    if ((mask & 8) && !(v->last_mask & 8))
        dz--;
    if ((mask & 16) && !(v->last_mask & 16))
        dz++;
    unsigned buttons = ((mask & 1) ? DISPLAY_BTN_LEFT : 0) |
                       ((mask & 2) ? DISPLAY_BTN_MIDDLE : 0) |
                       ((mask & 4) ? DISPLAY_BTN_RIGHT : 0);
    v->last_x = x;
    v->last_y = y;
    v->last_mask = mask;
    fe->input.mouse(fe->input.opaque, dx, dy, dz, buttons);
}

static void set_format(rfbScreenInfoPtr s)
{
    /* Our pixels are 0x00RRGGBB words. */
    s->serverFormat.redShift = 16;
    s->serverFormat.greenShift = 8;
    s->serverFormat.blueShift = 0;
}

static int vnc_open(struct display_frontend *fe, char *err, size_t errlen)
{
    struct vnc *v = calloc(1, sizeof *v);
    int argc = 0;
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    v->width = DISPLAY_BLANK_W;
    v->height = DISPLAY_BLANK_H;
    v->last_x = v->last_y = -1;
    v->fb = calloc((size_t)v->width * (size_t)v->height, 4);
    rfbLogEnable(0);        /* its log lines would land on the guest's console */
    v->screen = v->fb ? rfbGetScreen(&argc, NULL, v->width, v->height, 8, 3, 4) : NULL;
    if (!v->screen) {
        snprintf(err, errlen, "out of memory");
        free(v->fb);
        free(v);
        return -1;
    }
    rfbScreenInfoPtr s = v->screen;
    set_format(s);
    s->frameBuffer = (char *)v->fb;
    s->desktopName = "rawbox";
    s->alwaysShared = TRUE;
    s->autoPort = FALSE;
    s->port = DISPLAY_VNC_BASE_PORT + fe->spec.vnc_display;
    s->deferUpdateTime = 0;         /* poll() is already ~30 Hz */
    s->kbdAddEvent = vnc_key;
    s->ptrAddEvent = vnc_pointer;
    s->screenData = fe;
    /* No server-drawn cursor in the picture: the guest draws its own. */
    s->cursor = NULL;
    if (fe->spec.host[0]) {
        /* One address, IPv4 (rfbStringToAddr: dotted or a host name). */
        if (!rfbStringToAddr(fe->spec.host, &s->listenInterface)) {
            snprintf(err, errlen, "cannot resolve host '%s'", fe->spec.host);
            goto fail;
        }
        s->ipv6port = 0;
    } else {
        s->ipv6port = s->port;
    }
    fe->priv = v;
    rfbInitServer(s);
    if (s->listenSock == RFB_INVALID_SOCKET) {
        snprintf(err, errlen, "cannot listen on port %d (in use?)", s->port);
        rfbShutdownServer(s, TRUE);
        goto fail;
    }
    return 0;
fail:
    rfbScreenCleanup(v->screen);
    free(v->fb);
    free(v);
    fe->priv = NULL;
    return -1;
}

static void vnc_present(struct display_frontend *fe, const struct display_frame *f)
{
    struct vnc *v = fe->priv;
    if (f->width != v->width || f->height != v->height) {
        uint32_t *fb = calloc((size_t)f->width * (size_t)f->height, 4);
        if (!fb)
            return;             /* keep showing the old mode */
        rfbNewFramebuffer(v->screen, (char *)fb, f->width, f->height, 8, 3, 4);
        set_format(v->screen);
        free(v->fb);
        v->fb = fb;
        v->width = f->width;
        v->height = f->height;
        memcpy(fb, f->pixels, (size_t)f->width * (size_t)f->height * 4);
        rfbMarkRectAsModified(v->screen, 0, 0, v->width, v->height);
        return;
    }
    /* Only the rows that changed go to the clients. */
    int first = -1, last = -1;
    size_t row = (size_t)v->width * 4;
    for (int y = 0; y < v->height; y++) {
        uint32_t *dst = v->fb + (size_t)y * (size_t)v->width;
        const uint32_t *src = f->pixels + (size_t)y * (size_t)v->width;
        if (memcmp(dst, src, row)) {
            memcpy(dst, src, row);
            if (first < 0)
                first = y;
            last = y;
        }
    }
    if (first >= 0)
        rfbMarkRectAsModified(v->screen, 0, first, v->width, last + 1);
}

static void vnc_poll(struct display_frontend *fe)
{
    struct vnc *v = fe->priv;
    rfbProcessEvents(v->screen, 0);
}

static int vnc_fd(struct display_frontend *fe)
{
    return -1;      /* client sockets come and go: poll() runs from the timer */
}

static void vnc_close(struct display_frontend *fe)
{
    struct vnc *v = fe->priv;
    if (!v)
        return;
    rfbShutdownServer(v->screen, TRUE);
    rfbScreenCleanup(v->screen);
    free(v->fb);
    free(v);
    fe->priv = NULL;
}

#else /* !RAWBOX_HAVE_VNC */

static int vnc_open(struct display_frontend *fe, char *err, size_t errlen)
{
    snprintf(err, errlen, "rawbox was built without LibVNCServer (apt-get install "
                          "libvncserver-dev, then rebuild)");
    return -1;
}
static void vnc_present(struct display_frontend *fe, const struct display_frame *f) { }
static void vnc_poll(struct display_frontend *fe) { }
static int vnc_fd(struct display_frontend *fe) { return -1; }
static void vnc_close(struct display_frontend *fe) { }

#endif

const struct display_frontend_ops display_vnc_ops = {
    "vnc", vnc_open, vnc_present, vnc_poll, vnc_fd, vnc_close,
};
