/* Unit test for the board's display glue (src/vm/screen.c) with the VNC
 * frontend (src/ui/display_vnc.c) and a test-pattern source standing in for
 * the display adapter: a minimal RFB client in this file reads the pattern
 * back pixel for pixel, sees only the changed rows after a change, gets no
 * update while the serial stays, and sends a key and pointer events that
 * must come out of the i8042's data port as set 1 codes and a PS/2 packet.
 * --display none must arm no timer. The run loop is replaced by calls to
 * clock_run_timers() (the screen's 30 Hz timer drives the server). */
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hw/i8042.h"
#include "ui/frontend.h"
#include "util/log.h"
#include "vm/machine.h"
#include "vm/screen.h"

static char tmpdir[] = "/tmp/rawbox-screen-test.XXXXXX";

/* ---- the test pattern: a display_source of our own ---- */

static struct { int width, height, phase, updates; uint64_t serial; } pat = { 320, 200, 0, 0, 1 };

static uint32_t pat_pixel(int x, int y)
{
    uint32_t v = (uint32_t)((x * 3) & 0xff) << 16 | (uint32_t)((y * 5) & 0xff) << 8 |
                 (uint32_t)((x ^ y) & 0xff);
    if (pat.phase && y >= 50 && y < 60)
        v ^= 0xffffff;          /* the change: rows 50-59 inverted */
    return v;
}

static void pat_update(void *opaque, struct display_frame *f)
{
    pat.updates++;
    if (f->serial == pat.serial && f->width == pat.width)
        return;                 /* nothing changed: cheap */
    f->width = pat.width;
    f->height = pat.height;
    f->text = false;
    for (int y = 0; y < pat.height; y++)
        for (int x = 0; x < pat.width; x++)
            f->pixels[y * pat.width + x] = pat_pixel(x, y);
    f->serial = pat.serial;
}

/* ---- a small RFB client, pumping the machine's timers while it waits ---- */

static struct machine m;
static int sock = -1;

static void pump(void)
{
    struct timespec ts = { 0, 5 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    clock_run_timers(&m.clock);
}

/* Receive exactly n bytes within ms milliseconds of pumping. */
static bool rx(void *buf, size_t n, int ms)
{
    size_t got = 0;
    for (int waited = 0; got < n && waited <= ms; waited += 5) {
        ssize_t r = recv(sock, (char *)buf + got, n - got, MSG_DONTWAIT);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if (r == 0)
            return false;
        pump();
    }
    return got == n;
}

static void tx(const void *buf, size_t n)
{
    if (send(sock, buf, n, MSG_NOSIGNAL) != (ssize_t)n)
        printf("# send failed: %s\n", strerror(errno));
}

static void request(int incremental, int w, int h)
{
    uint8_t b[10] = { 3, (uint8_t)incremental, 0, 0, 0, 0, (uint8_t)(w >> 8), (uint8_t)w,
                      (uint8_t)(h >> 8), (uint8_t)h };
    tx(b, sizeof b);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Read one FramebufferUpdate (raw rectangles) into fb (w wide); the rows it
 * covered go to *y0, *y1. False when none came within ms. */
static bool read_update(uint32_t *fb, int w, int *y0, int *y1, int ms)
{
    uint8_t hdr[4];
    if (!rx(hdr, 4, ms) || hdr[0] != 0)
        return false;
    *y0 = 1 << 30;
    *y1 = -1;
    for (int r = 0; r < be16(hdr + 2); r++) {
        uint8_t rect[12];
        if (!rx(rect, 12, 2000))
            return false;
        int x = be16(rect), y = be16(rect + 2), rw = be16(rect + 4), rh = be16(rect + 6);
        if (rect[8] | rect[9] | rect[10] | rect[11])
            return false;           /* not raw */
        for (int j = 0; j < rh; j++)
            for (int i = 0; i < rw; i++) {
                uint8_t px[4];
                if (!rx(px, 4, 2000))
                    return false;
                fb[(y + j) * w + x + i] = (uint32_t)px[2] << 16 | (uint32_t)px[1] << 8 | px[0];
            }
        if (y < *y0)
            *y0 = y;
        if (y + rh > *y1)
            *y1 = y + rh;
    }
    return true;
}

static int matches(const uint32_t *fb, int w, int h)
{
    int bad = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            bad += fb[y * w + x] != pat_pixel(x, y);
    return bad;
}

static int next_kbc_byte(void)
{
    for (int i = 0; i < 100; i++) {
        if (iobus_in(&m.io, 0x64, 1) & 1)
            return (int)iobus_in(&m.io, 0x60, 1);
        pump();
    }
    return -1;
}

static int count_timers(struct clock *c)
{
    int n = 0;
    for (struct timer *t = c->head; t; t = t->next)
        n++;
    return n;
}

static int free_port(void)
{
    srand((unsigned)getpid());
    for (int i = 0; i < 200; i++) {
        int n = 100 + rand() % 3900;
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)(5900 + n)),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int ok = bind(s, (struct sockaddr *)&a, sizeof a) == 0;
        close(s);
        if (ok)
            return n;
    }
    return -1;
}

