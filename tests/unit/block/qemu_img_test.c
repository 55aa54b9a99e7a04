/* Cross-checks of the qcow2 driver against QEMU's own tools (package
 * qemu-utils), when they are installed: images QEMU made and filled
 * (versions 2 and 3, 4 KiB and 64 KiB clusters, zero clusters, backing
 * files, zlib and zstd compressed clusters, internal snapshots, lazy
 * refcounts left dirty) read back with the same bytes; images rawbox
 * wrote pass `qemu-img check` and `qemu-img compare` against a raw image
 * holding the same writes. Without qemu-img the checks are skipped with
 * a note. */
#include "test.h"
#include "block/block.h"
#include "scratch.h"

#include <sys/wait.h>
#include <unistd.h>

static char errbuf[BLOCK_ERR_LEN];
static bool have_qemu_io;

/* Run a shell command quietly; its exit status. */
__attribute__((format(printf, 1, 2)))
static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    char full[2200];
    snprintf(full, sizeof(full), "cd %s && (%s) >cmd.log 2>&1", scratch_dir, cmd);
    int st = system(full);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
    if (code != 0) {
        printf("# command exited %d: %s\n", code, cmd);
        snprintf(full, sizeof(full), "sed 's/^/#   /' %s/cmd.log | head -20", scratch_dir);
        if (system(full) != 0)
            printf("# (no log)\n");
    }
    return code;
}

/* The whole virtual disk of an image through rawbox equals want. */
static bool reads_as(const char *p, const uint8_t *want, uint64_t size, const char *what)
{
    struct block *b = block_open(p, NULL, BLOCK_RDONLY, errbuf, sizeof(errbuf));
    uint8_t *got = malloc(size);
    bool ok = b && got && b->size == size && block_read(b, 0, got, size) == 0;
    if (b && !ok)
        printf("# %s\n", b->err);
    if (!b)
        printf("# %s\n", errbuf);
    uint64_t bad = size;
    for (uint64_t i = 0; ok && i < size; i++) {
        if (got[i] != want[i]) {
            bad = i;
            ok = false;
        }
    }
    if (bad < size)
        printf("# first difference at 0x%llx: 0x%02x, expected 0x%02x\n",
               (unsigned long long)bad, got[bad], want[bad]);
    block_close(b);
    free(got);
    return CHECK(ok, "%s", what);
}

static void pattern(uint8_t *shadow, uint64_t off, uint64_t len, uint8_t v)
{
    memset(shadow + off, v, len);
}

/* QEMU writes, rawbox reads. */
static void test_qemu_made(const char *compat, unsigned cs)
{
    const uint64_t size = 4 << 20;
    char name[64];
    snprintf(name, sizeof(name), "q-%s-%u.qcow2", compat, cs);
    const char *p = scratch_path(name);
    uint8_t *shadow = calloc(1, size);

    if (sh("qemu-img create -f qcow2 -o compat=%s,cluster_size=%u %s 4M", compat, cs, name)) {
        CHECK(0, "qemu-img create %s", name);
        free(shadow);
        return;
    }
    reads_as(p, shadow, size, "qemu-made empty image reads zeros");
    if (!have_qemu_io) {
        free(shadow);
        return;
    }
    CHECK_EQ(sh("qemu-io -f qcow2 -c 'write -P 0xab 0 64k' -c 'write -P 0x5c 100k 3k' "
                "-c 'write -P 0x11 1M 192k' -c 'write -z 1M 64k' -c 'write -P 0x77 2M 1M' "
                "-c 'write -P 0x33 4193792 512' %s", name), 0, "qemu-io writes");
    pattern(shadow, 0, 65536, 0xab);
    pattern(shadow, 100 << 10, 3 << 10, 0x5c);
    pattern(shadow, 1 << 20, 192 << 10, 0x11);
    pattern(shadow, 1 << 20, 64 << 10, 0);
    pattern(shadow, 2 << 20, 1 << 20, 0x77);
    pattern(shadow, 4193792, 512, 0x33);
    char what[128];
    snprintf(what, sizeof(what), "compat %s, %u-byte clusters: QEMU's writes read back", compat, cs);
    reads_as(p, shadow, size, what);

    /* Then rawbox writes over QEMU's clusters (in place, zero clusters,
     * partial), and QEMU must agree. */
    struct block *b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    uint8_t buf[5000];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 13 + 1);
    bool ok = b != NULL;
    static const uint64_t offs[] = { 10, 65000, (1 << 20) + 4096, (3 << 20) - 100, 4194304 - 5000 };
    for (size_t i = 0; ok && i < 5; i++) {
        ok = block_write(b, offs[i], buf, sizeof(buf)) == 0;
        memcpy(shadow + offs[i], buf, sizeof(buf));
    }
    CHECK(ok, "rawbox writes into a QEMU image: %s", b ? b->err : errbuf);
    block_close(b);
    const char *raw = scratch_path("expect.raw");
    FILE *f = fopen(raw, "wb");
    CHECK(f && fwrite(shadow, 1, size, f) == size, "expected raw written");
    if (f)
        fclose(f);
    snprintf(what, sizeof(what), "compat %s, %u: qemu-img check after rawbox writes", compat, cs);
    CHECK_EQ(sh("qemu-img check -f qcow2 %s", name), 0, "%s", what);
    snprintf(what, sizeof(what), "compat %s, %u: qemu-img compare after rawbox writes", compat, cs);
    CHECK_EQ(sh("qemu-img compare -f qcow2 -F raw %s expect.raw", name), 0, "%s", what);
    free(shadow);
}

