/* The board's side of the display (screen.h): frame, timer, input routing.
 * Everything runs on the vCPU thread (the timer fires between slices), so
 * the source reads device state and the frontends hand input to the
 * i8042 without locks. */
#include "vm/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/i8042.h"
#include "ui/frontend.h"
#include "vm/machine.h"
#include "vm/monitor.h"

struct screen_ui {
    struct machine *m;
    struct display_frontend *fe;
    struct display_frame *frame;    /* the source renders here */
    struct display_frame *blank;    /* no adapter, or its mode is off */
    const struct display_frame *shown;
    uint64_t shown_serial;
    struct timer timer;
};

static void ui_key(void *opaque, uint8_t set1, bool e0, bool down)
{
    struct machine *m = opaque;
    i8042_kbd_key(&m->pc.kbc, set1, e0, down);
}

static void ui_mouse(void *opaque, int dx, int dy, int dz, unsigned buttons)
{
    struct machine *m = opaque;
    i8042_mouse_event(&m->pc.kbc, dx, dy, dz, buttons);
}

static void ui_quit(void *opaque)
{
    machine_request_exit(opaque, 0);
}

static void ui_monitor(void *opaque, const char *line,
                       void (*out)(void *ctx, const char *text), void *ctx)
{
    monitor_command(opaque, line, out, ctx);
}

/* Render and, when something changed, present. */
static void refresh(struct screen_ui *ui)
{
    struct machine *m = ui->m;
    const struct display_frame *f = ui->blank;
    if (m->screen.update && m->screen.opaque) {
        m->screen.update(m->screen.opaque, ui->frame);
        const struct display_frame *r = ui->frame;
        if (r->width > 0 && r->height > 0 && r->width <= DISPLAY_MAX_WIDTH &&
            r->height <= DISPLAY_MAX_HEIGHT && r->cols <= DISPLAY_MAX_COLS &&
            r->rows <= DISPLAY_MAX_ROWS)
            f = r;
    }
    if (f == ui->shown && f->serial == ui->shown_serial)
        return;
    ui->shown = f;
    ui->shown_serial = f->serial;
    ui->fe->ops->present(ui->fe, f);
}

static void tick(void *opaque)
{
    struct screen_ui *ui = opaque;
    ui->fe->ops->poll(ui->fe);
    refresh(ui);
    timer_mod(&ui->timer, clock_now(&ui->m->clock) + NS_PER_SEC / SCREEN_HZ);
}

static void fd_ready(void *opaque, int fd)
{
    struct screen_ui *ui = opaque;
    ui->fe->ops->poll(ui->fe);
    refresh(ui);        /* a curses monitor line wants its reply now */
}

static void ui_free(struct screen_ui *ui)
{
    if (ui->fe)
        display_close(ui->fe);
    if (ui->blank)
        free(ui->blank->pixels);
    if (ui->frame)
        free(ui->frame->pixels);
    free(ui->blank);
    free(ui->frame);
    free(ui);
}

static void screen_cleanup(void *opaque)
{
    struct screen_ui *ui = opaque;
    timer_del(&ui->timer);
    if (ui->m->screen_ui == ui)
        ui->m->screen_ui = NULL;
    ui_free(ui);
}

/* The terminal is curses' screen: nothing else may write to it. */
static const char *terminal_user(const struct machine_config *c)
{
    for (int i = 0; i < MACHINE_SERIAL_PORTS; i++)
        if (c->serial[i] && !strcmp(c->serial[i], "stdio"))
            return "--serial stdio";
    if (c->debugcon && !strcmp(c->debugcon, "stdio"))
        return "--debugcon stdio";
    if (c->firmware_log && !strcmp(c->firmware_log, "stdio"))
        return "--firmware-log stdio";
    return NULL;
}

static struct display_frame *new_frame(void)
{
    struct display_frame *f = calloc(1, sizeof *f);
    if (f)
        f->pixels = calloc((size_t)DISPLAY_MAX_WIDTH * DISPLAY_MAX_HEIGHT, sizeof *f->pixels);
    if (f && !f->pixels) {
        free(f);
        f = NULL;
    }
    return f;
}

int screen_open(struct machine *m)
{
    const char *spec_text = m->cfg.display;
    struct display_spec spec;
    char err[200];

    if (!spec_text || !strcmp(spec_text, "none"))
        return 0;
    if (display_parse(spec_text, &spec, err, sizeof err) < 0) {
        fprintf(stderr, "rawbox: --display %s: %s\n", spec_text, err);
        return -1;
    }
    if (spec.kind == DISPLAY_NONE)
        return 0;
    const char *user = spec.kind == DISPLAY_CURSES ? terminal_user(&m->cfg) : NULL;
    if (user) {
        fprintf(stderr, "rawbox: --display curses: the terminal is the screen, %s cannot "
                "share it (use file:PATH or tcp:HOST:PORT)\n", user);
        return -1;
    }
    struct screen_ui *ui = calloc(1, sizeof *ui);
    if (!ui || !(ui->frame = new_frame()) || !(ui->blank = new_frame())) {
        fprintf(stderr, "rawbox: --display %s: out of memory\n", spec_text);
        if (ui)
            ui_free(ui);
        return -1;
    }
    ui->m = m;
    /* The blank screen: black pixels, an empty 80x25 text page. */
    ui->blank->width = DISPLAY_BLANK_W;
    ui->blank->height = DISPLAY_BLANK_H;
    ui->blank->text = true;
    ui->blank->cols = 80;
    ui->blank->rows = 25;
    for (int i = 0; i < 80 * 25; i++)
        ui->blank->cells[i] = 0x0720;
    const struct display_input input = { m, ui_key, ui_mouse };
    const struct display_host host = { m, ui_quit, ui_monitor };
    ui->fe = display_open(&spec, &input, &host, err, sizeof err);
    if (!ui->fe) {
        fprintf(stderr, "rawbox: --display %s: %s\n", spec_text, err);
        ui_free(ui);
        return -1;
    }
    int fd = ui->fe->ops->fd(ui->fe);
    if (machine_add_cleanup(m, screen_cleanup, ui) < 0) {
        fprintf(stderr, "rawbox: --display %s: too many cleanup hooks\n", spec_text);
        ui_free(ui);
        return -1;
    }
    if (fd >= 0 && machine_add_poll(m, fd, fd_ready, ui) < 0) {
        fprintf(stderr, "rawbox: --display %s: too many host fds to watch\n", spec_text);
        return -1;      /* the cleanup hook frees it */
    }
    m->screen_ui = ui;
    timer_init(&ui->timer, &m->clock, tick, ui);
    refresh(ui);
    timer_mod(&ui->timer, clock_now(&m->clock) + NS_PER_SEC / SCREEN_HZ);
    return 0;
}
