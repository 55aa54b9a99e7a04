/* Unit tests for the VDI driver (src/block/vdi.c): create (dynamic and
 * fixed), reads and writes against a model of the disk across block
 * boundaries, reopen, check and repair, resize, every header refusal, and
 * a deterministic fuzz loop over header and block-map bytes that must
 * never crash (run it under MODE=asan too). */
#include "test.h"
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MiB (1u << 20)
#define FREE_ENTRY 0xffffffffu
#define ZERO_ENTRY 0xfffffffeu

/* Header fields (VDICore.h), as the driver reads them. */
enum {
    F_VERSION = 0x44, F_HEADER_SIZE = 0x48, F_TYPE = 0x4c, F_BMAP = 0x154, F_DATA = 0x158,
    F_SECTOR_SIZE = 0x168, F_DISK_SIZE = 0x170, F_BLOCK_SIZE = 0x178, F_BLOCK_EXTRA = 0x17c,
    F_BLOCKS = 0x180, F_ALLOCATED = 0x184, F_UUID_LINK = 0x1a8, F_UUID_PARENT = 0x1b8,
};

static char dir[] = "/tmp/rawbox-vdi-XXXXXX";
static char err[BLOCK_ERR_LEN];

static const char *path_in(const char *name)
{
    static char paths[4][256];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int create(const char *path, uint64_t size, bool fixed)
{
    struct block_create_opts o = { .size = size, .fixed = fixed };
    return block_create(path, "vdi", &o, err, sizeof err);
}

static uint32_t peek32(const char *path, uint64_t off)
{
    uint8_t b[4] = { 0 };
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        if (pread(fd, b, 4, (off_t)off) != 4)
            memset(b, 0, 4);
        close(fd);
    }
    return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void poke(const char *path, uint64_t off, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0 || pwrite(fd, data, len, (off_t)off) != (ssize_t)len)
        printf("poke %s at 0x%llx failed\n", path, (unsigned long long)off);
    if (fd >= 0)
        close(fd);
}

static void poke32(const char *path, uint64_t off, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    poke(path, off, b, 4);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void copy_file(const char *from, const char *to)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cp %s %s", from, to);
    if (system(cmd) != 0)
        printf("cp failed\n");
}

static void test_create_and_probe(void)
{
    const char *p = path_in("dyn.vdi");
    struct block *b;
    uint8_t head[512] = { 0 };

    CHECK_EQ(create(p, 3 * MiB + 1536, false), 0, "create dynamic 3 MiB + 1536 (%s)", err);
    CHECK_EQ(peek32(p, 0x40), 0xbeda107f, "signature at 0x40");
    CHECK_EQ(peek32(p, F_VERSION), 0x00010001, "version 1.1");
    CHECK_EQ(peek32(p, F_HEADER_SIZE), 0x190, "header size 400");
    CHECK_EQ(peek32(p, F_TYPE), 1, "type 1 (dynamic)");
    CHECK_EQ(peek32(p, F_BLOCKS), 4, "4 blocks of 1 MiB cover 3 MiB + 1536");
    CHECK_EQ(peek32(p, F_ALLOCATED), 0, "nothing allocated");
    CHECK_EQ(peek32(p, F_DATA) % MiB, 0, "data offset 1 MiB aligned");
    CHECK_EQ(peek32(p, 0x200 + 12), FREE_ENTRY, "map entries free");
    CHECK(peek32(p, 0x188) != 0 || peek32(p, 0x18c) != 0, "create UUID is set");

    CHECK_EQ(block_vdi.probe(head, sizeof head), 0, "probe: zeros are not vdi");
    head[0x40] = 0x7f, head[0x41] = 0x10, head[0x42] = 0xda, head[0x43] = 0xbe;
    CHECK_EQ(block_vdi.probe(head, sizeof head), 100, "probe: the signature is vdi");
    CHECK_EQ(block_vdi.probe(head, 0x43), 0, "probe: too short is not");

    b = block_open(p, NULL, 0, err, sizeof err);
    CHECK(b && b->fmt == &block_vdi, "probing opens it as vdi (%s)", b ? "" : err);
    if (!b)
        return;
    CHECK_EQ(b->size, 3 * MiB + 1536, "virtual size");
    uint8_t buf[4096];
    memset(buf, 0xaa, sizeof buf);
    CHECK(block_read(b, b->size - sizeof buf, buf, sizeof buf) == 0 && buf[0] == 0 &&
          memcmp(buf, buf + 1, sizeof buf - 1) == 0, "unallocated blocks read zeros");
    CHECK(block_read(b, b->size - 512, buf, 1024) == -EINVAL, "read past the end refused");
    block_close(b);
    CHECK(create(p, 1000, false) < 0, "size not a multiple of 512 refused");
}

