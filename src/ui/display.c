/* --display parsing and the frontend table (frontend.h). The frontends
 * themselves are display_sdl.c, display_vnc.c and display_curses.c; each
 * compiles to a stub that refuses to open when its library was missing at
 * build time (the Makefile defines RAWBOX_HAVE_SDL, _VNC, _CURSES). */
#include "ui/frontend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* vnc's value after "vnc=": [HOST]:N, as QEMU's -vnc (no options). */
static int parse_vnc(const char *v, struct display_spec *out, char *err, size_t errlen)
{
    const char *colon = strrchr(v, ':');
    if (!colon) {
        snprintf(err, errlen, "expected vnc=:N or vnc=HOST:N (the port is 5900+N)");
        return -1;
    }
    size_t hostlen = (size_t)(colon - v);
    if (hostlen >= sizeof out->host) {
        snprintf(err, errlen, "host name longer than %zu characters", sizeof out->host - 1);
        return -1;
    }
    char *end;
    errno = 0;
    long n = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || n < 0 || n > DISPLAY_VNC_MAX || colon[1] == '-' ||
        colon[1] == '+' || colon[1] == ' ') {
        snprintf(err, errlen, "display number '%s' is not 0 to %d (the port is 5900+N)",
                 colon + 1, DISPLAY_VNC_MAX);
        return -1;
    }
    memcpy(out->host, v, hostlen);
    out->host[hostlen] = 0;
    out->vnc_display = (int)n;
    return 0;
}

int display_parse(const char *text, struct display_spec *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!strcmp(text, "none")) {
        out->kind = DISPLAY_NONE;
    } else if (!strcmp(text, "sdl")) {
        out->kind = DISPLAY_SDL;
    } else if (!strcmp(text, "curses")) {
        out->kind = DISPLAY_CURSES;
    } else if (!strncmp(text, "vnc=", 4)) {
        out->kind = DISPLAY_VNC;
        return parse_vnc(text + 4, out, err, errlen);
    } else {
        snprintf(err, errlen, "expected none, sdl, curses, vnc=:N or vnc=HOST:N");
        return -1;
    }
    return 0;
}

struct display_frontend *display_open(const struct display_spec *spec,
                                      const struct display_input *input,
                                      const struct display_host *host,
                                      char *err, size_t errlen)
{
    const struct display_frontend_ops *ops;
    switch (spec->kind) {
    case DISPLAY_SDL: ops = &display_sdl_ops; break;
    case DISPLAY_VNC: ops = &display_vnc_ops; break;
    case DISPLAY_CURSES: ops = &display_curses_ops; break;
    default:
        snprintf(err, errlen, "no frontend to open");
        return NULL;
    }
    struct display_frontend *fe = calloc(1, sizeof *fe);
    if (!fe) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    fe->ops = ops;
    fe->spec = *spec;
    fe->input = *input;
    fe->host = *host;
    if (ops->open(fe, err, errlen) < 0) {
        free(fe);
        return NULL;
    }
    return fe;
}

void display_close(struct display_frontend *fe)
{
    if (!fe)
        return;
    fe->ops->close(fe);
    free(fe);
}

void display_tap(const struct display_input *in, const struct keymap_key *keys, int n)
{
    for (int i = 0; i < n; i++)
        in->key(in->opaque, keys[i].code, keys[i].e0, true);
    for (int i = n; i-- > 0;)
        in->key(in->opaque, keys[i].code, keys[i].e0, false);
}
