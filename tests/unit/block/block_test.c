/* Unit tests for the format-independent block layer (src/block/block.c,
 * raw.c, aio.c): size strings, raw images, range checks, read-only and
 * lock refusals, probing, the aio queue's order, and the cache modes. */
#include "test.h"
#include "block/block.h"
#include "scratch.h"

#include <errno.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* vdi.c may not be linked yet (block.c's registry skips it then). */
extern const struct block_format block_vdi __attribute__((weak));

static char errbuf[BLOCK_ERR_LEN];

static void test_parse_size(void)
{
    static const struct { const char *s; uint64_t v; } good[] = {
        {"512", 512}, {"0", 0}, {"20G", 20ull << 30}, {"1.5T", 3ull << 39},
        {"100M", 100ull << 20}, {"64k", 65536}, {"2MiB", 2ull << 20},
        {"3MB", 3ull << 20}, {"1P", 1ull << 50}, {"1.5K", 1536}, {"4096B", 4096},
        {"0.5k", 512}, {"16383P", 16383ull << 50}, {"18446744073709551615", UINT64_MAX},
        {".5M", 1ull << 19},
    };
    static const char *bad[] = {
        "", "-1", "-1G", "1X", "1Gx", "1.1K", "G", ".", "16384P",
        "18446744073709551616", "1 G", " 1G", "1.5", "0x10", "1e3", "1GiBs",
        "99999999999999999999999", "1.000000000000000000001K",
    };
    uint64_t v;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        v = 1;
        CHECK(block_parse_size(good[i].s, &v) == 0 && v == good[i].v,
              "size \"%s\" = %llu (got %llu)", good[i].s,
              (unsigned long long)good[i].v, (unsigned long long)v);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        v = 7;
        CHECK(block_parse_size(bad[i], &v) == -1 && v == 7,
              "size \"%s\" refused, nothing stored", bad[i]);
    }
}

static void fill(uint8_t *buf, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
}

