/* Unit tests for the serial backends (src/ui/chardev.c) and the console's
 * escape keys (src/ui/console.c): Ctrl-A commands in tty mode, pass-through
 * on a pipe, stdio input through a pipe with a sink that takes only what
 * fits, file output, the tcp listener (backlog before a client, input,
 * reconnect), bad specs. No terminal is touched. */
#include "test.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ui/chardev.h"
#include "ui/console.h"

static int quits;
static void on_quit(void *o) { quits++; }

/* A sink with a settable capacity, standing in for the UART FIFO. */
static uint8_t got[4096];
static size_t ngot, cap = sizeof got;
static size_t sink_space(void *o) { return cap - ngot; }
static size_t sink_receive(void *o, const uint8_t *b, size_t n)
{
    size_t take = n < cap - ngot ? n : cap - ngot;
    memcpy(got + ngot, b, take);
    ngot += take;
    return take;
}

static size_t filter(const char *in, uint8_t *out)
{
    return console_filter((const uint8_t *)in, strlen(in), out);
}

static bool readable(int fd, int ms)
{
    struct pollfd p = { fd, POLLIN, 0 };
    return poll(&p, 1, ms) == 1;
}

static void test_escapes(void)
{
    const struct console_ops ops = { on_quit, NULL, NULL };
    uint8_t out[64];
    size_t n;

    console_test_setup(true, &ops);
    n = filter("ls\r", out);
    CHECK(n == 3 && memcmp(out, "ls\r", 3) == 0, "tty: plain keys pass");
    n = filter("a\x01x", out);
    CHECK(n == 1 && out[0] == 'a', "tty: Ctrl-A X is not passed on");
    CHECK_EQ(quits, 1, "tty: Ctrl-A X quits");
    n = filter("\x01X", out);
    CHECK_EQ(quits, 2, "tty: Ctrl-A shift-X quits too");
    n = filter("\x01\x01" "b", out);
    CHECK(n == 2 && out[0] == 0x01 && out[1] == 'b', "tty: Ctrl-A Ctrl-A sends one Ctrl-A");
    n = filter("\x01", out);
    CHECK_EQ(n, 0, "tty: a lone Ctrl-A waits for the next key");
    n = filter("\x01", out);
    CHECK(n == 1 && out[0] == 0x01, "tty: ... across reads");
    n = filter("\x01h", out);
    size_t n_help = n;
    n = filter("\x01z" "c", out);
    CHECK(n == 1 && out[0] == 'c', "tty: unknown Ctrl-A command is dropped");
    CHECK_EQ(n_help, 0, "tty: Ctrl-A H shows the keys, sends nothing");
    CHECK_EQ(quits, 2, "tty: no quit from other keys");

    console_test_setup(false, &ops);
    n = filter("a\x01x\x01\x01", out);
    CHECK(n == 5 && memcmp(out, "a\x01x\x01\x01", 5) == 0, "pipe: bytes pass untouched");
    CHECK_EQ(quits, 2, "pipe: Ctrl-A X does not quit");
}

static char mon_lines[4][64];
static int nmon;

static void on_monitor(void *o, const char *line)
{
    if (nmon < 4)
        snprintf(mon_lines[nmon], sizeof mon_lines[0], "%s", line);
    nmon++;
}

/* Ctrl-A C: typed lines go to the monitor (edited: backspace), not to
 * the guest, until Ctrl-A C again; Ctrl-A X still quits. */
