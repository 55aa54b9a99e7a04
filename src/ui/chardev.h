/* Character-device backends for serial ports (src/ui/chardev.c): where a
 * guest UART's bytes go and where its input comes from.
 *
 *   stdio          the terminal, through the console (src/ui/console.c):
 *                  raw mode and Ctrl-A keys on a tty, a plain byte stream
 *                  on a pipe
 *   file:PATH      output written to PATH (created or truncated); no input
 *   tcp:HOST:PORT  a listening socket (HOST empty = 127.0.0.1); one client
 *                  at a time is the port's other end, the next is accepted
 *                  when it leaves; output before a client connects is kept
 *                  (up to CHARDEV_BACKLOG bytes) and sent when one does
 *   none           output dropped, no input
 *
 * Input is pulled: when an fd the chardev watches is readable, the board
 * calls chardev_readable(), which reads only as many bytes as the sink
 * (the UART's receive FIFO) can take, so nothing is dropped; the rest waits
 * in the host's buffers. */
#ifndef RAWBOX_UI_CHARDEV_H
#define RAWBOX_UI_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/console.h"

enum chardev_kind { CHARDEV_NONE, CHARDEV_STDIO, CHARDEV_FILE, CHARDEV_TCP };

#define CHARDEV_BACKLOG (64u << 10)
#define CHARDEV_MAX_FDS 2

struct chardev_sink {
    size_t (*space)(void *opaque);
    size_t (*receive)(void *opaque, const uint8_t *buf, size_t n);
    void *opaque;
};

struct chardev {
    enum chardev_kind kind;
    int in_fd;                  /* stdin or the connected client; -1 none */
    int out_fd;                 /* -1: output dropped (or kept in backlog) */
    int listen_fd;              /* tcp */
    bool in_eof;                /* stdin reached its end */
    struct chardev_sink sink;
    uint8_t *backlog;           /* tcp: output while no client is there */
    size_t backlog_len;
    uint64_t dropped;           /* output bytes lost (no client, backlog full) */
    char name[96];              /* the spec, for messages */
};

/* Open the backend `spec` describes. `con_ops` is for stdio (the Ctrl-A X
 * quit action). Returns 0, or -1 with a reason in err. */
int chardev_open(struct chardev *c, const char *spec, const struct console_ops *con_ops,
                 char *err, size_t errlen) __attribute__((warn_unused_result));
void chardev_close(struct chardev *c);
void chardev_set_sink(struct chardev *c, const struct chardev_sink *sink);

/* Output from the guest; the signature of uart_backend.write. */
void chardev_write(void *c, const uint8_t *buf, size_t n);

/* The fds to watch for input now (changes as tcp clients come and go);
 * returns how many were written to fds (at most CHARDEV_MAX_FDS). */
int chardev_fds(const struct chardev *c, int fds[CHARDEV_MAX_FDS]);
/* `fd` (one of chardev_fds) is readable: accept, read, deliver. */
void chardev_readable(struct chardev *c, int fd);
/* Whether the sink can take input now (else reading would stall). */
bool chardev_wants_input(const struct chardev *c);

#endif