static void test_raw(void)
{
    const char *p = scratch_path("disk.raw");
    struct block_create_opts o = { .size = 1 << 20 };
    uint8_t wbuf[8192], rbuf[8192];
    struct stat st;
    struct block *b;

    CHECK_EQ(block_create(p, "raw", &o, errbuf, sizeof(errbuf)), 0, "raw create");
    CHECK(stat(p, &st) == 0 && st.st_size == 1 << 20, "raw create sets the size");
    CHECK(st.st_blocks < 64, "raw create is sparse (%lld blocks)", (long long)st.st_blocks);
    o.size = 1000;
    CHECK(block_create(p, "raw", &o, errbuf, sizeof(errbuf)) == -EINVAL &&
          strstr(errbuf, "multiple of 512"), "create of 1000 bytes refused: %s", errbuf);
    o.size = 1 << 20;
    CHECK(block_create(p, "nosuch", &o, errbuf, sizeof(errbuf)) < 0 &&
          strstr(errbuf, "unknown format"), "create of unknown format refused");

    b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    CHECK(b != NULL, "raw open: %s", b ? "" : errbuf);
    if (!b)
        return;
    CHECK_STR(b->fmt->name, "raw", "empty image probes as raw");
    CHECK_EQ(b->size, 1 << 20, "raw size");
    memset(rbuf, 0xaa, sizeof(rbuf));
    CHECK(block_read(b, 4096, rbuf, sizeof(rbuf)) == 0 && rbuf[0] == 0 &&
          rbuf[sizeof(rbuf) - 1] == 0, "new raw reads zeros");
    fill(wbuf, sizeof(wbuf), 1);
    CHECK_EQ(block_write(b, 3 * 512, wbuf, sizeof(wbuf)), 0, "raw write");
    CHECK_EQ(block_flush(b), 0, "raw flush");
    CHECK(block_read(b, 3 * 512, rbuf, sizeof(rbuf)) == 0 &&
          memcmp(rbuf, wbuf, sizeof(wbuf)) == 0, "raw read back");
    CHECK(block_write(b, (1 << 20) - 512, wbuf, 512) == 0, "write of the last sector");
    CHECK(block_read(b, (1 << 20) - 512, rbuf, 1024) == -EINVAL &&
          strstr(b->err, "beyond the end") && strstr(b->err, p) == b->err,
          "read across the end refused: %s", b->err);
    CHECK(block_write(b, 1 << 20, wbuf, 512) == -EINVAL, "write at the end refused");
    CHECK(block_read(b, UINT64_MAX - 100, rbuf, 512) == -EINVAL, "off+len overflow refused");
    CHECK(block_write(b, 512, wbuf, SIZE_MAX) == -EINVAL, "huge length refused");
    CHECK(block_read(b, 1 << 20, rbuf, 0) == 0, "empty read at the end is fine");

    /* Someone shortens the file: reads inside the size give zeros. */
    CHECK(truncate(p, 8192) == 0, "shrink the file under the image");
    memset(rbuf, 0xaa, sizeof(rbuf));
    CHECK(block_read(b, 4096, rbuf, 8192) == 0 && memcmp(rbuf, wbuf + 2560, 4096 - 1536) == 0,
          "data before the new end still read");
    bool zeros = true;
    for (size_t i = 4096; i < 8192; i++)
        zeros &= rbuf[i] == 0;
    CHECK(zeros, "read past the end of the file, inside the size, gives zeros");

    /* Lock conflicts: OFD locks conflict between two opens in one process
     * too; the message then says it is this process's own open. */
    struct block *b2 = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(b2 == NULL && strstr(errbuf, "already open in this VM"),
          "second read-write open refused: %s", errbuf);
    block_close(b2);
    b2 = block_open(p, "raw", BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b2 == NULL && strstr(errbuf, "already open in this VM"),
          "read-only open of a written image refused");
    block_close(b2);
    /* ... and another process's open is named as such. */
    int go[2], ready[2];
    CHECK(pipe(go) == 0 && pipe(ready) == 0, "pipes");
    pid_t child = fork();
    if (child == 0) {
        block_close(b);         /* (the child's copy of our lock goes too) */
        struct block *c = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
        char ch = c ? 'y' : 'n';
        if (write(ready[1], &ch, 1) != 1 || read(go[0], &ch, 1) < 0)
            _exit(1);
        _exit(0);
    }
    block_close(b);             /* our lock off: the child takes it */
    char ch = 0;
    CHECK(read(ready[0], &ch, 1) == 1 && ch == 'y', "the other process holds the image");
    b2 = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(b2 == NULL && strstr(errbuf, "locked by another process"),
          "an image another process holds: %s", errbuf);
    block_close(b2);
    CHECK(write(go[1], "x", 1) == 1, "release the child");
    waitpid(child, NULL, 0);
    close(go[0]); close(go[1]); close(ready[0]); close(ready[1]);
    b = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(b != NULL, "reopened after the child exited: %s", errbuf);
    b2 = block_open(p, "raw", BLOCK_NOLOCK | BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b2 != NULL, "NOLOCK open allowed");
    block_close(b2);
    CHECK(block_create(p, "raw", &o, errbuf, sizeof(errbuf)) < 0 &&
          strstr(errbuf, "locked"), "create over an image in use refused");
    CHECK(stat(p, &st) == 0 && st.st_size == 8192, "and the image was not emptied");
    block_close(b);

    /* Read-only: two readers share, a writer is refused, writes fail. */
    b = block_open(p, "raw", BLOCK_RDONLY, errbuf, sizeof(errbuf));
    b2 = block_open(p, "raw", BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b && b2, "two read-only opens share the lock");
    struct block *w = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(w == NULL && strstr(errbuf, "already open in this VM"), "writer refused while readers hold it");
    block_close(w);
    if (b) {
        CHECK(block_write(b, 0, wbuf, 512) == -EROFS && strstr(b->err, "read-only"),
              "write to read-only image refused: %s", b->err);
        CHECK(block_read(b, 0, rbuf, 512) == 0 && memcmp(rbuf, wbuf + 512 * 5, 0) == 0,
              "read-only image reads");
    }
    block_close(b);
    block_close(b2);
    b = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(b != NULL, "writer allowed after the readers closed");
    block_close(b);

    CHECK(block_open(scratch_path("missing"), NULL, 0, errbuf, sizeof(errbuf)) == NULL &&
          strstr(errbuf, "missing") && strstr(errbuf, "No such file"),
          "missing file: %s", errbuf);
    CHECK(block_open(p, "bogus", 0, errbuf, sizeof(errbuf)) == NULL &&
          strstr(errbuf, "unknown format 'bogus'"), "unknown format: %s", errbuf);
}

