/* Unit tests for the qcow2 driver (src/block/qcow2*.c): writes at many
 * offsets and sizes against an in-memory copy of the disk, for versions
 * 2 and 3 and cluster sizes from 512 B to 64 KiB; reopening; backing
 * chains; refcount table growth; resize; check after clean use; header
 * refusals; the dirty bit; and a fuzz loop that mutates a small image's
 * metadata and must never crash (run it under the ASan build too). */
#include "test.h"
#include "block/block.h"
#include "scratch.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static char errbuf[BLOCK_ERR_LEN];

static struct block *create_open(const char *p, uint64_t size, uint32_t cs, int compat,
                                 const char *backing, const char *bfmt)
{
    struct block_create_opts o = { .size = size, .cluster_size = cs, .compat = compat,
                                   .backing = backing, .backing_fmt = bfmt };
    if (block_create(p, "qcow2", &o, errbuf, sizeof(errbuf)) < 0) {
        printf("create %s: %s\n", p, errbuf);
        return NULL;
    }
    struct block *b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    if (!b)
        printf("open %s: %s\n", p, errbuf);
    return b;
}

static bool check_clean(struct block *b, const char *what)
{
    struct block_check res;
    int ret = b->fmt->check(b, &res, false);
    return CHECK(ret == 0 && res.leaks == 0 && res.corruptions == 0,
                 "%s: check clean (ret %d, %llu leaks, %llu corruptions) %s", what, ret,
                 (unsigned long long)res.leaks, (unsigned long long)res.corruptions,
                 ret ? b->err : "");
}

/* Random writes against a shadow copy, then every byte compared. */
static void test_patterns(uint32_t cs, int compat)
{
    const uint64_t size = 8 << 20;
    char name[64];
    snprintf(name, sizeof(name), "pat-%u-v%d.qcow2", cs, compat);
    const char *p = scratch_path(name);
    uint8_t *shadow = calloc(1, size), *buf = malloc(256 << 10), *rd = malloc(size);
    struct block *b = create_open(p, size, cs, compat, NULL, NULL);

    if (!CHECK(b && shadow && buf && rd, "cs %u v%d: create and open", cs, compat))
        goto out;
    CHECK_STR(b->fmt->name, "qcow2", "probed as qcow2");
    CHECK_EQ(b->size, size, "virtual size");
    bool ok = true;
    for (int i = 0; i < 300 && ok; i++) {
        uint64_t off = next_rand() % size;
        size_t len = 1 + next_rand() % (i % 10 == 0 ? (256 << 10) : 3 * cs);
        if (i % 4 == 0) {               /* sector-aligned, as devices do */
            off &= ~511ull;
            len = (len + 511) & ~511ull;
        }
        if (len > size - off)
            len = size - off;
        fill_rand(buf, len);
        ok &= block_write(b, off, buf, len) == 0;
        memcpy(shadow + off, buf, len);
        if (i % 7 == 0) {
            uint64_t roff = next_rand() % size;
            size_t rlen = 1 + next_rand() % (64 << 10);
            if (rlen > size - roff)
                rlen = size - roff;
            ok &= block_read(b, roff, rd, rlen) == 0 && memcmp(rd, shadow + roff, rlen) == 0;
        }
    }
    CHECK(ok, "cs %u v%d: 300 random writes and reads: %s", cs, compat, b->err);
    CHECK(block_read(b, 0, rd, size) == 0 && memcmp(rd, shadow, size) == 0,
          "cs %u v%d: whole disk matches", cs, compat);
    CHECK_EQ(block_flush(b), 0, "flush");
    check_clean(b, name);
    block_close(b);
    b = block_open(p, "qcow2", BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b && block_read(b, 0, rd, size) == 0 && memcmp(rd, shadow, size) == 0,
          "cs %u v%d: reopened read-only, disk matches", cs, compat);
    if (b)
        CHECK(block_write(b, 0, buf, 512) == -EROFS, "read-only refuses writes");
out:
    block_close(b);
    free(shadow);
    free(buf);
    free(rd);
}