/* Random writes of random lengths (zeros among them) against a model. */
static void test_patterns(const char *name, bool fixed)
{
    const char *p = path_in(name);
    const uint64_t size = 5 * MiB + 512;
    uint8_t *model = calloc(1, size), *got = malloc(size), *buf = malloc(3 * MiB);
    struct block *b;
    bool ok = true;

    CHECK_EQ(create(p, size, fixed), 0, "%s: create (%s)", name, err);
    b = block_open(p, "vdi", 0, err, sizeof err);
    CHECK(b != NULL, "%s: open (%s)", name, err);
    if (!b || !model || !got || !buf)
        goto out;
    /* Across the first block boundary, then random spots. */
    for (int i = 0; i < 200 && ok; i++) {
        uint64_t off = i == 0 ? MiB - 4096 : rnd() % size;
        size_t len = i == 0 ? 8192 : 1 + rnd() % (i % 10 == 0 ? 3 * MiB : 70000);
        if (len > size - off)
            len = size - off;
        for (size_t k = 0; k < len; k++)
            buf[k] = i % 7 == 3 ? 0 : (uint8_t)(i * 29 + k * 3 + (k >> 9));
        ok = block_write(b, off, buf, len) == 0;
        memcpy(model + off, buf, len);
        /* Early on, while most blocks are new: their rest must be zeros. */
        if (ok && (i < 10 || i % 25 == 0)) {
            ok = block_read(b, 0, got, size) == 0 && memcmp(got, model, size) == 0;
            CHECK(ok, "%s: after write %d (%zu bytes at %llu) the disk matches", name, i, len,
                  (unsigned long long)off);
        }
    }
    CHECK(ok, "%s: 200 writes (%s)", name, b->err);
    CHECK(block_read(b, 0, got, size) == 0 && memcmp(got, model, size) == 0,
          "%s: the disk reads back as written", name);
    CHECK(block_read(b, MiB - 100, got, 200) == 0 && memcmp(got, model + MiB - 100, 200) == 0,
          "%s: a read across a block boundary", name);
    CHECK_EQ(block_flush(b), 0, "%s: flush", name);
    block_close(b);

    b = block_open(p, NULL, BLOCK_RDONLY, err, sizeof err);
    CHECK(b != NULL, "%s: reopen read-only (%s)", name, err);
    if (!b)
        goto out;
    memset(got, 0x55, size);
    CHECK(block_read(b, 0, got, size) == 0 && memcmp(got, model, size) == 0,
          "%s: reopened, the same contents", name);
    CHECK_EQ(block_write(b, 0, buf, 512), -EROFS, "%s: read-only refuses writes", name);
    struct block_check res = { 0 };
    CHECK(b->fmt->check(b, &res, false) == 0 && res.leaks == 0 && res.corruptions == 0,
          "%s: check clean (leaks %llu, corruptions %llu)", name,
          (unsigned long long)res.leaks, (unsigned long long)res.corruptions);
    CHECK_EQ(res.total, 6, "%s: 6 blocks in the map", name);
    CHECK_EQ(res.allocated, fixed ? 6 : peek32(p, F_ALLOCATED), "%s: allocated = header count", name);
    block_close(b);
    if (fixed)
        CHECK_EQ(file_size(p), peek32(p, F_DATA) + 6ull * MiB, "fixed: the file did not grow");
    else
        CHECK_EQ(file_size(p), peek32(p, F_DATA) + (uint64_t)peek32(p, F_ALLOCATED) * MiB,
                 "dynamic: the file ends after the last allocated block");
out:
    free(model);
    free(got);
    free(buf);
}