static void test_probe(void)
{
    const char *p = scratch_path("probe.img");
    uint8_t head[512] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);

    CHECK(fd >= 0 && pwrite(fd, head, sizeof(head), 0) == sizeof(head), "write probe file");
    close(fd);
    /* A qcow2 magic is never taken for raw; asking for raw is the caller's
     * choice. */
    struct block *b = block_open(p, NULL, BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b == NULL || strcmp(b->fmt->name, "qcow2") == 0,
          "qcow2 magic probes as qcow2 (or is refused by it): %s", b ? "" : errbuf);
    CHECK(b || strstr(errbuf, p) == errbuf, "the driver's message names the file: %s", errbuf);
    block_close(b);
    b = block_open(p, "raw", BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b && strcmp(b->fmt->name, "raw") == 0 && b->size == 512, "explicit raw opens anyway");
    block_close(b);
    CHECK(block_format_find("raw") == &block_raw, "find raw");
    CHECK(block_format_find("qcow2") == &block_qcow2, "find qcow2");
    const struct block_format *vdi = &block_vdi;
    CHECK(block_format_find("vdi") == vdi, "find vdi when linked");
    CHECK(block_format_find("vmdk") == NULL, "no vmdk");

    /* A raw image opened by probing refuses a write that would make it
     * probe as qcow2 (a guest planting a header that names a host file
     * as its backing file); with format=raw the write is the user's call. */
    static const uint8_t zero[512];
    fd = open(p, O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0 && pwrite(fd, zero, sizeof zero, 0) == sizeof zero &&
          pwrite(fd, zero, sizeof zero, 8192) == sizeof zero, "zeroed probe file");
    close(fd);
    b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    CHECK(b && b->probed_raw, "zeros probe as raw");
    if (b) {
        CHECK(block_write(b, 0, head, sizeof head) == -EPERM && strstr(b->err, "qcow2"),
              "probed raw: a qcow2 header at 0 refused: %s", b->err);
        uint8_t tail[8] = { 0xfb, 0, 0, 0, 3 };
        CHECK(block_write(b, 0, "QFI", 3) == 0, "probed raw: part of a magic is fine");
        CHECK(block_write(b, 3, tail, 5) == -EPERM, "probed raw: ... but not its completion");
        CHECK(block_write(b, 4096, head, sizeof head) == 0, "probed raw: the magic past the probed bytes is fine");
        uint8_t back[512];
        CHECK(block_read(b, 0, back, 8) == 0 && memcmp(back, "QFI\0\0\0\0\0", 8) == 0,
              "probed raw: the refused write changed nothing");
        block_close(b);
    }
    b = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(b && !b->probed_raw && block_write(b, 0, head, sizeof head) == 0,
          "format=raw: the same write is allowed");
    block_close(b);
}

/* ---- aio ---- */

#define AIO_REQS 300
#define AIO_LEN 4096

static struct block_req reqs[AIO_REQS];
static uint8_t bufs[AIO_REQS][AIO_LEN];
static int done_order[AIO_REQS];
static int done_count;