/* rawbox writes; QEMU checks and compares. refcount_bits 0: rawbox
 * creates the image (16-bit refcounts), else qemu-img with that width. */
static void test_rawbox_made(int compat, unsigned cs, unsigned refcount_bits)
{
    const uint64_t size = 6 << 20;
    char name[64], what[128];
    snprintf(name, sizeof(name), "r-%d-%u-%u.qcow2", compat, cs, refcount_bits);
    const char *p = scratch_path(name);
    uint8_t *shadow = calloc(1, size), *buf = malloc(200000);
    struct block_create_opts o = { .size = size, .cluster_size = cs, .compat = compat };
    struct block *b = NULL;

    if (refcount_bits ? sh("qemu-img create -f qcow2 -o cluster_size=%u,refcount_bits=%u %s 6M",
                           cs, refcount_bits, name) == 0
                      : block_create(p, "qcow2", &o, errbuf, sizeof(errbuf)) == 0)
        b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
    bool ok = b != NULL;
    for (int i = 0; ok && i < 200; i++) {
        uint64_t off = next_rand() % size;
        size_t len = 1 + next_rand() % (i % 20 ? 3 * cs : 200000);
        if (len > size - off)
            len = size - off;
        for (size_t k = 0; k < len; k++)
            buf[k] = (uint8_t)next_rand();
        ok = block_write(b, off, buf, len) == 0;
        memcpy(shadow + off, buf, len);
    }
    snprintf(what, sizeof(what), "v%d, %u-byte clusters, %u-bit refcounts: rawbox writes", compat,
             cs, refcount_bits ? refcount_bits : 16);
    CHECK(ok, "%s: %s", what, b ? b->err : errbuf);
    block_close(b);
    FILE *f = fopen(scratch_path("expect.raw"), "wb");
    CHECK(f && fwrite(shadow, 1, size, f) == size, "expected raw written");
    if (f)
        fclose(f);
    snprintf(what, sizeof(what), "v%d, %u, %u: qemu-img check of rawbox's writes", compat, cs,
             refcount_bits);
    CHECK_EQ(sh("qemu-img check -f qcow2 %s", name), 0, "%s", what);
    snprintf(what, sizeof(what), "v%d, %u, %u: qemu-img compare with the same writes in raw",
             compat, cs, refcount_bits);
    CHECK_EQ(sh("qemu-img compare -f qcow2 -F raw %s expect.raw", name), 0, "%s", what);
    free(shadow);
    free(buf);
}