static void test_backing(void)
{
    const uint64_t size = 4 << 20;
    const char *base = scratch_path("base.raw"), *mid = scratch_path("mid.qcow2");
    const char *top = scratch_path("top.qcow2");
    uint8_t *want = malloc(size), *got = malloc(size), buf[70000];
    struct block_create_opts o = { .size = size };
    struct block *b;

    fill_rand(want, size);
    CHECK_EQ(block_create(base, "raw", &o, errbuf, sizeof(errbuf)), 0, "base create");
    b = block_open(base, "raw", 0, errbuf, sizeof(errbuf));
    CHECK(b && block_write(b, 0, want, size) == 0, "base filled");
    block_close(b);

    /* mid: qcow2 over raw, named relative to its folder; size from base. */
    b = create_open(mid, 0, 4096, 3, "base.raw", "raw");
    if (!CHECK(b != NULL, "overlay on raw base: %s", errbuf))
        goto out;
    CHECK_EQ(b->size, size, "size taken from the backing file");
    CHECK(block_read(b, 0, got, size) == 0 && memcmp(got, want, size) == 0,
          "unallocated clusters read from the base");
    fill_rand(buf, sizeof(buf));
    CHECK_EQ(block_write(b, 1000, buf, 3000), 0, "partial cluster write");
    CHECK_EQ(block_write(b, 100000, buf, sizeof(buf)), 0, "cluster-crossing write");
    memcpy(want + 1000, buf, 3000);
    memcpy(want + 100000, buf, sizeof(buf));
    CHECK(block_read(b, 0, got, size) == 0 && memcmp(got, want, size) == 0,
          "copy-on-write kept the base's bytes around the writes");
    check_clean(b, "overlay");
    block_close(b);

    /* top: qcow2 over qcow2, format probed, bigger than its backing. */
    b = create_open(top, 2 * size, 65536, 2, mid, NULL);
    if (!CHECK(b != NULL, "two-level chain: %s", errbuf))
        goto out;
    char *text = NULL;
    size_t tlen = 0;
    FILE *mem = open_memstream(&text, &tlen);
    b->fmt->info(b, mem);
    fclose(mem);
    CHECK(strstr(text, "qcow2 version: 2\n") && strstr(text, "cluster size: 65536\n") &&
          strstr(text, "(format qcow2)") && strstr(text, "mid.qcow2") &&
          strstr(text, "snapshots: 0"), "info:\n%s", text);
    free(text);
    CHECK(block_read(b, 0, got, size) == 0 && memcmp(got, want, size) == 0,
          "top reads through mid and base");
    CHECK(block_read(b, size, got, size) == 0 && got[0] == 0 && got[size - 1] == 0 &&
          memcmp(got, got + 1, size - 1) == 0, "past the backing's end: zeros");
    CHECK_EQ(block_write(b, size - 512, buf, 1024), 0, "write across the backing's end");
    block_close(b);

    b = block_open(base, "raw", BLOCK_RDONLY, errbuf, sizeof(errbuf));
    uint8_t *orig = malloc(size);
    test_rng = 12345;                /* not the same bytes: just check mid's writes did not land */
    CHECK(b && block_read(b, 1000, orig, 3000) == 0 && memcmp(orig, buf, 3000) != 0,
          "the base was not written");
    free(orig);
    block_close(b);

    struct block_create_opts nob = { .size = size, .backing = "nonexistent.qcow2" };
    CHECK(block_create(scratch_path("nob.qcow2"), "qcow2", &nob, errbuf, sizeof(errbuf)) < 0 &&
          strstr(errbuf, "backing file") && strstr(errbuf, "nonexistent"),
          "create with a missing backing file refused: %s", errbuf);

    /* A chain that loops is refused, not followed forever. */
    const char *loop = scratch_path("loop.qcow2");
    b = create_open(loop, 1 << 20, 0, 3, NULL, NULL);
    block_close(b);
    int fd = open(loop, O_RDWR);
    const char nm[] = "loop.qcow2";
    uint64_t be_off = htobe64(512);
    uint32_t be_len = htobe32(sizeof(nm) - 1);
    CHECK(fd >= 0 && pwrite(fd, nm, sizeof(nm) - 1, 512) == sizeof(nm) - 1 &&
          pwrite(fd, &be_off, 8, 8) == 8 && pwrite(fd, &be_len, 4, 16) == 4, "make a loop");
    close(fd);
    b = block_open(loop, NULL, BLOCK_RDONLY, errbuf, sizeof(errbuf));
    CHECK(b == NULL && strstr(errbuf, "loop"), "backing loop refused: %s", errbuf);
    block_close(b);
out:
    free(want);
    free(got);
}

/* 512-byte clusters: one refcount table cluster covers 8 MiB, so 12 MiB
 * of data makes it grow (and refcount blocks appear on the way). */