static void test_allocation(void)
{
    const char *p = path_in("alloc.vdi");
    static uint8_t buf[4096];
    struct block *b;

    create(p, 4 * MiB, false);
    b = block_open(p, "vdi", 0, err, sizeof err);
    if (!CHECK(b != NULL, "alloc: open (%s)", err))
        return;
    CHECK(block_write(b, 2 * MiB, buf, sizeof buf) == 0 && peek32(p, F_ALLOCATED) == 0,
          "zeros written to a free block allocate nothing");
    buf[100] = 1;
    CHECK(block_write(b, 3 * MiB + 512, buf, sizeof buf) == 0, "write into block 3");
    CHECK_EQ(peek32(p, F_ALLOCATED), 1, "one block allocated");
    CHECK_EQ(peek32(p, 0x200 + 12), 0, "block 3 maps to data block 0");
    CHECK_EQ(peek32(p, 0x200 + 0), FREE_ENTRY, "block 0 still free");
    /* A second new block after one full of data: zeros around the write. */
    static uint8_t big[MiB];
    memset(big, 0xee, sizeof big);
    CHECK(block_write(b, 0, big, sizeof big) == 0, "fill block 0");
    CHECK(block_write(b, 2 * MiB + 4096, buf, 512) == 0, "512 bytes into block 2");
    CHECK(block_read(b, 2 * MiB, big, sizeof big) == 0 && big[0] == 0 && big[4095] == 0 &&
          big[4096 + 100] == 1 && big[4096 + 512] == 0 && big[MiB - 1] == 0,
          "a new block holds zeros around the data written");
    block_close(b);

    /* A zero block (0xfffffffe) reads zeros; a write gives it data. */
    poke32(p, 0x200 + 4, ZERO_ENTRY);
    b = block_open(p, "vdi", 0, err, sizeof err);
    if (!CHECK(b != NULL, "zero block: open (%s)", err))
        return;
    memset(buf, 0x77, sizeof buf);
    CHECK(block_read(b, MiB, buf, sizeof buf) == 0 && buf[0] == 0 && buf[4095] == 0,
          "a zero block reads zeros");
    buf[0] = 9;
    CHECK(block_write(b, MiB, buf, 1) == 0 && peek32(p, 0x200 + 4) == 3, "writing a zero block allocates it (data block 3)");
    block_close(b);
}

/* Open must refuse each bad field with one line naming the file. */
static void test_refusals(void)
{
    static const struct { unsigned off; uint32_t val; const char *why; } bad[] = {
        { 0x40, 0x12345678, "signature" },
        { F_VERSION, 0x00010002, "version 1.2" },
        { F_VERSION, 0x00000001, "version 0.1" },
        { F_HEADER_SIZE, 0x100, "header size" },
        { F_HEADER_SIZE, 0x1000, "header size" },
        { F_TYPE, 4, "differencing" },
        { F_TYPE, 3, "undo" },
        { F_TYPE, 7, "image type" },
        { F_UUID_PARENT + 3, 1, "differencing" },
        { F_UUID_LINK, 1, "differencing" },
        { F_SECTOR_SIZE, 4096, "sector size" },
        { F_BLOCK_SIZE, 2 * MiB, "block size" },
        { F_BLOCK_SIZE, 0, "block size" },
        { F_BLOCK_EXTRA, 512, "extra" },
        { F_BLOCKS, 2, "disk size" },
        { F_BLOCKS, 0x40000000, "block count" },
        { F_ALLOCATED, 5, "allocated" },
        { F_BMAP, 0x100, "block map offset" },
        { F_BMAP, 0x201, "block map offset" },
        { F_DATA, 0x200, "data offset" },
        { F_DATA, MiB + 3, "data offset" },
        { F_BLOCKS, 0x10000000, "past the end" },
        { F_DISK_SIZE + 4, 1, "disk size" },
        { 0x200 + 4, 3, "map entry" },
    };
    const char *base = path_in("base.vdi"), *p = path_in("bad.vdi");
    char where[300];

    create(base, 4 * MiB, false);
    /* Data blocks 0 and 1 in use, so entry values 0 and 1 are fine. */
    poke32(base, F_ALLOCATED, 2);
    poke32(base, 0x200, 0);
    poke32(base, 0x200 + 8, 1);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        copy_file(base, p);
        poke32(p, bad[i].off, bad[i].val);
        if (bad[i].off == F_BLOCKS && bad[i].val == 0x10000000)
            poke32(p, F_DATA, 0x40000400);  /* a map that fits before the data */
        struct block *b = block_open(p, "vdi", BLOCK_RDONLY, err, sizeof err);
        snprintf(where, sizeof where, "%s:", p);
        CHECK(!b && strstr(err, bad[i].why) && strncmp(err, where, strlen(where)) == 0 &&
              !strchr(err, '\n'), "refused: field 0x%x = 0x%x (%s): \"%s\"", bad[i].off,
              bad[i].val, bad[i].why, b ? "opened" : err);
        block_close(b);
    }
    struct block *b = block_open(base, NULL, BLOCK_RDONLY, err, sizeof err);
    CHECK(b != NULL, "the unmutated base opens (%s)", err);
    block_close(b);
    CHECK_EQ(truncate(p, 300), 0, "truncate the header");
    b = block_open(p, "vdi", BLOCK_RDONLY, err, sizeof err);
    CHECK(!b && strstr(err, "shorter"), "a truncated header is refused: %s", err);
    block_close(b);
}