static void on_done(struct block_req *r, void *opaque)
{
    done_order[done_count++] = (int)(intptr_t)opaque;
}

static void test_aio(void)
{
    const char *p = scratch_path("aio.raw");
    struct block_create_opts o = { .size = 64 * AIO_LEN };
    struct block *b;
    struct block_aio *q;

    CHECK_EQ(block_create(p, "raw", &o, errbuf, sizeof(errbuf)), 0, "aio image");
    b = block_open(p, "raw", 0, errbuf, sizeof(errbuf));
    if (!CHECK(b != NULL, "aio open"))
        return;
    q = block_aio_new(b, errbuf, sizeof(errbuf));
    if (!CHECK(q != NULL, "aio new")) {
        block_close(b);
        return;
    }
    /* Writes to slot i%64 with pattern i, a read of the same slot right
     * after each write must see it (order), a flush every 10th; the last
     * request is out of range. */
    int n = 0;
    for (int i = 0; n < AIO_REQS - 1; i++) {
        struct block_req *r = &reqs[n];
        r->opaque = (void *)(intptr_t)n;
        r->done = on_done;
        r->buf = bufs[n];
        r->len = AIO_LEN;
        r->off = (uint64_t)(i % 64) * AIO_LEN;
        r->result = 1;
        switch (n % 3) {
        case 0: r->op = BLOCK_OP_WRITE; fill(bufs[n], AIO_LEN, (unsigned)i); break;
        case 1: r->op = BLOCK_OP_READ; r->off = reqs[n - 1].off; break;
        case 2: r->op = (i % 10) ? BLOCK_OP_READ : BLOCK_OP_FLUSH; break;
        }
        block_aio_submit(q, r);
        n++;
        if (n == 100) {
            /* Wait for some completions through the eventfd. */
            struct pollfd pfd = { .fd = block_aio_fd(q), .events = POLLIN };
            CHECK(poll(&pfd, 1, 5000) == 1, "eventfd becomes readable");
            block_aio_poll(q);
            CHECK(done_count > 0, "poll ran callbacks (%d)", done_count);
        }
    }
    reqs[n] = (struct block_req){ .op = BLOCK_OP_READ, .off = o.size, .len = 512,
                                  .buf = bufs[n], .done = on_done,
                                  .opaque = (void *)(intptr_t)n, .result = 1 };
    block_aio_submit(q, &reqs[n++]);
    block_aio_drain(q);
    CHECK_EQ(done_count, AIO_REQS, "drain completes everything");
    bool in_order = true, results = true, data = true;
    for (int i = 0; i < done_count; i++)
        in_order &= done_order[i] == i;
    for (int i = 0; i < AIO_REQS - 1; i++) {
        results &= reqs[i].result == 0;
        if (i % 3 == 1)
            data &= memcmp(bufs[i], bufs[i - 1], AIO_LEN) == 0;
    }
    CHECK(in_order, "callbacks run in submission order");
    CHECK(results, "every request succeeded");
    CHECK(data, "each read sees the write submitted before it");
    CHECK_EQ(reqs[AIO_REQS - 1].result, -EINVAL, "out-of-range request fails");
    block_aio_poll(q);      /* nothing left: harmless */
    CHECK_EQ(done_count, AIO_REQS, "no callback twice");

    /* Free with requests still queued: they complete first. */
    done_count = 0;
    for (int i = 0; i < 20; i++) {
        reqs[i] = (struct block_req){ .op = BLOCK_OP_READ, .off = 0, .len = AIO_LEN,
                                      .buf = bufs[i], .done = on_done,
                                      .opaque = (void *)(intptr_t)i };
        block_aio_submit(q, &reqs[i]);
    }
    block_aio_free(q);
    CHECK_EQ(done_count, 20, "free runs the queued requests' callbacks");
    block_close(b);
}