static void test_refcount_growth(void)
{
    const uint64_t size = 16 << 20;
    const char *p = scratch_path("grow.qcow2");
    struct block *b = create_open(p, size, 512, 3, NULL, NULL);
    uint8_t *data = malloc(12 << 20), *got = malloc(12 << 20);

    if (!CHECK(b && data && got, "512-byte clusters"))
        goto out;
    fill_rand(data, 12 << 20);
    bool ok = true;
    for (uint64_t off = 0; off < (12 << 20) && ok; off += 64 << 10)
        ok &= block_write(b, off, data + off, 64 << 10) == 0;
    CHECK(ok, "12 MiB written: %s", b->err);
    check_clean(b, "after refcount table growth");
    block_close(b);
    b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    CHECK(b && block_read(b, 0, got, 12 << 20) == 0 && memcmp(got, data, 12 << 20) == 0,
          "reopened: data intact");
    if (b) {
        /* Growth: L1 table larger than its cluster; shrink refused. */
        CHECK_EQ(b->fmt->resize(b, 1ull << 30), 0, "resize to 1 GiB");
        CHECK(b->fmt->resize(b, 1 << 20) == -ENOTSUP && strstr(b->err, "shrink"),
              "shrinking refused: %s", b->err);
        CHECK(block_write(b, (1ull << 30) - 4096, data, 4096) == 0, "write at the new end");
        check_clean(b, "after resize");
        block_close(b);
        b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
        CHECK(b && b->size == 1ull << 30, "new size kept");
        CHECK(b && block_read(b, (1ull << 30) - 4096, got, 4096) == 0 &&
              memcmp(got, data, 4096) == 0 && block_read(b, 0, got, 12 << 20) == 0 &&
              memcmp(got, data, 12 << 20) == 0, "data intact after resize");
    }
out:
    block_close(b);
    free(data);
    free(got);
}

static void poke(const char *p, uint64_t off, const void *data, size_t len)
{
    int fd = open(p, O_RDWR);
    if (fd < 0 || pwrite(fd, data, len, (off_t)off) != (ssize_t)len)
        printf("poke %s failed\n", p);
    close(fd);
}

static void test_refusals(void)
{
    /* One header field set to a bad value each (offsets from qcow2.txt). */
    static const struct {
        unsigned at, width;
        uint64_t value;
        const char *what, *needle;
    } bad[] = {
        { 72, 8, 1ull << 40, "unknown incompatible bit", "incompatible feature bit 40" },
        { 32, 4, 1, "encryption", "encrypted" },
        { 72, 8, 1ull << 2, "external data file", "external data" },
        { 72, 8, 1ull << 4, "extended L2 entries", "extended L2" },
        { 96, 4, 7, "refcount order 7", "refcount_order" },
        { 4, 4, 4, "version 4", "version 4" },
        { 20, 4, 30, "cluster bits 30", "cluster_bits" },
        { 24, 8, 1ull << 50, "size beyond the L1 table", "L1 table" },
        { 40, 8, 0x10001, "misaligned L1", "not aligned" },
        { 48, 8, 1ull << 40, "refcount table beyond the end", "beyond the end" },
        { 56, 4, 0, "empty refcount table", "refcount table of 0" },
        { 72, 8, 1ull << 1, "corrupt bit, read-write", "corrupt" },
        { 100, 4, 100, "header_length not a multiple of 8", "header_length" },
    };
    const char *p = scratch_path("refuse.qcow2");

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        block_close(create_open(p, 1 << 20, 0, 3, NULL, NULL));
        uint64_t v64 = htobe64(bad[i].value);
        uint32_t v32 = htobe32((uint32_t)bad[i].value);
        poke(p, bad[i].at, bad[i].width == 8 ? (void *)&v64 : (void *)&v32, bad[i].width);
        struct block *b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
        CHECK(b == NULL && strstr(errbuf, bad[i].needle) && strstr(errbuf, p) == errbuf,
              "%s refused: %s", bad[i].what, b ? "opened" : errbuf);
        block_close(b);
    }
    struct block_create_opts o = { .size = 1 << 20, .cluster_size = 1000 };
    CHECK(block_create(p, "qcow2", &o, errbuf, sizeof(errbuf)) < 0 &&
          strstr(errbuf, "power of two"), "cluster size 1000 refused");
    o.cluster_size = 4 << 20;
    CHECK(block_create(p, "qcow2", &o, errbuf, sizeof(errbuf)) < 0, "cluster size 4M refused");
    o = (struct block_create_opts){ .size = 1 << 20, .compat = 4 };
    CHECK(block_create(p, "qcow2", &o, errbuf, sizeof(errbuf)) < 0, "compat 4 refused");
    o = (struct block_create_opts){ .size = 1ull << 40, .cluster_size = 512 };
    CHECK(block_create(p, "qcow2", &o, errbuf, sizeof(errbuf)) < 0 && strstr(errbuf, "too big"),
          "1 TiB with 512-byte clusters refused (L1 over 32 MiB)");
}