static void test_check_and_repair(void)
{
    const char *p = path_in("leak.vdi");
    uint8_t buf[512], got[512];
    struct block_check res;
    struct block *b;

    create(p, 4 * MiB, false);
    b = block_open(p, "vdi", 0, err, sizeof err);
    if (!b)
        return;
    for (int i = 0; i < 4; i++) {
        memset(buf, 0x10 + i, sizeof buf);
        block_write(b, (uint64_t)i * MiB + 512, buf, sizeof buf);
    }
    block_close(b);
    /* Block 1 (data block 1) forgotten: a leak in the middle. */
    poke32(p, 0x200 + 4, FREE_ENTRY);
    b = block_open(p, "vdi", 0, err, sizeof err);
    if (!CHECK(b != NULL, "leak: open (%s)", err))
        return;
    memset(&res, 0, sizeof res);
    CHECK(b->fmt->check(b, &res, false) == 0 && res.leaks == 1 && res.corruptions == 0 &&
          res.allocated == 3, "check finds one leak (leaks %llu, corruptions %llu)",
          (unsigned long long)res.leaks, (unsigned long long)res.corruptions);
    CHECK(b->fmt->check(b, &res, true) == 0 && res.leaks_fixed == 1, "repair reclaims it");
    CHECK_EQ(peek32(p, F_ALLOCATED), 3, "three data blocks left");
    CHECK_EQ(file_size(p), peek32(p, F_DATA) + 3ull * MiB, "the file is cut after them");
    bool same = true;
    for (int i = 0; i < 4; i++) {
        memset(buf, i == 1 ? 0 : 0x10 + i, sizeof buf);
        same &= block_read(b, (uint64_t)i * MiB + 512, got, sizeof got) == 0 &&
                memcmp(got, buf, sizeof buf) == 0;
    }
    CHECK(same, "after repair every block reads as before");
    memset(&res, 0, sizeof res);
    CHECK(b->fmt->check(b, &res, false) == 0 && res.leaks == 0 && res.corruptions == 0,
          "check clean after repair");
    block_close(b);

    /* Two entries sharing a data block: a corruption, not repaired. */
    poke32(p, 0x200 + 4, 0);
    b = block_open(p, "vdi", 0, err, sizeof err);
    if (!CHECK(b != NULL, "shared: open (%s)", err))
        return;
    memset(&res, 0, sizeof res);
    CHECK(b->fmt->check(b, &res, true) == 0 && res.corruptions == 1 && res.corruptions_fixed == 0,
          "a shared data block is one corruption, left alone");
    block_close(b);
}

static void test_resize(void)
{
    const char *p = path_in("grow.vdi"), *f = path_in("fixed2.vdi");
    uint8_t buf[512];
    struct block *b;

    create(p, 2 * MiB, false);
    b = block_open(p, "vdi", 0, err, sizeof err);
    if (!CHECK(b != NULL, "resize: open (%s)", err))
        return;
    memset(buf, 0x42, sizeof buf);
    block_write(b, MiB, buf, sizeof buf);
    CHECK(b->fmt->resize(b, MiB) < 0 && strstr(b->err, "shrinking"), "shrinking refused: %s", b->err);
    CHECK(b->fmt->resize(b, 300000ull * MiB) < 0 && strstr(b->err, "room"),
          "growing past the map's room refused: %s", b->err);
    CHECK(b->fmt->resize(b, 2 * MiB + 512) == 0 && b->size == 2 * MiB + 512, "grow by a sector");
    CHECK(b->fmt->resize(b, 9 * MiB) == 0 && b->size == 9 * MiB, "grow to 9 MiB");
    block_close(b);
    CHECK_EQ(peek32(p, F_BLOCKS), 9, "9 blocks in the header");
    b = block_open(p, NULL, 0, err, sizeof err);
    if (!CHECK(b && b->size == 9 * MiB, "reopened at 9 MiB (%s)", b ? "" : err))
        return;
    uint8_t got[512];
    CHECK(block_read(b, MiB, got, sizeof got) == 0 && memcmp(got, buf, sizeof got) == 0,
          "old data kept");
    CHECK(block_read(b, 8 * MiB, got, sizeof got) == 0 && got[0] == 0 && got[511] == 0,
          "new space reads zeros");
    CHECK(block_write(b, 9 * MiB - 512, buf, sizeof buf) == 0, "write at the new end");
    struct block_check res = { 0 };
    CHECK(b->fmt->check(b, &res, false) == 0 && res.leaks == 0 && res.corruptions == 0 &&
          res.total == 9, "check clean after growing");
    block_close(b);

    create(f, 2 * MiB, true);
    b = block_open(f, "vdi", 0, err, sizeof err);
    if (!b)
        return;
    CHECK(b->fmt->resize(b, 4 * MiB) < 0 && strstr(b->err, "fixed"), "fixed images do not grow: %s", b->err);
    block_close(b);
}

