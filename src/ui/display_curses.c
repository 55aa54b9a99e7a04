/* The curses frontend (--display curses): text modes drawn on the terminal
 * with ncurses, as QEMU's -display curses. Cells keep their CGA colours
 * (8 curses colours, bright foregrounds in bold; the blink/bright
 * background bit is dropped) and CP437 line-drawing characters become the
 * terminal's (ACS); the hardware cursor is the terminal's cursor. A
 * graphics mode shows one line: "graphics mode WxH: use --display sdl or
 * vnc".
 *
 * Keys: the terminal gives characters, not key presses, so each one is
 * sent as a make and a break with the modifiers it needs on a US keyboard
 * (keymap_from_ascii: 'A' is shift-a, Ctrl-C is ctrl-c), as the monitor's
 * sendkey does; arrows, Home, F1-F12, ... come from curses' key codes.
 * Ctrl-A is rawbox's escape, as on the serial console: Ctrl-A X quits,
 * Ctrl-A C opens the monitor on the bottom lines (Ctrl-A C again closes
 * it), Ctrl-A H lists the keys, Ctrl-A Ctrl-A sends one Ctrl-A.
 *
 * The terminal is the screen, so nothing else may write to it: the board
 * refuses --serial stdio (and --debugcon/--firmware-log stdio) with curses
 * (src/vm/screen.c) and `rawbox run` then leaves COM1 unconnected by
 * default. QEMU instead puts the serial port on a second virtual console;
 * TODO(display): a Ctrl-A 2 page for COM1.
 *
 * Left out: keys without a character (a lone Shift, key release timing),
 * Alt combinations, non-US layouts, the terminal restored after a crash
 * signal (exit() is covered; the console's signal handlers do it for
 * --serial stdio only). */
#include "ui/frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef RAWBOX_HAVE_CURSES
#include <curses.h>

#define MON_LINES 8             /* monitor replies kept on screen */
#define MON_WIDTH 160

struct term {
    SCREEN *scr;
    bool colors;
    bool escape;                /* Ctrl-A typed: the next key is rawbox's */
    bool monitor;               /* Ctrl-A C: keys go to the monitor line */
    char line[MON_WIDTH];
    size_t n;
    char out[MON_LINES][MON_WIDTH];
    int nout;                   /* lines in out[], the newest last */
    char partial[MON_WIDTH];    /* a reply line without its '\n' yet */
    const struct display_frame *last;
};

/* CGA colour number -> curses colour. */
static const short cga_colour[8] = {
    COLOR_BLACK, COLOR_BLUE, COLOR_GREEN, COLOR_CYAN,
    COLOR_RED, COLOR_MAGENTA, COLOR_YELLOW, COLOR_WHITE,
};

static bool term_open;         /* between newterm() and endwin() */

/* exit() from anywhere (a fatal error) still gives the terminal back. */
static void restore_at_exit(void)
{
    if (term_open)
        endwin();
}

static int curses_open(struct display_frontend *fe, char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "needs a terminal on stdin and stdout");
        return -1;
    }
    struct term *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->scr = newterm(NULL, stdout, stdin);
    if (!t->scr) {
        snprintf(err, errlen, "cannot use the terminal (TERM=%s)",
                 getenv("TERM") ? getenv("TERM") : "");
        free(t);
        return -1;
    }
    set_term(t->scr);
    if (!term_open)
        atexit(restore_at_exit);
    term_open = true;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    if (has_colors() && start_color() == OK && COLOR_PAIRS >= 65) {
        /* Pair 1 + bg * 8 + fg. */
        for (int bg = 0; bg < 8; bg++)
            for (int fg = 0; fg < 8; fg++)
                init_pair((short)(1 + bg * 8 + fg), cga_colour[fg], cga_colour[bg]);
        t->colors = true;
    }
    erase();
    refresh();
    fe->priv = t;
    return 0;
}