static void test_monitor_mode(void)
{
    const struct console_ops ops = { on_quit, NULL, on_monitor };
    uint8_t out[64];
    size_t n;
    int q = quits;

    console_test_setup(true, &ops);
    n = filter("a\x01" "cinfo statuz\x7fs\r", out);
    CHECK(n == 1 && out[0] == 'a', "monitor: keys after Ctrl-A C do not reach the guest");
    CHECK(nmon == 1 && !strcmp(mon_lines[0], "info status"), "monitor: the line, edited, goes to the monitor");
    n = filter("st", out);
    n += filter("op\n", out);
    CHECK(n == 0 && nmon == 2 && !strcmp(mon_lines[1], "stop"), "monitor: a line across reads");
    n = filter("\x01" "cls\r", out);
    CHECK(n == 3 && memcmp(out, "ls\r", 3) == 0 && nmon == 2, "monitor: Ctrl-A C again: back to the guest");
    n = filter("\x01" "c\x01x", out);
    CHECK(n == 0 && quits == q + 1, "monitor: Ctrl-A X quits from monitor mode");
    const struct console_ops none = { on_quit, NULL, NULL };
    console_test_setup(true, &none);
    n = filter("\x01" "cab", out);
    CHECK(n == 2 && nmon == 2, "no monitor: Ctrl-A C says so, keys still reach the guest");
    quits = q;      /* the later cases count from here */
}

static void test_specs(void)
{
    struct chardev c;
    char err[160];
    CHECK(chardev_open(&c, "tty", NULL, err, sizeof err) < 0, "unknown spec refused: %s", err);
    CHECK(chardev_open(&c, "file:", NULL, err, sizeof err) < 0, "file: without a path refused");
    CHECK(chardev_open(&c, "tcp:127.0.0.1", NULL, err, sizeof err) < 0,
          "tcp without a port refused: %s", err);
    CHECK(chardev_open(&c, "tcp:127.0.0.1:99999", NULL, err, sizeof err) < 0,
          "tcp port out of range refused");
    CHECK(chardev_open(&c, "file:/nonexistent/dir/x", NULL, err, sizeof err) < 0,
          "unwritable file refused: %s", err);
    CHECK(chardev_open(&c, "none", NULL, err, sizeof err) == 0, "none opens");
    int fds[CHARDEV_MAX_FDS];
    CHECK_EQ(chardev_fds(&c, fds), 0, "none: nothing to watch");
    chardev_write(&c, (const uint8_t *)"xyz", 3);
    CHECK_EQ(c.dropped, 3, "none: output dropped and counted");
    chardev_close(&c);
}

