/* The terminal console (src/ui/console.c): the guest's serial port on the
 * user's terminal.
 *
 * When stdin is a terminal it is put in raw mode (every key goes to the
 * guest, Ctrl-C included) and an escape key, Ctrl-A, introduces commands
 * for rawbox itself:
 *     Ctrl-A X       quit rawbox
 *     Ctrl-A H / ?   list these keys
 *     Ctrl-A C       the monitor (ops.monitor): typed lines go to it, not
 *                    to the guest, until Ctrl-A C again
 *     Ctrl-A Ctrl-A  send one Ctrl-A to the guest
 * The terminal is restored on every way out: console_restore() from the
 * board's cleanup, an atexit handler, and handlers for the crash signals
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) that restore and then let the
 * signal take its course. When stdin is not a terminal (a pipe, a file)
 * nothing is changed and the bytes pass through untouched. */
#ifndef RAWBOX_UI_CONSOLE_H
#define RAWBOX_UI_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_ESCAPE 0x01     /* Ctrl-A */

struct console_ops {
    void (*quit)(void *opaque);     /* Ctrl-A X */
    void *opaque;
    /* A line typed in monitor mode (Ctrl-A C); NULL: no monitor. */
    void (*monitor)(void *opaque, const char *line);
};

/* Take the terminal: save its mode and install the restoring handlers.
 * Returns 0, or -1 with a reason in err. Only one console exists per
 * process. */
int console_open(const struct console_ops *ops, char *err, size_t errlen);
/* Switch the terminal to raw mode (when stdin is a tty), once the guest
 * starts running, so that startup errors still print on a cooked terminal.
 * Idempotent; -1 if the terminal refused. */
int console_start(void);
/* Restore the terminal mode saved by console_open (idempotent and
 * async-signal-safe). */
void console_restore(void);
bool console_is_tty(void);
/* Text for the user on the terminal, '\n' sent as "\r\n" (raw mode). */
void console_print(const char *text);
/* Restore and release the terminal (another console_open may follow). */
void console_close(void);

/* Interpret keys typed on the terminal: escape commands are acted on and
 * removed; what is left for the guest is written to out (at most n bytes)
 * and its length returned. Pass-through when stdin is not a tty. */
size_t console_filter(const uint8_t *in, size_t n, uint8_t *out);

/* For tests: run the escape state machine with a given tty-ness, without
 * touching any terminal and without messages on stdout. */
void console_test_setup(bool tty, const struct console_ops *ops);

#endif