/* A CP437 character as the terminal can show it. */
static chtype glyph(uint8_t c)
{
    if (c >= 0x20 && c < 0x7f)
        return c;
    switch (c) {
    case 0x00: return ' ';
    case 0xb3: case 0xba: return ACS_VLINE;
    case 0xc4: case 0xcd: return ACS_HLINE;
    case 0xda: case 0xc9: case 0xd5: case 0xd6: return ACS_ULCORNER;
    case 0xbf: case 0xbb: case 0xb7: case 0xb8: return ACS_URCORNER;
    case 0xc0: case 0xc8: case 0xd3: case 0xd4: return ACS_LLCORNER;
    case 0xd9: case 0xbc: case 0xbd: case 0xbe: return ACS_LRCORNER;
    case 0xc3: case 0xcc: case 0xc6: case 0xc7: return ACS_LTEE;
    case 0xb4: case 0xb9: case 0xb5: case 0xb6: return ACS_RTEE;
    case 0xc2: case 0xcb: case 0xd1: case 0xd2: return ACS_TTEE;
    case 0xc1: case 0xca: case 0xcf: case 0xd0: return ACS_BTEE;
    case 0xc5: case 0xce: case 0xd7: case 0xd8: return ACS_PLUS;
    case 0xb0: case 0xb1: case 0xb2: return ACS_CKBOARD;
    case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf: return ACS_BLOCK;
    case 0xfe: case 0x07: case 0xf9: case 0xfa: return ACS_BULLET;
    case 0x18: case 0x1e: return ACS_UARROW;
    case 0x19: case 0x1f: return ACS_DARROW;
    case 0x1a: case 0x10: return ACS_RARROW;
    case 0x1b: case 0x11: return ACS_LARROW;
    case 0xf8: return ACS_DEGREE;
    case 0xf1: return ACS_PLMINUS;
    case 0x9c: return ACS_STERLING;
    default: return '?';
    }
}

static void draw_monitor(struct term *t)
{
    int rows = LINES, cols = COLS;
    int y = rows - 1 - t->nout;
    if (y < 0)
        y = 0;
    attrset(A_REVERSE);
    for (int i = 0; i < t->nout && y + i < rows - 1; i++) {
        move(y + i, 0);
        clrtoeol();
        mvaddnstr(y + i, 0, t->out[i], cols);
    }
    move(rows - 1, 0);
    clrtoeol();
    mvprintw(rows - 1, 0, "(qemu) %.*s", cols > 8 ? cols - 8 : 0, t->line);
    attrset(A_NORMAL);
    curs_set(1);
}

static void draw(struct term *t)
{
    const struct display_frame *f = t->last;
    erase();
    if (f && f->text) {
        int rows = f->rows < LINES ? f->rows : LINES, cols = f->cols < COLS ? f->cols : COLS;
        for (int y = 0; y < rows; y++) {
            move(y, 0);
            for (int x = 0; x < cols; x++) {
                uint16_t cell = f->cells[y * f->cols + x];
                uint8_t attr = (uint8_t)(cell >> 8), fg = attr & 15, bg = (attr >> 4) & 7;
                chtype a = 0;
                if (t->colors)
                    a |= COLOR_PAIR(1 + bg * 8 + (fg & 7));
                else if (bg)
                    a |= A_REVERSE;
                if (fg & 8)
                    a |= A_BOLD;
                addch(glyph((uint8_t)cell) | a);
            }
        }
        if (f->cursor_on && f->cursor_row < rows && f->cursor_col < cols) {
            move(f->cursor_row, f->cursor_col);
            curs_set(1);
        } else {
            curs_set(0);
        }
    } else if (f) {
        mvprintw(0, 0, "graphics mode %dx%d: use --display sdl or vnc", f->width, f->height);
        curs_set(0);
    }
    if (t->monitor)
        draw_monitor(t);
    refresh();
}

static void curses_present(struct display_frontend *fe, const struct display_frame *f)
{
    struct term *t = fe->priv;
    t->last = f;
    draw(t);
}

static void add_out_line(struct term *t, const char *s)
{
    if (t->nout == MON_LINES) {
        memmove(t->out[0], t->out[1], sizeof t->out[0] * (MON_LINES - 1));
        t->nout--;
    }
    snprintf(t->out[t->nout++], MON_WIDTH, "%.*s", MON_WIDTH - 1, s);
}

/* A monitor reply: whole lines go to the ring, the rest waits. */
static void monitor_out(void *ctx, const char *text)
{
    struct term *t = ctx;
    for (; *text; text++) {
        size_t n = strlen(t->partial);
        if (*text == '\n') {
            add_out_line(t, t->partial);
            t->partial[0] = 0;
        } else if (n + 1 < MON_WIDTH) {
            t->partial[n] = *text;
            t->partial[n + 1] = 0;
        }
    }
}

/* A key with the modifiers it needs, pressed and released. */
static void send_key(struct display_frontend *fe, struct keymap_key k, unsigned mods)
{
    struct keymap_key keys[3];
    int n = 0;
    if (mods & KEYMAP_CTRL)
        keys[n++] = (struct keymap_key){ 0x1d, false };
    if (mods & KEYMAP_SHIFT)
        keys[n++] = (struct keymap_key){ 0x2a, false };
    keys[n++] = k;
    display_tap(&fe->input, keys, n);
}