static void test_file(void)
{
    char path[] = "/tmp/rawbox-chardev-test.XXXXXX", spec[64], err[160], buf[32];
    struct chardev c;
    int fd = mkstemp(path);
    close(fd);
    snprintf(spec, sizeof spec, "file:%s", path);
    CHECK(chardev_open(&c, spec, NULL, err, sizeof err) == 0, "file opens: %s", err);
    chardev_write(&c, (const uint8_t *)"hello ", 6);
    chardev_write(&c, (const uint8_t *)"world", 5);
    chardev_close(&c);
    fd = open(path, O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    unlink(path);
    CHECK(n == 11 && memcmp(buf, "hello world", 11) == 0, "file holds the output");
}

/* stdio with stdin replaced by a pipe: the sink's space limits the reads. */
static void test_stdio_pipe(void)
{
    const struct console_ops ops = { on_quit, NULL, NULL };
    const struct chardev_sink sink = { sink_space, sink_receive, NULL };
    struct chardev c;
    char err[160];
    int p[2], saved = dup(STDIN_FILENO), fds[CHARDEV_MAX_FDS];

    CHECK(pipe(p) == 0, "pipe");
    dup2(p[0], STDIN_FILENO);
    close(p[0]);
    CHECK(chardev_open(&c, "stdio", &ops, err, sizeof err) == 0, "stdio opens: %s", err);
    CHECK(!console_is_tty(), "a pipe is not a tty");
    CHECK(chardev_open(&(struct chardev){ 0 }, "stdio", &ops, err, sizeof err) < 0,
          "a second stdio port is refused: %s", err);
    chardev_set_sink(&c, &sink);
    CHECK(chardev_fds(&c, fds) == 1 && fds[0] == STDIN_FILENO, "stdio watches stdin");

    ngot = 0;
    cap = 4;
    CHECK(write(p[1], "abcdef\x01x", 8) == 8, "write to the pipe");
    chardev_readable(&c, STDIN_FILENO);
    CHECK(ngot == 4 && memcmp(got, "abcd", 4) == 0, "reads only what the sink takes");
    CHECK(!chardev_wants_input(&c), "a full sink wants no input");
    chardev_readable(&c, STDIN_FILENO);
    CHECK_EQ(ngot, 4, "nothing read while the sink is full");
    cap = sizeof got;
    chardev_readable(&c, STDIN_FILENO);
    CHECK(ngot == 8 && memcmp(got, "abcdef\x01x", 8) == 0, "the rest arrives, Ctrl-A untouched");
    CHECK_EQ(quits, 2, "no quit on a pipe");
    close(p[1]);
    chardev_readable(&c, STDIN_FILENO);
    CHECK(c.in_eof, "end of input noticed");
    CHECK_EQ(chardev_fds(&c, fds), 0, "stdin no longer watched after EOF");
    chardev_close(&c);
    dup2(saved, STDIN_FILENO);
    close(saved);
}

static int connect_to(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void test_tcp(void)
{
    const struct chardev_sink sink = { sink_space, sink_receive, NULL };
    struct chardev c;
    char spec[64], err[160], buf[64];
    int fds[CHARDEV_MAX_FDS], port = 0, cl;

    /* Find a free port: try a few from a pid-dependent start. */
    for (int i = 0; i < 20 && !port; i++) {
        int p = 20000 + (getpid() * 7 + i * 131) % 30000;
        snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", p);
        if (chardev_open(&c, spec, NULL, err, sizeof err) == 0)
            port = p;
    }
    CHECK(port != 0, "tcp listener opens (%s)", spec);
    if (!port)
        return;
    chardev_set_sink(&c, &sink);
    CHECK(chardev_fds(&c, fds) == 1 && fds[0] == c.listen_fd, "no client: watch the listener");
    chardev_write(&c, (const uint8_t *)"boot log", 8);
    CHECK_EQ(c.backlog_len, 8, "output before a client is kept");

    cl = connect_to(port);
    CHECK(cl >= 0, "client connects");
    CHECK(readable(c.listen_fd, 1000), "listener readable");
    chardev_readable(&c, c.listen_fd);
    CHECK(c.in_fd >= 0, "client accepted");
    CHECK(chardev_fds(&c, fds) == 1 && fds[0] == c.in_fd, "with a client: watch it only");
    CHECK(readable(cl, 1000) && read(cl, buf, sizeof buf) == 8 && memcmp(buf, "boot log", 8) == 0,
          "backlog sent on connect");
    chardev_write(&c, (const uint8_t *)"more", 4);
    CHECK(readable(cl, 1000) && read(cl, buf, sizeof buf) == 4 && memcmp(buf, "more", 4) == 0,
          "live output reaches the client");

    ngot = 0;
    cap = sizeof got;
    CHECK(write(cl, "uname\n", 6) == 6, "client types");
    CHECK(readable(c.in_fd, 1000), "input readable");
    chardev_readable(&c, c.in_fd);
    CHECK(ngot == 6 && memcmp(got, "uname\n", 6) == 0, "client input reaches the sink");

    close(cl);
    CHECK(readable(c.in_fd, 1000), "hangup readable");
    chardev_readable(&c, c.in_fd);
    CHECK_EQ(c.in_fd, -1, "client gone: dropped");
    chardev_write(&c, (const uint8_t *)"x", 1);
    CHECK_EQ(c.backlog_len, 1, "output kept again while nobody listens");
    cl = connect_to(port);
    CHECK(cl >= 0 && readable(c.listen_fd, 1000), "second client connects");
    chardev_readable(&c, c.listen_fd);
    CHECK(c.in_fd >= 0, "second client accepted");
    CHECK(readable(cl, 1000) && read(cl, buf, sizeof buf) == 1 && buf[0] == 'x',
          "second client gets the backlog");
    close(cl);
    chardev_close(&c);
}

int main(void)
{
    test_escapes();
    test_monitor_mode();
    test_specs();
    test_file();
    test_stdio_pipe();
    test_tcp();
    return test_summary();
}