static void test_backing_chain(void)
{
    const uint64_t size = 2 << 20;
    uint8_t *want = malloc(size);

    if (sh("qemu-img create -f raw base.raw 2M") || sh("qemu-img create -f qcow2 -b base.raw -F raw ov.qcow2")) {
        CHECK(0, "qemu-img backing chain");
        free(want);
        return;
    }
    memset(want, 0, size);
    if (have_qemu_io) {
        CHECK_EQ(sh("qemu-io -f raw -c 'write -P 0x42 0 2M' base.raw && "
                    "qemu-io -f qcow2 -c 'write -P 0x99 65536 512' ov.qcow2"), 0, "qemu-io fills");
        memset(want, 0x42, size);
        memset(want + 65536, 0x99, 512);
    }
    reads_as(scratch_path("ov.qcow2"), want, size, "QEMU overlay: unallocated clusters from the raw base");

    /* rawbox overlay over QEMU's overlay. */
    struct block_create_opts o = { .backing = "ov.qcow2", .backing_fmt = "qcow2" };
    CHECK_EQ(block_create(scratch_path("top.qcow2"), "qcow2", &o, errbuf, sizeof(errbuf)), 0,
             "rawbox overlay on a QEMU image");
    struct block *b = block_open(scratch_path("top.qcow2"), NULL, 0, errbuf, sizeof(errbuf));
    uint8_t buf[3000];
    memset(buf, 0xee, sizeof(buf));
    CHECK(b && block_write(b, 65000, buf, sizeof(buf)) == 0, "rawbox writes into its overlay");
    memcpy(want + 65000, buf, sizeof(buf));
    block_close(b);
    CHECK_EQ(sh("qemu-img check top.qcow2"), 0, "qemu-img check of rawbox's overlay");
    FILE *f = fopen(scratch_path("expect.raw"), "wb");
    CHECK(f && fwrite(want, 1, size, f) == size, "expected raw written");
    if (f)
        fclose(f);
    CHECK_EQ(sh("qemu-img compare -F raw top.qcow2 expect.raw"), 0,
             "qemu-img compare reads rawbox's overlay through the chain");
    CHECK_EQ(sh("qemu-img info --backing-chain top.qcow2 | grep -q 'backing file format: qcow2'"),
             0, "QEMU sees the backing format extension");
    free(want);
}

static void test_compressed(const char *type)
{
    const uint64_t size = 2 << 20;
    uint8_t *src = malloc(size);
    char name[64];

    /* Compressible, but not trivially: runs and random bytes. */
    for (uint64_t i = 0; i < size; i += 512) {
        if ((i / 512) % 5 == 0)
            for (int k = 0; k < 512; k++)
                src[i + k] = (uint8_t)next_rand();
        else
            memset(src + i, (int)(i / 512 % 251), 512);
    }
    memset(src + (1 << 20), 0, 65536);          /* an all-zero cluster */
    FILE *f = fopen(scratch_path("src.raw"), "wb");
    CHECK(f && fwrite(src, 1, size, f) == size, "compressed source written");
    if (f)
        fclose(f);
    snprintf(name, sizeof(name), "c-%s.qcow2", type);
    if (sh("qemu-img convert -c -f raw -O qcow2 -o compression_type=%s src.raw %s", type, name)) {
        CHECK(0, "qemu-img convert -c (%s)", type);
        free(src);
        return;
    }
    char what[96];
    snprintf(what, sizeof(what), "%s compressed clusters read back", type);
    reads_as(scratch_path(name), src, size, what);

    /* Partial writes into compressed clusters: copied, then freed. */
    struct block *b = block_open(scratch_path(name), NULL, 0, errbuf, sizeof(errbuf));
    uint8_t buf[1000];
    memset(buf, 0x5a, sizeof(buf));
    bool ok = b != NULL;
    for (uint64_t off = 300; ok && off < size; off += 300000) {
        ok = block_write(b, off, buf, sizeof(buf)) == 0;
        memcpy(src + off, buf, sizeof(buf));
    }
    CHECK(ok, "%s: writes into compressed clusters", type);
    block_close(b);
    f = fopen(scratch_path("expect.raw"), "wb");
    CHECK(f && fwrite(src, 1, size, f) == size, "expected raw written");
    if (f)
        fclose(f);
    snprintf(what, sizeof(what), "%s: qemu-img check after copy-on-write", type);
    CHECK_EQ(sh("qemu-img check %s", name), 0, "%s", what);
    snprintf(what, sizeof(what), "%s: qemu-img compare after copy-on-write", type);
    CHECK_EQ(sh("qemu-img compare -F raw %s expect.raw", name), 0, "%s", what);
    free(src);
}

/* An internal snapshot shares clusters: rawbox's writes must copy them
 * and leave the snapshot as it was. */