/* Mutate header and map bytes of a small image; every call must return,
 * without a crash or a sanitizer report, and keep the size consistent. */
static void test_fuzz(void)
{
    const char *base = path_in("fuzzbase.vdi"), *p = path_in("fuzz.vdi");
    static const uint32_t special[] = { 0, 1, 2, 3, 0x180, 0x190, 0x200, 0x201, 0x400, MiB,
                                        0x7fffffff, 0x80000000, ZERO_ENTRY, FREE_ENTRY, 0x3fffffff };
    uint8_t img[2048], mut[2048], buf[8192];
    int fd, opened = 0, iterations = 4000;
    bool sane = true;

    /* 4 blocks; data blocks 0 and 1 used, map and header in the first
     * KiB, data offset 0x400 (the blocks themselves lie past the end of
     * the file and read as zeros). */
    create(base, 4 * MiB, false);
    poke32(base, F_DATA, 0x400);
    poke32(base, F_ALLOCATED, 2);
    poke32(base, 0x200 + 4, 0);
    poke32(base, 0x200 + 8, 1);
    poke32(base, 0x200 + 12, ZERO_ENTRY);
    fd = open(base, O_RDONLY);
    memset(img, 0, sizeof img);
    if (fd < 0 || pread(fd, img, 1024, 0) != 1024) {
        CHECK(0, "fuzz: read the base image");
        return;
    }
    close(fd);

    for (int it = 0; it < iterations; it++) {
        size_t len = 1024;
        memcpy(mut, img, sizeof mut);
        int n = 1 + (int)(rnd() % 4);
        for (int k = 0; k < n; k++) {
            unsigned spot = (unsigned)(rnd() % 0x210);
            if (rnd() % 2)
                mut[spot] = (uint8_t)rnd();
            else {
                uint32_t v = special[rnd() % (sizeof special / sizeof special[0])];
                spot &= ~3u;
                memcpy(mut + spot, &v, 4);
            }
        }
        if (rnd() % 8 == 0)
            len = rnd() % sizeof mut;
        /* Rewritten in place: ext4 flushes files emptied by O_TRUNC on close. */
        fd = open(p, O_WRONLY | O_CREAT, 0644);
        if (fd < 0 || pwrite(fd, mut, len, 0) != (ssize_t)len || ftruncate(fd, (off_t)len) < 0) {
            CHECK(0, "fuzz: write the image");
            return;
        }
        close(fd);

        struct block *b = block_open(p, it % 3 ? "vdi" : NULL, 0, err, sizeof err);
        if (!b) {
            sane &= err[0] != 0 && !strchr(err, '\n');
            continue;
        }
        opened++;
        if (b->fmt == &block_vdi)
            sane &= b->size <= (uint64_t)peek32(p, F_BLOCKS) * MiB && b->size % 512 == 0;
        uint64_t spots[3] = { 0, b->size / 2, b->size > sizeof buf ? b->size - sizeof buf : 0 };
        for (int s = 0; s < 3; s++) {
            size_t l = b->size - spots[s] < sizeof buf ? (size_t)(b->size - spots[s]) : sizeof buf;
            block_read(b, spots[s], buf, l);
        }
        if (b->size >= 1024 && it % 4 == 0) {
            memset(buf, it, 1024);
            block_write(b, rnd() % (b->size - 1023), buf, 1024);
        }
        struct block_check res = { 0 };
        if (b->fmt->check)
            b->fmt->check(b, &res, it % 5 == 0);
        if (b->fmt->resize && it % 7 == 0)
            b->fmt->resize(b, b->size + (rnd() % 4) * MiB);
        block_close(b);
    }
    CHECK(sane, "fuzz: %d mutated images, %d opened, no crash, sizes consistent", iterations, opened);
    CHECK(opened > 100 && opened < iterations, "fuzz: both outcomes are exercised");
}

int main(void)
{
    char cmd[300];

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (!CHECK(block_format_find("vdi") == &block_vdi, "vdi is registered"))
        return test_summary();
    test_create_and_probe();
    test_patterns("dynamic.vdi", false);
    test_patterns("fixed.vdi", true);
    test_allocation();
    test_refusals();
    test_check_and_repair();
    test_resize();
    test_fuzz();
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("could not remove %s\n", dir);
    return test_summary();
}