int main(void)
{
    struct machine_config cfg = { 0 };
    char bios[300], spec[64];

    log_mask = 0;
    if (!mkdtemp(tmpdir))
        return 1;
    snprintf(bios, sizeof bios, "%s/bios.bin", tmpdir);
    FILE *f = fopen(bios, "wb");
    for (int i = 0; i < 65536; i++)
        fputc(0xf4, f);             /* HLT */
    fclose(f);
    cfg.bios = bios;

    /* --display none: nothing opened, no timer. */
    CHECK(machine_init(&m, &cfg) == 0, "a board without --display");
    int base_timers = count_timers(&m.clock);
    CHECK(m.screen_ui == NULL, "--display none: no frontend");
    machine_free(&m);

    int n = free_port();
    CHECK(n >= 0, "a free VNC port");
    snprintf(spec, sizeof spec, "vnc=127.0.0.1:%d", n);
    CHECK(machine_init(&m, &cfg) == 0, "the board again");
    m.screen = (struct display_source){ &pat, pat_update };
    m.cfg.display = spec;
    CHECK(screen_open(&m) == 0, "screen_open %s", spec);
    CHECK_EQ(count_timers(&m.clock), base_timers + 1, "--display vnc arms one timer (the screen's)");
    CHECK(pat.updates >= 1, "the source was rendered at once");

    sock = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)(5900 + n)),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    CHECK(connect(sock, (struct sockaddr *)&a, sizeof a) == 0, "connect to port %d", 5900 + n);
    uint8_t ver[12], b[64];
    CHECK(rx(ver, 12, 3000) && !memcmp(ver, "RFB 003.008\n", 12), "server greets with RFB 003.008");
    tx("RFB 003.008\n", 12);
    CHECK(rx(b, 1, 2000) && b[0] >= 1 && rx(b + 1, b[0], 2000), "security types");
    tx("\x01", 1);
    CHECK(rx(b, 4, 2000) && !(b[0] | b[1] | b[2] | b[3]), "security None accepted");
    tx("\x01", 1);
    CHECK(rx(b, 24, 2000), "ServerInit");
    int w = be16(b), h = be16(b + 2);
    CHECK(w == 320 && h == 200, "the screen has the source's size: %dx%d", w, h);
    CHECK(b[4] == 32 && b[14] == 16 && b[15] == 8 && b[16] == 0,
          "32 bpp, red at bit 16, green 8, blue 0 (the frame's words as they are)");
    uint32_t len = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
    CHECK(len < sizeof b && rx(b, len, 2000), "desktop name");

    static uint32_t fb[320 * 200];
    int y0, y1;
    request(0, w, h);
    CHECK(read_update(fb, w, &y0, &y1, 3000), "full update arrives");
    CHECK(y0 == 0 && y1 == h, "it covers every row (%d-%d)", y0, y1);
    CHECK_EQ(matches(fb, w, h), 0, "every pixel is the test pattern's");

    request(1, w, h);
    CHECK(!read_update(fb, w, &y0, &y1, 300), "no change, same serial: no update");
    pat.phase = 1;
    pat.serial++;
    CHECK(read_update(fb, w, &y0, &y1, 3000), "after a change: an update");
    CHECK(y0 == 50 && y1 == 60, "only the changed rows 50-59 are sent (got %d-%d)", y0, y1);
    CHECK_EQ(matches(fb, w, h), 0, "the picture is the new pattern");

    /* Keys: 'a' down and up, as set 1 through the translating i8042. */
    uint8_t key[8] = { 4, 1, 0, 0, 0, 0, 0, 'a' };
    tx(key, 8);
    key[1] = 0;
    tx(key, 8);
    CHECK_EQ(next_kbc_byte(), 0x1e, "VNC key 'a' down: 0x1e at port 0x60");
    CHECK_EQ(next_kbc_byte(), 0x9e, "VNC key 'a' up: 0x9e");

    /* Pointer: enable the mouse (0xA8, 0xD4 0xF4), then move and click. */
    iobus_out(&m.io, 0x64, 0xa8, 1);
    iobus_out(&m.io, 0x64, 0xd4, 1);
    iobus_out(&m.io, 0x60, 0xf4, 1);
    CHECK_EQ(next_kbc_byte(), 0xfa, "mouse enable ACK");
    uint8_t ptr[12] = { 5, 0, 0, 10, 0, 10, 5, 1, 0, 15, 0, 7 };
    tx(ptr, 12);
    int p0 = next_kbc_byte(), p1 = next_kbc_byte(), p2 = next_kbc_byte();
    CHECK(p0 == 0x09 && p1 == 5 && p2 == 3,
          "pointer 10,10 -> 15,7 with the left button: packet 09 05 03 (got %02x %02x %02x)",
          p0 & 0xff, p1 & 0xff, p2 & 0xff);

    close(sock);
    machine_free(&m);
    sock = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(sock, (struct sockaddr *)&a, sizeof a) < 0, "machine_free closes the server");
    close(sock);
    unlink(bios);
    rmdir(tmpdir);
    return test_summary();
}