static void test_snapshot(void)
{
    if (!have_qemu_io)
        return;
    if (sh("qemu-img create -f qcow2 -o cluster_size=4096 snap.qcow2 1M && "
           "qemu-io -c 'write -P 0x21 0 1M' snap.qcow2 && "
           "qemu-img snapshot -c first snap.qcow2")) {
        CHECK(0, "snapshot image made");
        return;
    }
    struct block *b = block_open(scratch_path("snap.qcow2"), NULL, 0, errbuf, sizeof(errbuf));
    if (!CHECK(b != NULL, "image with a snapshot opens: %s", errbuf))
        return;
    char *text = NULL;
    size_t tlen = 0;
    FILE *mem = open_memstream(&text, &tlen);
    b->fmt->info(b, mem);
    fclose(mem);
    CHECK(strstr(text, "snapshots: 1") && strstr(text, "first"), "info lists the snapshot:\n%s", text);
    free(text);
    struct block_check res;
    CHECK(b->fmt->check(b, &res, false) == 0 && res.leaks == 0 && res.corruptions == 0,
          "check counts the snapshot's references (%llu leaks, %llu corruptions)",
          (unsigned long long)res.leaks, (unsigned long long)res.corruptions);
    uint8_t buf[6000];
    memset(buf, 0x7e, sizeof(buf));
    CHECK(block_write(b, 1000, buf, sizeof(buf)) == 0 && block_write(b, 500000, buf, 100) == 0,
          "writes over shared clusters");
    block_close(b);
    CHECK_EQ(sh("qemu-img check snap.qcow2"), 0, "qemu-img check after writes over a snapshot");
    CHECK_EQ(sh("qemu-img convert -l snapshot.name=first -O raw snap.qcow2 snap.raw && "
                "qemu-io -f raw -c 'read -P 0x21 0 1M' snap.raw | (! grep -i failed)"),
             0, "the snapshot still holds its old bytes");
    CHECK_EQ(sh("qemu-io -c 'read -P 0x7e 1000 6000' -c 'read -P 0x21 7000 493000' snap.qcow2 "
                "| (! grep -i failed)"), 0, "QEMU reads rawbox's writes");
}

/* QEMU killed with lazy refcounts leaves the dirty bit: rawbox rebuilds. */
static void test_lazy_dirty(void)
{
    if (!have_qemu_io)
        return;
    sh("qemu-img create -f qcow2 -o lazy_refcounts=on lazy.qcow2 1M && "
       "qemu-io -c 'write -P 0x66 0 128k' -c abort lazy.qcow2 || true");
    if (sh("qemu-img info lazy.qcow2 | grep -q 'lazy refcounts: true'")) {
        CHECK(0, "lazy image made");
        return;
    }
    struct block *b = block_open(scratch_path("lazy.qcow2"), NULL, 0, errbuf, sizeof(errbuf));
    CHECK(b != NULL, "dirty image opens read-write: %s", b ? "" : errbuf);
    block_close(b);
    CHECK_EQ(sh("qemu-img check lazy.qcow2"), 0, "qemu-img check after the rebuild");
    CHECK_EQ(sh("qemu-io -c 'read -P 0x66 0 128k' lazy.qcow2 | (! grep -i failed)"), 0,
             "data kept");
}

/* Dirty bitmaps (autoclear bit 0): rawbox does not keep them, so a
 * read-write open clears the bit, as the spec asks; QEMU then counts the
 * bitmaps' clusters as leaks, and rawbox's repair frees them. */
static void test_bitmaps(void)
{
    if (!have_qemu_io)
        return;
    if (sh("qemu-img create -f qcow2 bm.qcow2 1M && qemu-img bitmap --add bm.qcow2 b0 && "
           "qemu-io -c 'write -P 1 0 64k' bm.qcow2")) {
        printf("# note: qemu-img bitmap unavailable, bitmap case skipped\n");
        return;
    }
    struct block *b = block_open(scratch_path("bm.qcow2"), NULL, 0, errbuf, sizeof(errbuf));
    uint8_t buf[512];
    memset(buf, 2, sizeof(buf));
    CHECK(b && block_write(b, 65536, buf, sizeof(buf)) == 0, "image with a bitmap written");
    block_close(b);
    CHECK_EQ(sh("qemu-img check bm.qcow2; test $? = 3"), 0,
             "QEMU: bitmaps inconsistent, their clusters leaked, nothing corrupt");
    b = block_open(scratch_path("bm.qcow2"), NULL, 0, errbuf, sizeof(errbuf));
    struct block_check res;
    CHECK(b && b->fmt->check(b, &res, true) == 0 && res.leaks_fixed > 0 && res.corruptions == 0,
          "rawbox repair frees them");
    block_close(b);
    CHECK_EQ(sh("qemu-img check bm.qcow2 && "
                "qemu-io -c 'read -P 1 0 64k' -c 'read -P 2 64k 512' bm.qcow2 | (! grep -i failed)"),
             0, "then QEMU finds no errors and the data");
}

/* Mutated QEMU images (compressed clusters, a snapshot table, the
 * feature name table, a backing file): open, read, write, check and
 * info must fail cleanly or work, never crash (run under ASan too). */
