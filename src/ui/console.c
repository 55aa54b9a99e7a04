/* Terminal console: raw mode, the Ctrl-A escape keys, and restoring the
 * terminal however the process ends (see console.h).
 *
 * Raw mode is what cfmakeraw(3) sets (no echo, no line editing, no signal
 * keys, no CR/NL translation in either direction, 8-bit characters), so
 * the guest's own terminal handling sees exactly the keys typed and the
 * user's terminal sees exactly what the guest sends; VMIN=1, VTIME=0, and
 * reads happen only after poll() says a byte is there. The file status
 * flags of stdin are left alone (the descriptor is shared with the shell).
 *
 * Restoring: the saved termios is written back by console_restore(), which
 * the board calls from its cleanup, atexit() calls on exit(), and the crash
 * signal handlers call before passing the signal on: the previous handler
 * is put back (ASan's, or the default) and a fault re-executes into it; a
 * signal sent with kill()/raise() is raised again. SIGINT, SIGTERM and
 * SIGHUP are the run command's: they stop the run loop, which cleans up.
 *
 * Left out: break (Ctrl-A B), switching between
 * several serial ports on one terminal, window size propagation. */
#include "ui/console.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct {
    bool open;
    bool tty;
    volatile sig_atomic_t raw;      /* the terminal is in raw mode now */
    bool escape;                    /* the last key was Ctrl-A */
    struct termios saved, rawmode;
    struct console_ops ops;
    bool handlers;
    bool mute;                      /* tests: no messages on stdout */
    bool mon;                       /* monitor mode (Ctrl-A C) */
    size_t mon_n;
    char mon_line[256];
} con;

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction crash_old[NCRASH];

void console_restore(void)
{
    if (con.raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &con.saved);
        con.raw = 0;
    }
}

static void crash_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    console_restore();
    for (unsigned i = 0; i < NCRASH; i++)
        if (crash_signals[i] == sig)
            sigaction(sig, &crash_old[i], NULL);
    /* A fault returns to the faulting instruction and hits the previous
     * handler; a sent signal must be sent again. */
    if (!si || si->si_code <= 0)
        raise(sig);
}

static void install_handlers(void)
{
    struct sigaction sa;
    if (con.handlers)
        return;
    con.handlers = true;
    atexit(console_restore);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = crash_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (unsigned i = 0; i < NCRASH; i++)
        sigaction(crash_signals[i], &sa, &crash_old[i]);
}

static void say(const char *s)
{
    size_t n = con.mute ? 0 : strlen(s);
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

void console_print(const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char part[512];
        while (n) {
            size_t k = n < sizeof part - 1 ? n : sizeof part - 1;
            memcpy(part, p, k);
            part[k] = 0;
            say(part);
            p += k;
            n -= k;
        }
        if (nl) {
            say("\r\n");
            p++;
        }
    }
}

/* A key typed in monitor mode: the line editor (echo, backspace, Enter). */
static void mon_key(uint8_t c)
{
    if (c == '\r' || c == '\n') {
        say("\r\n");
        con.mon_line[con.mon_n] = 0;
        con.mon_n = 0;
        if (con.ops.monitor)
            con.ops.monitor(con.ops.opaque, con.mon_line);
        if (con.mon)
            say("(qemu) ");
    } else if (c == 0x7f || c == 0x08) {
        if (con.mon_n) {
            con.mon_n--;
            say("\b \b");
        }
    } else if (c >= 0x20 && c < 0x7f && con.mon_n < sizeof con.mon_line - 1) {
        char s[2] = { (char)c, 0 };
        con.mon_line[con.mon_n++] = (char)c;
        say(s);
    }
}

int console_open(const struct console_ops *ops, char *err, size_t errlen)
{
    if (con.open) {
        snprintf(err, errlen, "the terminal is already in use by another serial port");
        return -1;
    }
    memset(&con.ops, 0, sizeof con.ops);
    if (ops)
        con.ops = *ops;
    con.escape = false;
    con.mute = false;
    con.tty = isatty(STDIN_FILENO) != 0;
    if (con.tty) {
        struct termios raw;
        if (tcgetattr(STDIN_FILENO, &con.saved) < 0) {
            snprintf(err, errlen, "cannot read the terminal mode: %s", strerror(errno));
            return -1;
        }
        install_handlers();
        raw = con.saved;
        raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL |
                                   IXON);
        raw.c_oflag &= ~(tcflag_t)OPOST;
        raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
        raw.c_cflag |= CS8;
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        con.rawmode = raw;
    }
    con.open = true;
    return 0;
}

int console_start(void)
{
    if (!con.open || !con.tty || con.raw)
        return 0;
    con.raw = 1;        /* before the change: a signal in between restores */
    if (tcsetattr(STDIN_FILENO, TCSANOW, &con.rawmode) < 0) {
        con.raw = 0;
        return -1;
    }
    return 0;
}

void console_close(void)
{
    console_restore();
    con.open = false;
}

bool console_is_tty(void)
{
    return con.tty;
}

void console_test_setup(bool tty, const struct console_ops *ops)
{
    memset(&con.ops, 0, sizeof con.ops);
    if (ops)
        con.ops = *ops;
    con.tty = tty;
    con.escape = false;
    con.mute = true;
    con.mon = false;
    con.mon_n = 0;
}

static void help(void)
{
    say("\r\n"
        "rawbox console keys:\r\n"
        "  Ctrl-A X       quit rawbox\r\n"
        "  Ctrl-A H       show this help\r\n"
        "  Ctrl-A C       monitor (Ctrl-A C again: back to the guest)\r\n"
        "  Ctrl-A Ctrl-A  send Ctrl-A to the guest\r\n");
}

size_t console_filter(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;

    if (!con.tty) {
        memcpy(out, in, n);
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t c = in[i];
        if (!con.escape) {
            if (c == CONSOLE_ESCAPE)
                con.escape = true;
            else if (con.mon)
                mon_key(c);
            else
                out[o++] = c;
            continue;
        }
        con.escape = false;
        switch (c) {
        case CONSOLE_ESCAPE:
            out[o++] = c;
            break;
        case 'x': case 'X':
            say("\r\nrawbox: quit (Ctrl-A X)\r\n");
            if (con.ops.quit)
                con.ops.quit(con.ops.opaque);
            break;
        case 'h': case 'H': case '?':
            help();
            break;
        case 'c': case 'C':
            if (!con.ops.monitor) {
                say("\r\nrawbox: no monitor on this console\r\n");
            } else if (!con.mon) {
                con.mon = true;
                con.mon_n = 0;
                say("\r\nrawbox monitor (Ctrl-A C: back to the guest; 'help' lists the commands)\r\n(qemu) ");
            } else {
                con.mon = false;
                say("\r\n");
            }
            break;
        default:
            break;      /* unknown command: dropped, as in QEMU */
        }
    }
    return o;
}
