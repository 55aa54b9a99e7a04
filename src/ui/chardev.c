/* Serial-port backends: stdio (through the console), file, tcp listener,
 * none. See chardev.h for what each does.
 *
 * Writes are blocking and complete (a slow reader slows the guest rather
 * than losing bytes), with EINTR retried. A tcp client that goes away
 * (EOF, EPIPE, ECONNRESET) is closed and the listener accepts the next;
 * sends use MSG_NOSIGNAL so a vanished client never raises SIGPIPE.
 * stdin at end of file stops being watched (a pipe that closed keeps the
 * guest running, as the input simply ends).
 *
 * Left out: tcp client mode (connect out), telnet negotiation, unix
 * sockets, a pty backend, input for file:. */
#include "ui/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

static int parse_tcp(const char *hp, char *host, size_t hostlen, char *port, size_t portlen)
{
    const char *colon = strrchr(hp, ':');
    size_t hl;

    if (!colon || !colon[1])
        return -1;
    hl = (size_t)(colon - hp);
    if (hl >= hostlen || strlen(colon + 1) >= portlen)
        return -1;
    memcpy(host, hp, hl);
    host[hl] = 0;
    /* [::1]:PORT */
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = 0;
    }
    strcpy(port, colon + 1);
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    return atoi(port) > 0 && atoi(port) < 65536 ? 0 : -1;
}

static int open_listener(struct chardev *c, const char *hp, char *err, size_t errlen)
{
    char host[64], port[8];
    struct addrinfo hints, *res, *ai;
    int fd = -1, rc, one = 1, last_errno = 0;

    if (parse_tcp(hp, host, sizeof host, port, sizeof port) < 0) {
        snprintf(err, errlen, "expected tcp:HOST:PORT with a port 1-65535");
        return -1;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "%s: %s", host[0] ? host : "127.0.0.1", gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
            break;
        last_errno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen: %s", strerror(last_errno));
        return -1;
    }
    c->listen_fd = fd;
    return 0;
}

int chardev_open(struct chardev *c, const char *spec, const struct console_ops *con_ops,
                 char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->in_fd = c->out_fd = c->listen_fd = -1;
    snprintf(c->name, sizeof c->name, "%s", spec);

    if (strcmp(spec, "none") == 0) {
        c->kind = CHARDEV_NONE;
    } else if (strcmp(spec, "stdio") == 0) {
        if (console_open(con_ops, err, errlen) < 0)
            return -1;
        c->kind = CHARDEV_STDIO;
        c->in_fd = STDIN_FILENO;
        c->out_fd = STDOUT_FILENO;
    } else if (strncmp(spec, "file:", 5) == 0 && spec[5]) {
        c->kind = CHARDEV_FILE;
        c->out_fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (c->out_fd < 0) {
            snprintf(err, errlen, "%s", strerror(errno));
            return -1;
        }
    } else if (strncmp(spec, "tcp:", 4) == 0) {
        c->kind = CHARDEV_TCP;
        c->backlog = malloc(CHARDEV_BACKLOG);
        if (!c->backlog) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        if (open_listener(c, spec + 4, err, errlen) < 0) {
            free(c->backlog);
            c->backlog = NULL;
            return -1;
        }
    } else {
        snprintf(err, errlen, "expected stdio, file:PATH, tcp:HOST:PORT or none");
        return -1;
    }
    return 0;
}

static void drop_client(struct chardev *c)
{
    if (c->in_fd >= 0) {
        LOG(LOG_HW, "serial %s: client left", c->name);
        close(c->in_fd);
    }
    c->in_fd = c->out_fd = -1;
}

void chardev_close(struct chardev *c)
{
    switch (c->kind) {
    case CHARDEV_STDIO:
        console_close();
        break;
    case CHARDEV_FILE:
        if (c->out_fd >= 0)
            close(c->out_fd);
        break;
    case CHARDEV_TCP:
        drop_client(c);
        if (c->listen_fd >= 0)
            close(c->listen_fd);
        free(c->backlog);
        break;
    case CHARDEV_NONE:
        break;
    }
    c->in_fd = c->out_fd = c->listen_fd = -1;
    c->backlog = NULL;
    c->kind = CHARDEV_NONE;
}

void chardev_set_sink(struct chardev *c, const struct chardev_sink *sink)
{
    c->sink = *sink;
}

/* Write all of buf to fd; false when the other end is gone. */
static bool write_all(struct chardev *c, int fd, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = c->kind == CHARDEV_TCP ? send(fd, buf, n, MSG_NOSIGNAL) : write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

void chardev_write(void *opaque, const uint8_t *buf, size_t n)
{
    struct chardev *c = opaque;

    if (c->out_fd >= 0) {
        if (write_all(c, c->out_fd, buf, n))
            return;
        if (c->kind == CHARDEV_TCP) {
            drop_client(c);
        } else {
            /* stdout closed or the disk is full: stop writing there. */
            LOG(LOG_HW, "serial %s: output failed: %s", c->name, strerror(errno));
            c->out_fd = -1;
        }
    }
    if (c->kind == CHARDEV_TCP && c->backlog) {
        size_t room = CHARDEV_BACKLOG - c->backlog_len, take = n < room ? n : room;
        memcpy(c->backlog + c->backlog_len, buf, take);
        c->backlog_len += take;
        c->dropped += n - take;
    } else {
        c->dropped += n;
    }
}

int chardev_fds(const struct chardev *c, int fds[CHARDEV_MAX_FDS])
{
    int n = 0;
    if (c->kind == CHARDEV_TCP && c->in_fd < 0 && c->listen_fd >= 0)
        fds[n++] = c->listen_fd;
    if (c->in_fd >= 0 && !c->in_eof)
        fds[n++] = c->in_fd;
    return n;
}

bool chardev_wants_input(const struct chardev *c)
{
    return !c->sink.space || c->sink.space(c->sink.opaque) > 0;
}

static void accept_client(struct chardev *c)
{
    int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC), one = 1;
    if (fd < 0)
        return;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->in_fd = c->out_fd = fd;
    LOG(LOG_HW, "serial %s: client connected", c->name);
    if (c->backlog_len) {
        size_t n = c->backlog_len;
        c->backlog_len = 0;
        if (!write_all(c, fd, c->backlog, n))
            drop_client(c);
    }
}

void chardev_readable(struct chardev *c, int fd)
{
    uint8_t in[256], out[256];
    size_t space = sizeof in, n;
    ssize_t got;

    if (c->kind == CHARDEV_TCP && fd == c->listen_fd && c->in_fd < 0) {
        accept_client(c);
        return;
    }
    if (fd != c->in_fd || c->in_eof)
        return;
    if (c->sink.space) {
        space = c->sink.space(c->sink.opaque);
        if (space == 0)
            return;
        if (space > sizeof in)
            space = sizeof in;
    }
    got = read(fd, in, space);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (got <= 0) {
        if (c->kind == CHARDEV_TCP) {
            drop_client(c);
        } else {
            c->in_eof = true;
            LOG(LOG_HW, "serial %s: end of input", c->name);
        }
        return;
    }
    n = (size_t)got;
    if (c->kind == CHARDEV_STDIO) {
        n = console_filter(in, n, out);
        if (c->sink.receive && n)
            c->sink.receive(c->sink.opaque, out, n);
    } else if (c->sink.receive) {
        c->sink.receive(c->sink.opaque, in, n);
    }
}