static void test_fuzz_qemu_image(int rounds)
{
    if (!have_qemu_io)
        return;
    if (sh("qemu-img create -f raw fzb.raw 256K && "
           "qemu-img create -f qcow2 -o cluster_size=4096 -b fzb.raw -F raw fz.qcow2 && "
           "qemu-io -c 'write -c -P 0x11 0 4k' -c 'write -c -P 0x12 8k 8k' "
           "-c 'write -P 0x13 40k 4k' -c 'write -z 64k 4k' fz.qcow2 && "
           "qemu-img snapshot -c one fz.qcow2 && "
           "qemu-io -c 'write -P 0x14 0 2k' -c 'write -c -P 0x15 128k 4k' fz.qcow2")) {
        CHECK(0, "fuzz image made");
        return;
    }
    FILE *f = fopen(scratch_path("fz.qcow2"), "rb");
    static uint8_t img[1 << 20], m[1 << 20];
    size_t len = f ? fread(img, 1, sizeof(img), f) : 0;
    if (f)
        fclose(f);
    if (!CHECK(len > 4096 && len < sizeof(img), "fuzz image read (%zu bytes)", len))
        return;
    const char *p = scratch_path("fzm.qcow2");
    int opened = 0;
    for (int r = 0; r < rounds; r++) {
        memcpy(m, img, len);
        int n = 1 + (int)(next_rand() % 6);
        for (int i = 0; i < n; i++) {
            size_t at = next_rand() % 2 ? next_rand() % 24576 % len : next_rand() % len;
            m[at] = next_rand() % 3 ? (uint8_t)next_rand() : m[at] ^ (uint8_t)(1u << (next_rand() % 8));
        }
        f = fopen(p, "wb");
        if (!f || fwrite(m, 1, len, f) != len) {
            if (f)
                fclose(f);
            continue;
        }
        fclose(f);
        struct block *b = block_open(p, NULL, 0, errbuf, sizeof(errbuf));
        if (!b) {
            if (strstr(errbuf, p) != errbuf || strchr(errbuf, '\n')) {
                CHECK(0, "fuzz %d: one-line error naming the file: %s", r, errbuf);
                return;
            }
            continue;
        }
        opened++;
        uint8_t buf[9000];
        for (int i = 0; i < 4 && b->size; i++) {
            uint64_t off = next_rand() % b->size;
            size_t l = 1 + next_rand() % sizeof(buf);
            if (l > b->size - off)
                l = b->size - off;
            block_read(b, off, buf, l);
            block_write(b, off, buf, l);
        }
        FILE *null = fopen("/dev/null", "w");
        if (null && b->fmt->info) {     /* a broken magic makes it raw */
            b->fmt->info(b, null);
        }
        if (null)
            fclose(null);
        struct block_check res;
        b->fmt->check(b, &res, next_rand() & 1);
        block_close(b);
    }
    CHECK(1, "fuzz of a QEMU image: %d rounds, %d opened, no crash", rounds, opened);
}

int main(int argc, char **argv)
{
    test_rng = 0x2545f4914f6cdd1dull;
    if (system("qemu-img --version >/dev/null 2>&1") != 0) {
        printf("note: qemu-img not installed (package qemu-utils): cross-checks skipped\n");
        CHECK(1, "skipped");
        return test_summary();
    }
    have_qemu_io = system("qemu-io --version >/dev/null 2>&1") == 0;
    if (!have_qemu_io)
        printf("note: qemu-io not installed: QEMU-written data checks skipped\n");
    if (scratch_make("qemuimg") < 0)
        return 1;
    test_qemu_made("0.10", 4096);
    test_qemu_made("0.10", 65536);
    test_qemu_made("1.1", 4096);
    test_qemu_made("1.1", 65536);
    test_rawbox_made(2, 512, 0);
    test_rawbox_made(2, 65536, 0);
    test_rawbox_made(3, 4096, 0);
    test_rawbox_made(3, 65536, 0);
    /* Other refcount widths (QEMU makes them); 512-byte clusters with
     * 64-bit refcounts make the refcount table grow. */
    test_rawbox_made(3, 4096, 1);
    test_rawbox_made(3, 4096, 8);
    test_rawbox_made(3, 512, 64);
    test_rawbox_made(3, 4096, 2);
    test_backing_chain();
    test_compressed("zlib");
    test_compressed("zstd");
    test_snapshot();
    test_lazy_dirty();
    test_bitmaps();
    test_fuzz_qemu_image(argc > 1 ? atoi(argv[1]) : 1500);
    scratch_remove();
    return test_summary();
}