/* Pages of `path` in [off, off+len) that sit in the host page cache. */
static int cached_pages(const char *path, uint64_t off, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0;
    if (fd < 0)
        return -1;
    void *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);
    close(fd);
    if (map == MAP_FAILED)
        return -1;
    unsigned char vec[64];
    size_t pages = len / 4096 < sizeof vec ? len / 4096 : sizeof vec;
    if (mincore(map, pages * 4096, vec) < 0)
        n = -1;
    for (size_t i = 0; n >= 0 && i < pages; i++)
        n += vec[i] & 1;
    munmap(map, len);
    return n;
}

/* cache=: the names; O_DIRECT for whole aligned blocks (they stay out of
 * the host page cache, also from an unaligned buffer), the ordinary path
 * for the rest, both seeing each other's writes; writethrough and unsafe
 * keep the data; a qcow2 image and its backing file under cache=none. */
static void test_cache_modes(void)
{
    static const struct { const char *s; int f; } names[] = {
        {"writeback", 0}, {"none", BLOCK_DIRECT}, {"writethrough", BLOCK_WRITETHROUGH},
        {"directsync", BLOCK_DIRECT | BLOCK_WRITETHROUGH}, {"unsafe", BLOCK_NOFLUSH},
        {"None", -1}, {"", -1}, {"nonex", -1}, {"write", -1},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK_EQ(block_cache_flags(names[i].s, strlen(names[i].s)), names[i].f,
                 "cache=%s", names[i].s);
    CHECK_EQ(block_cache_flags("none,if=ide", 4), BLOCK_DIRECT, "a name inside an option list");

    const char *p = scratch_path("cache.img");
    struct block_create_opts o = { .size = 1u << 20 };
    if (!CHECK(block_create(p, "raw", &o, errbuf, sizeof errbuf) == 0, "create: %s", errbuf))
        return;
    struct block *b = block_open(p, "raw", BLOCK_DIRECT, errbuf, sizeof errbuf);
    if (!b) {
        /* tmpfs and some others refuse O_DIRECT: a clear refusal is right. */
        CHECK(strstr(errbuf, "O_DIRECT") != NULL, "cache=none refused with a reason: %s", errbuf);
        printf("# O_DIRECT not supported under /tmp: direct I/O cases skipped\n");
        return;
    }
    static uint8_t pattern[65536], back[65536];
    for (size_t i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)(i * 7 + 3);
    int fd = open(p, O_RDONLY);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    /* An aligned write from an unaligned buffer: O_DIRECT through a bounce. */
    CHECK_EQ(block_write(b, 65536, pattern + 1, 32768), 0, "aligned write (unaligned buffer)");
    CHECK_EQ(cached_pages(p, 65536, 32768), 0, "an aligned write bypasses the page cache");
    CHECK_EQ(block_write(b, 131072, pattern, 65536), 0, "aligned write (aligned buffer)");
    CHECK_EQ(cached_pages(p, 131072, 65536), 0, "... also from an aligned buffer");
    /* Unaligned requests take the ordinary descriptor. */
    CHECK_EQ(block_write(b, 512, pattern + 5, 1024), 0, "unaligned write");
    CHECK_EQ(block_read(b, 512, back, 1024), 0, "unaligned read");
    CHECK(memcmp(back, pattern + 5, 1024) == 0, "unaligned write reads back");
    /* Buffered over direct and direct over buffered, same range. */
    CHECK_EQ(block_write(b, 65536 + 100, pattern + 9, 300), 0, "buffered write into a direct range");
    CHECK_EQ(block_read(b, 65536, back, 4096), 0, "direct read of it");
    CHECK(memcmp(back, pattern + 1, 100) == 0 && memcmp(back + 100, pattern + 9, 300) == 0 &&
          memcmp(back + 400, pattern + 401, 4096 - 400) == 0, "the direct read sees the buffered write");
    CHECK_EQ(block_write(b, 0, pattern + 2, 4096), 0, "direct write over a buffered range");
    CHECK_EQ(block_read(b, 512, back, 1024), 0, "buffered read of it");
    CHECK(memcmp(back, pattern + 2 + 512, 1024) == 0, "the buffered read sees the direct write");
    CHECK_EQ(block_read(b, 131072, back + 3, 8192), 0, "aligned read into an unaligned buffer");
    CHECK(memcmp(back + 3, pattern, 8192) == 0, "... reads back");
    CHECK_EQ(block_flush(b), 0, "flush");
    block_close(b);

    /* writethrough and unsafe: the data is there after close. */
    static const int other[] = { BLOCK_WRITETHROUGH, BLOCK_NOFLUSH, BLOCK_DIRECT | BLOCK_WRITETHROUGH };
    for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
        b = block_open(p, "raw", other[k], errbuf, sizeof errbuf);
        if (!CHECK(b != NULL, "open with cache flags 0x%x: %s", other[k], errbuf))
            continue;
        CHECK_EQ(block_write(b, 4096 * (k + 40), pattern + k, 4096), 0, "write (0x%x)", other[k]);
        CHECK_EQ(block_flush(b), 0, "flush (0x%x)", other[k]);
        block_close(b);
        b = block_open(p, "raw", 0, errbuf, sizeof errbuf);
        CHECK(b && block_read(b, 4096 * (k + 40), back, 4096) == 0 &&
              memcmp(back, pattern + k, 4096) == 0, "data kept (0x%x)", other[k]);
        block_close(b);
    }

    /* qcow2 over a backing file, both under cache=none. */
    const char *base = scratch_path("cache-base.qcow2"), *top = scratch_path("cache-top.qcow2");
    struct block_create_opts qo = { .size = 4u << 20 };
    if (!CHECK(block_create(base, "qcow2", &qo, errbuf, sizeof errbuf) == 0, "qcow2 base: %s", errbuf))
        return;
    b = block_open(base, "qcow2", BLOCK_DIRECT, errbuf, sizeof errbuf);
    CHECK(b && block_write(b, 0, pattern, 65536) == 0 && block_flush(b) == 0, "base written");
    block_close(b);
    struct block_create_opts to = { .size = 4u << 20, .backing = base, .backing_fmt = "qcow2" };
    if (!CHECK(block_create(top, "qcow2", &to, errbuf, sizeof errbuf) == 0, "qcow2 top: %s", errbuf))
        return;
    b = block_open(top, "qcow2", BLOCK_DIRECT, errbuf, sizeof errbuf);
    if (!CHECK(b != NULL, "top under cache=none: %s", errbuf))
        return;
    CHECK(b->backing && b->backing->dfd >= 0, "the backing file is opened with O_DIRECT too");
    CHECK_EQ(block_write(b, 4096, pattern + 7, 512), 0, "partial cluster write (copy-on-write)");
    CHECK_EQ(block_write(b, 1u << 20, pattern, 65536), 0, "whole cluster write");
    CHECK_EQ(block_flush(b), 0, "qcow2 flush");
    block_close(b);
    b = block_open(top, "qcow2", 0, errbuf, sizeof errbuf);
    CHECK(b && block_read(b, 0, back, 8192) == 0 && memcmp(back, pattern, 4096) == 0 &&
          memcmp(back + 4096, pattern + 7, 512) == 0 &&
          memcmp(back + 4608, pattern + 4608, 8192 - 4608) == 0, "copy-on-write kept base and new bytes");
    CHECK(b && block_read(b, 1u << 20, back, 65536) == 0 && memcmp(back, pattern, 65536) == 0,
          "the whole cluster reads back");
    struct block_check res = { 0 };
    CHECK(b && b->fmt->check(b, &res, false) == 0 && res.corruptions == 0 && res.leaks == 0,
          "the image checks clean");
    block_close(b);
}

int main(void)
{
    if (scratch_make("block") < 0)
        return 1;
    test_parse_size();
    test_raw();
    test_probe();
    test_aio();
    test_cache_modes();
    scratch_remove();
    return test_summary();
}