/* QEMU's lazy refcounts leave the dirty bit and stale refcounts: a
 * read-write open rebuilds them. */
static void test_dirty(void)
{
    const char *p = scratch_path("dirty.qcow2");
    struct block *b = create_open(p, 1 << 20, 4096, 3, NULL, NULL);
    uint8_t data[8192], got[8192];
    struct block_check res;

    fill_rand(data, sizeof(data));
    CHECK(b && block_write(b, 8192, data, sizeof(data)) == 0, "dirty: write");
    block_close(b);
    /* Refcount block is cluster 2 (create's layout); zero it all. */
    uint8_t zero[4096] = {0};
    uint64_t v = htobe64(1);
    poke(p, 2 * 4096, zero, sizeof(zero));
    b = block_open(p, NULL, BLOCK_RDONLY, errbuf, sizeof(errbuf));
    memset(&res, 0, sizeof(res));
    int ret = b ? b->fmt->check(b, &res, false) : -1;
    CHECK(ret == 0 && res.corruptions > 0, "zeroed refcounts are corruptions (%llu)",
          (unsigned long long)res.corruptions);
    block_close(b);
    poke(p, 72, &v, 8);
    b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    CHECK(b != NULL, "dirty image opens read-write: %s", b ? "" : errbuf);
    if (b) {
        check_clean(b, "dirty image rebuilt");
        CHECK(block_read(b, 8192, got, sizeof(got)) == 0 && memcmp(got, data, sizeof(got)) == 0,
              "dirty image data intact");
        block_close(b);
    }
    int fd = open(p, O_RDONLY);
    CHECK(fd >= 0 && pread(fd, &v, 8, 72) == 8 && v == 0, "dirty bit cleared");
    close(fd);
}

/* Leaks found and repaired. */
static void test_leak_repair(void)
{
    const char *p = scratch_path("leak.qcow2");
    struct block *b = create_open(p, 1 << 20, 4096, 3, NULL, NULL);
    struct block_check res;
    uint8_t data[4096] = {1};

    CHECK(b && block_write(b, 0, data, sizeof(data)) == 0, "leak: write");
    block_close(b);
    /* Raise the refcount of the data cluster (cluster 5: after header,
     * table, block, L1, L2) to 2: one leaked reference. */
    uint16_t two = htobe16(2);
    poke(p, 2 * 4096 + 5 * 2, &two, 2);
    b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    if (!CHECK(b != NULL, "leak: open"))
        return;
    int ret = b->fmt->check(b, &res, false);
    CHECK(ret == 0 && res.leaks == 1 && res.corruptions == 0,
          "one leak found (%llu leaks)", (unsigned long long)res.leaks);
    CHECK(b->fmt->check(b, &res, true) == 0 && res.leaks_fixed == 1, "and repaired");
    check_clean(b, "after repair");
    block_close(b);
    /* A refcount past the end of the file (killed between counting a
     * cluster and writing it) is a leak too. */
    uint16_t one = htobe16(1);
    poke(p, 2 * 4096 + 100 * 2, &one, 2);
    b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    if (!CHECK(b != NULL, "leak: reopen"))
        return;
    ret = b->fmt->check(b, &res, false);
    CHECK(ret == 0 && res.leaks == 1 && res.corruptions == 0,
          "refcount past the end of the file found (%llu leaks)", (unsigned long long)res.leaks);
    CHECK(b->fmt->check(b, &res, true) == 0 && res.leaks_fixed == 1, "and repaired");
    check_clean(b, "after the second repair");
    block_close(b);
}

/* Metadata mutated at random: open, read, write, check must fail cleanly
 * or work, never crash. */