/* curses' key codes for keys without a character. */
static bool special_key(int ch, struct keymap_key *k, unsigned *mods)
{
    static const struct { int ch; uint16_t code; unsigned mods; } map[] = {
        { KEY_UP, 0xe048, 0 }, { KEY_DOWN, 0xe050, 0 }, { KEY_LEFT, 0xe04b, 0 },
        { KEY_RIGHT, 0xe04d, 0 }, { KEY_HOME, 0xe047, 0 }, { KEY_END, 0xe04f, 0 },
        { KEY_PPAGE, 0xe049, 0 }, { KEY_NPAGE, 0xe051, 0 }, { KEY_IC, 0xe052, 0 },
        { KEY_DC, 0xe053, 0 }, { KEY_BACKSPACE, 0x0e, 0 }, { KEY_ENTER, 0x1c, 0 },
        { KEY_BTAB, 0x0f, KEYMAP_SHIFT },
    };
    *mods = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].ch == ch) {
            k->code = (uint8_t)(map[i].code & 0x7f);
            k->e0 = map[i].code > 0xff;
            *mods = map[i].mods;
            return true;
        }
    if (ch >= KEY_F(1) && ch <= KEY_F(12)) {
        static const uint8_t fkeys[12] = { 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40,
                                           0x41, 0x42, 0x43, 0x44, 0x57, 0x58 };
        *k = (struct keymap_key){ fkeys[ch - KEY_F(1)], false };
        return true;
    }
    return false;
}

static void escape_key(struct display_frontend *fe, struct term *t, int ch)
{
    switch (ch) {
    case 'x': case 'X':
        fe->host.quit(fe->host.opaque);
        break;
    case 'c': case 'C':
        if (!fe->host.monitor) {
            add_out_line(t, "no monitor in this build");
            break;
        }
        t->monitor = !t->monitor;
        t->n = 0;
        t->line[0] = 0;
        break;
    case 'h': case 'H': case '?':
        t->monitor = true;
        add_out_line(t, "Ctrl-A X quit, Ctrl-A C monitor on/off, Ctrl-A Ctrl-A sends Ctrl-A");
        break;
    case 1: {
        struct keymap_key k;
        unsigned mods;
        if (keymap_from_ascii(1, &k, &mods))
            send_key(fe, k, mods);
        break;
    }
    }
}

static void monitor_key(struct display_frontend *fe, struct term *t, int ch)
{
    if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
        t->line[t->n] = 0;
        char echo[MON_WIDTH];
        snprintf(echo, sizeof echo, "(qemu) %.*s", MON_WIDTH - 8, t->line);
        add_out_line(t, echo);
        if (fe->host.monitor)
            fe->host.monitor(fe->host.opaque, t->line, monitor_out, t);
        if (t->partial[0]) {
            add_out_line(t, t->partial);
            t->partial[0] = 0;
        }
        t->n = 0;
        t->line[0] = 0;
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (t->n)
            t->line[--t->n] = 0;
    } else if (ch >= 0x20 && ch < 0x7f && t->n + 1 < sizeof t->line) {
        t->line[t->n++] = (char)ch;
        t->line[t->n] = 0;
    }
}

static void curses_poll(struct display_frontend *fe)
{
    struct term *t = fe->priv;
    bool redraw = false;
    int ch;
    while ((ch = getch()) != ERR) {
        if (t->escape) {
            t->escape = false;
            escape_key(fe, t, ch);
            redraw = true;
            continue;
        }
        if (ch == 1) {                  /* Ctrl-A: rawbox's escape */
            t->escape = true;
            continue;
        }
        if (ch == KEY_RESIZE) {
            redraw = true;
            continue;
        }
        if (t->monitor) {
            monitor_key(fe, t, ch);
            redraw = true;
            continue;
        }
        struct keymap_key k;
        unsigned mods;
        if ((ch < 0x100 && keymap_from_ascii(ch, &k, &mods)) || special_key(ch, &k, &mods))
            send_key(fe, k, mods);
    }
    if (redraw)
        draw(t);
}

static int curses_fd(struct display_frontend *fe)
{
    return STDIN_FILENO;
}

static void curses_close(struct display_frontend *fe)
{
    struct term *t = fe->priv;
    if (!t)
        return;
    endwin();
    term_open = false;
    delscreen(t->scr);
    free(t);
    fe->priv = NULL;
}

#else /* !RAWBOX_HAVE_CURSES */

static int curses_open(struct display_frontend *fe, char *err, size_t errlen)
{
    snprintf(err, errlen, "rawbox was built without ncurses (apt-get install libncurses-dev, "
                          "then rebuild)");
    return -1;
}
static void curses_present(struct display_frontend *fe, const struct display_frame *f) { }
static void curses_poll(struct display_frontend *fe) { }
static int curses_fd(struct display_frontend *fe) { return -1; }
static void curses_close(struct display_frontend *fe) { }

#endif

const struct display_frontend_ops display_curses_ops = {
    "curses", curses_open, curses_present, curses_poll, curses_fd, curses_close,
};