static void test_fuzz(int rounds)
{
    const char *good = scratch_path("fuzz-good.qcow2"), *p = scratch_path("fuzz.qcow2");
    struct block *b = create_open(good, 256 << 10, 512, 3, NULL, NULL);
    uint8_t buf[4096];
    static uint8_t img[64 << 10];
    int opened = 0, wrote = 0;

    if (!CHECK(b != NULL, "fuzz: base image"))
        return;
    fill_rand(buf, sizeof(buf));
    for (uint64_t off = 0; off < (256 << 10); off += 20000)
        block_write(b, off, buf, 700);
    block_close(b);
    int fd = open(good, O_RDONLY);
    ssize_t len = fd >= 0 ? pread(fd, img, sizeof(img), 0) : -1;
    close(fd);
    if (!CHECK(len > 4096 && len < (ssize_t)sizeof(img), "fuzz: base image read (%zd)", len))
        return;
    for (int r = 0; r < rounds; r++) {
        static uint8_t m[sizeof(img)];
        memcpy(m, img, (size_t)len);
        int n = 1 + (int)(next_rand() % 8);
        for (int i = 0; i < n; i++) {
            /* Mostly metadata: the first clusters hold the header, the
             * refcount table and block, the L1 and the first L2 tables. */
            size_t at = next_rand() % 4 ? next_rand() % 3072 : next_rand() % (size_t)len;
            switch (next_rand() % 3) {
            case 0: m[at] = (uint8_t)next_rand(); break;
            case 1: m[at] ^= (uint8_t)(1u << (next_rand() % 8)); break;
            case 2: m[at] = (next_rand() & 1) ? 0xff : 0; break;
            }
        }
        fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || pwrite(fd, m, (size_t)len, 0) != len) {
            close(fd);
            continue;
        }
        close(fd);
        b = block_open(p, "qcow2", 0, errbuf, sizeof(errbuf));
        if (!b) {
            if (strstr(errbuf, p) != errbuf || strchr(errbuf, '\n')) {
                CHECK(0, "fuzz %d: error names the file, one line: %s", r, errbuf);
                return;
            }
            continue;
        }
        opened++;
        for (int i = 0; i < 4 && b->size; i++) {
            uint64_t off = next_rand() % b->size;
            size_t l = 1 + next_rand() % sizeof(buf);
            if (l > b->size - off)
                l = b->size - off;
            block_read(b, off, buf, l);
            wrote += block_write(b, off, buf, l) == 0;
        }
        struct block_check res;
        b->fmt->check(b, &res, next_rand() & 1);
        block_close(b);
    }
    CHECK(1, "fuzz: %d rounds, %d opened, %d writes worked, no crash", rounds, opened, wrote);
}

/* The aio queue over qcow2: writes allocating clusters on the worker
 * thread, reads after them see them. */
static int aio_done_count;
static void aio_done(struct block_req *r, void *opaque)
{
    aio_done_count++;
}

static void test_aio(void)
{
    enum { N = 64, LEN = 6144 };
    static struct block_req reqs[2 * N + 1];
    static uint8_t wbuf[N][LEN], rbuf[N][LEN];
    struct block *b = create_open(scratch_path("aio.qcow2"), 4 << 20, 4096, 3, NULL, NULL);
    struct block_aio *q = b ? block_aio_new(b, errbuf, sizeof(errbuf)) : NULL;

    if (!CHECK(q != NULL, "aio over qcow2"))
        goto out;
    for (int i = 0; i < N; i++) {
        fill_rand(wbuf[i], LEN);
        uint64_t off = (uint64_t)i * 65000 + 77;
        reqs[2 * i] = (struct block_req){ .op = BLOCK_OP_WRITE, .off = off, .buf = wbuf[i],
                                          .len = LEN, .done = aio_done };
        reqs[2 * i + 1] = (struct block_req){ .op = BLOCK_OP_READ, .off = off, .buf = rbuf[i],
                                              .len = LEN, .done = aio_done };
        block_aio_submit(q, &reqs[2 * i]);
        block_aio_submit(q, &reqs[2 * i + 1]);
    }
    reqs[2 * N] = (struct block_req){ .op = BLOCK_OP_FLUSH, .done = aio_done };
    block_aio_submit(q, &reqs[2 * N]);
    block_aio_drain(q);
    bool ok = aio_done_count == 2 * N + 1;
    for (int i = 0; i < 2 * N + 1; i++)
        ok &= reqs[i].result == 0;
    for (int i = 0; i < N; i++)
        ok &= memcmp(wbuf[i], rbuf[i], LEN) == 0;
    CHECK(ok, "aio: %d requests done in order, reads see the writes before them", aio_done_count);
    block_aio_free(q);
    check_clean(b, "after aio");
out:
    block_close(b);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 3000;   /* qcow2_test [ROUNDS [SEED]] */
    if (argc > 2)
        test_rng = strtoull(argv[2], NULL, 0) | 1;
    if (scratch_make("qcow2") < 0)
        return 1;
    static const uint32_t sizes[] = { 512, 4096, 65536 };
    for (int v = 2; v <= 3; v++)
        for (size_t i = 0; i < 3; i++)
            test_patterns(sizes[i], v);
    test_backing();
    test_refcount_growth();
    test_refusals();
    test_dirty();
    test_leak_repair();
    test_aio();
    test_fuzz(rounds);
    scratch_remove();
    return test_summary();
}
