/* boot/unpack.c, every format a bzImage payload may use: vectors made by the
 * real tools with the kernel build's options (unpack_vectors.h), then data
 * compressed here through each library's own compress API and wrapped as
 * the kernel's build wraps it (lzop and legacy lz4 containers, the 4-byte
 * size trailer); the output limit; truncation; corruption; and a few
 * hundred random mutations per format (run under ASan: no read or write out
 * of bounds, every failure a one-line reason). */
#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "boot/unpack.h"
#include "test.h"
#include "unpack_vectors.h"

static const struct {
    enum unpack_format f;
    const uint8_t *vec;
    size_t len;
    bool checksummed;   /* corruption is always detected (the format has a checksum) */
} formats[] = {
    {UNPACK_GZIP, vec_gzip, sizeof vec_gzip, true},
    {UNPACK_BZIP2, vec_bzip2, sizeof vec_bzip2, true},
    {UNPACK_LZMA, vec_lzma, sizeof vec_lzma, false},
    {UNPACK_XZ, vec_xz, sizeof vec_xz, true},
    {UNPACK_LZO, vec_lzo, sizeof vec_lzo, true},
    {UNPACK_LZ4, vec_lz4, sizeof vec_lz4, false},
    {UNPACK_ZSTD, vec_zstd, sizeof vec_zstd, true},
};
#define NFORMATS (sizeof formats / sizeof *formats)

static size_t vector_text(uint8_t *buf)
{
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)sprintf((char *)buf + n, "rawbox unpack test vector, line %02d of 40\n", i);
    return n;
}

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Compressible but not trivial: lines of text with random words. */
static uint8_t *make_data(size_t n)
{
    static const char *const words[] = {"payload", "kernel", "segment", "rawbox", "lzma",
                                        "block", "0x1000000", "startup_32", "\n"};
    uint8_t *d = malloc(n);
    for (size_t i = 0; i < n;) {
        const char *w = words[rnd() % 9];
        for (size_t k = 0; w[k] && i < n; k++)
            d[i++] = (uint8_t)w[k];
        if (i < n)
            d[i++] = (rnd() & 7) ? ' ' : (uint8_t)rnd();
    }
    return d;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* ---- compressors (each returns the compressed length, 0 on failure) ---- */

static size_t c_gzip(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int r = deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    return r == Z_STREAM_END ? len : 0;
}

static size_t c_bzip2(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    unsigned len = (unsigned)cap;
    return BZ2_bzBuffToBuffCompress((char *)out, &len, (char *)in, (unsigned)n, 9, 0, 0) == BZ_OK
               ? len : 0;
}

/* 0, or a small LZMA dictionary for the fuzz vectors: the decoder
 * allocates the whole dictionary the header asks for (64 MiB for `lzma
 * -9`), which makes hundreds of runs under ASan slow. */
static uint32_t small_dict;

static size_t c_xz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 6);
    if (small_dict)
        opt.dict_size = small_dict;
    /* As scripts/xz_wrap.sh for x86: the x86 BCJ filter, LZMA2, CRC32. */
    lzma_filter filters[] = {{LZMA_FILTER_X86, NULL}, {LZMA_FILTER_LZMA2, &opt},
                             {LZMA_VLI_UNKNOWN, NULL}};
    size_t pos = 0;
    return lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, in, n, out, &pos, cap) ==
                   LZMA_OK ? pos : 0;
}

static size_t c_lzma(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    lzma_options_lzma opt;
    lzma_lzma_preset(&opt, 6);
    if (small_dict)
        opt.dict_size = small_dict;
    lzma_stream s = LZMA_STREAM_INIT;
    if (lzma_alone_encoder(&s, &opt) != LZMA_OK)
        return 0;
    s.next_in = in;
    s.avail_in = n;
    s.next_out = out;
    s.avail_out = cap;
    lzma_ret r = lzma_code(&s, LZMA_FINISH);
    size_t len = cap - s.avail_out;
    lzma_end(&s);
    return r == LZMA_STREAM_END ? len : 0;
}

/* lzop's file format, as `lzop` 1.04 writes it: version 0x1040, LZO1X-1,
 * an Adler-32 of each block's uncompressed data, 256 KiB blocks. */
static size_t c_lzo(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    static const uint8_t magic[9] = {0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n'};
    static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
    if (lzo_init() != LZO_E_OK)
        return 0;
    size_t o = 0;
    memcpy(out, magic, 9);
    o = 9;
    static const uint8_t hdr[] = {0x10, 0x40, 0x20, 0xa0, 0x09, 0x40, 1, 5,
                                  0, 0, 0, 1,       /* flags: F_ADLER32_D */
                                  0, 0, 0x81, 0xa4, /* mode */
                                  0, 0, 0, 0, 0, 0, 0, 0, /* mtime */
                                  0};               /* no file name */
    memcpy(out + o, hdr, sizeof hdr);
    put_be32(out + o + sizeof hdr, (uint32_t)lzo_adler32(1, hdr, sizeof hdr));
    o += sizeof hdr + 4;
    for (size_t pos = 0; pos < n;) {
        size_t d = n - pos < (256u << 10) ? n - pos : 256u << 10;
        uint8_t *blk = out + o + 12;
        lzo_uint c = cap - o - 12;
        if (c < d + d / 16 + 67 || lzo1x_1_compress(in + pos, d, blk, &c, wrk) != LZO_E_OK)
            return 0;
        if (c >= d) {                       /* incompressible: stored */
            memcpy(blk, in + pos, d);
            c = d;
        }
        put_be32(out + o, (uint32_t)d);
        put_be32(out + o + 4, (uint32_t)c);
        put_be32(out + o + 8, (uint32_t)lzo_adler32(1, in + pos, d));
        o += 12 + c;
        pos += d;
    }
    put_be32(out + o, 0);
    return o + 4;
}

/* lz4's legacy frame (lz4 -l): magic, then 8 MiB blocks, each a 4-byte
 * little-endian compressed size and an LZ4 block. */
static size_t c_lz4(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    put_le32(out, 0x184c2102);
    size_t o = 4;
    for (size_t pos = 0; pos < n;) {
        size_t d = n - pos < (8u << 20) ? n - pos : 8u << 20;
        int c = LZ4_compress_default((const char *)in + pos, (char *)out + o + 4, (int)d,
                                     (int)(cap - o - 4));
        if (c <= 0)
            return 0;
        put_le32(out + o, (uint32_t)c);
        o += 4 + (size_t)c;
        pos += d;
    }
    return o;
}

static size_t c_zstd(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 19);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);      /* as the zstd tool */
    size_t r = ZSTD_compress2(c, out, cap, in, n);
    ZSTD_freeCCtx(c);
    return ZSTD_isError(r) ? 0 : r;
}

static size_t (*const compressors[])(const uint8_t *, size_t, uint8_t *, size_t) = {
    [UNPACK_GZIP] = c_gzip, [UNPACK_BZIP2] = c_bzip2, [UNPACK_LZMA] = c_lzma,
    [UNPACK_XZ] = c_xz,     [UNPACK_LZO] = c_lzo,     [UNPACK_LZ4] = c_lz4,
    [UNPACK_ZSTD] = c_zstd,
};

/* Compress data and append the kernel build's size trailer. */
static uint8_t *pack(enum unpack_format f, const uint8_t *data, size_t n, size_t *len)
{
    size_t cap = n + n / 2 + (64u << 10);
    uint8_t *z = malloc(cap + 4);
    size_t zn = compressors[f](data, n, z, cap);
    if (zn == 0) {
        free(z);
        return NULL;
    }
    put_le32(z + zn, (uint32_t)n);
    *len = zn + 4;
    return z;
}

/* One unpack call; checks the contract on any input: success gives a
 * buffer of 1..max bytes, failure no buffer and a one-line reason that
 * starts with the format's name. Returns unpack()'s result. */
static int contract_violations;
static int try_unpack(enum unpack_format f, const uint8_t *in, size_t n, size_t max,
                      uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
    err[0] = 0;
    int r = unpack(f, in, n, max, out, outlen, err, errlen);
    bool ok = r == 0 ? *out && *outlen > 0 && *outlen <= max
                     : r == -1 && !*out && err[0] && !strchr(err, '\n') &&
                           strncmp(err, unpack_name(f), strlen(unpack_name(f))) == 0;
    if (!ok) {
        contract_violations++;
        printf("  contract broken: %s, r=%d, outlen %zu, err \"%s\"\n", unpack_name(f), r,
               *outlen, err);
    }
    return r;
}

static void test_vectors(void)
{
    uint8_t text[4096];
    size_t tn = vector_text(text);
    for (size_t i = 0; i < NFORMATS; i++) {
        const char *name = unpack_name(formats[i].f);
        CHECK_EQ(unpack_detect(formats[i].vec, formats[i].len), formats[i].f,
                 "%s: the real tool's output is recognised", name);
        uint8_t *out;
        size_t on;
        char err[256];
        int r = try_unpack(formats[i].f, formats[i].vec, formats[i].len, 1u << 20, &out, &on,
                           err, sizeof err);
        CHECK(r == 0 && on == tn && memcmp(out, text, tn) == 0,
              "%s: the real tool's vector (kernel build options) decompresses exactly (%s)",
              name, r ? err : "ok");
        free(out);
    }
}

static void test_roundtrip(enum unpack_format f, const uint8_t *data, size_t n)
{
    const char *name = unpack_name(f);
    size_t zn;
    uint8_t *z = pack(f, data, n, &zn);
    if (!CHECK(z != NULL, "%s: the library compresses %zu bytes", name, n))
        return;
    uint8_t *out;
    size_t on;
    char err[256];
    int r = try_unpack(f, z, zn, n, &out, &on, err, sizeof err);
    CHECK(r == 0 && on == n && memcmp(out, data, n) == 0,
          "%s: %zu bytes (%zu compressed) round-trip with max = their size (%s)", name, n, zn,
          r ? err : "ok");
    free(out);

    r = try_unpack(f, z, zn, n - 1, &out, &on, err, sizeof err);
    CHECK(r < 0 && strstr(err, "guest RAM"), "%s: max one byte short is refused (%s)", name, err);

    /* Without the size trailer (a payload_length that leaves it out). */
    r = try_unpack(f, z, zn - 4, n, &out, &on, err, sizeof err);
    CHECK(r == 0 && on == n, "%s: decompresses without the size trailer too (%s)", name,
          r ? err : "ok");
    free(out);

    const size_t cuts[] = {zn - 5, zn / 2, 16};
    for (size_t k = 0; k < 3; k++) {
        r = try_unpack(f, z, cuts[k], n, &out, &on, err, sizeof err);
        CHECK(r < 0 && strstr(err, "truncated"), "%s: cut to %zu of %zu bytes: refused as "
              "truncated (%s)", name, cuts[k], zn, err);
        free(out);
    }
    free(z);
}

/* A flipped byte in the middle of the data. */
static void test_corrupt(size_t i, const uint8_t *data, size_t n)
{
    enum unpack_format f = formats[i].f;
    const char *name = unpack_name(f);
    size_t zn;
    uint8_t *z = pack(f, data, n, &zn);
    if (!z)
        return;
    z[zn / 2] ^= 0x55;
    uint8_t *out;
    size_t on;
    char err[256];
    int r = try_unpack(f, z, zn, 2 * n, &out, &on, err, sizeof err);
    if (formats[i].checksummed)
        CHECK(r < 0, "%s: a corrupt byte is detected (%s)", name, err);
    else
        CHECK(r < 0 || on != n || memcmp(out, data, n) != 0,
              "%s: a corrupt byte fails or changes the output (%s)", name, r ? err : "changed");
    free(out);
    free(z);
}

/* Random mutations of a vector: flips, cuts, inserts, overwritten 32-bit
 * fields. */
static void test_fuzz(enum unpack_format f, const uint8_t *vec, size_t n, int rounds,
                      const char *what)
{
    uint8_t *buf = malloc(n + 64);
    int refused = 0;
    for (int round = 0; round < rounds; round++) {
        memcpy(buf, vec, n);
        size_t m = n;
        int kind = (int)(rnd() % 4);
        size_t at = 4 + rnd() % (n - 4);   /* keep the magic: reach the decoder */
        if (kind == 0) {
            for (int k = 1 + (int)(rnd() % 4); k > 0; k--)
                buf[4 + rnd() % (n - 4)] ^= (uint8_t)(1 + rnd() % 255);
        } else if (kind == 1) {
            m = at;
        } else if (kind == 2) {
            size_t add = 1 + rnd() % 32;
            memmove(buf + at + add, buf + at, n - at);
            for (size_t k = 0; k < add; k++)
                buf[at + k] = (uint8_t)rnd();
            m = n + add;
        } else if (at + 4 <= n) {
            put_le32(buf + at, rnd() % 3 == 0 ? 0xffffffffu : rnd());
        }
        uint8_t *out;
        size_t on;
        char err[256];
        if (try_unpack(f, buf, m, 64u << 10, &out, &on, err, sizeof err) < 0)
            refused++;
        free(out);
    }
    CHECK(refused > 0 && contract_violations == 0,
          "%s: %d mutations of %s: %d refused with a one-line reason, the rest decoded "
          "within max", unpack_name(f), rounds, what, refused);
    free(buf);
}

static void test_fuzz_all(void)
{
    uint8_t text[4096];
    size_t tn = vector_text(text);
    for (size_t i = 0; i < NFORMATS; i++) {
        enum unpack_format f = formats[i].f;
        if (f != UNPACK_LZMA && f != UNPACK_XZ) {
            test_fuzz(f, formats[i].vec, formats[i].len, 400, "the real tool's vector");
            continue;
        }
        test_fuzz(f, formats[i].vec, formats[i].len, 40, "the real tool's vector");
        small_dict = 64u << 10;
        size_t zn;
        uint8_t *z = pack(f, text, tn, &zn);
        small_dict = 0;
        if (CHECK(z != NULL, "%s: a 64 KiB-dictionary vector", unpack_name(f)))
            test_fuzz(f, z, zn, 400, "a 64 KiB-dictionary vector");
        free(z);
    }
}

static void test_misc(void)
{
    uint8_t *out;
    size_t on;
    char err[256];
    CHECK_EQ(unpack_detect((const uint8_t *)"\x7f" "ELF", 4), UNPACK_UNKNOWN,
             "an ELF is no compression");
    CHECK_EQ(unpack_detect(vec_gzip, 2), UNPACK_UNKNOWN, "two bytes are too few for a magic");
    CHECK(unpack(UNPACK_XZ, vec_gzip, sizeof vec_gzip, 1u << 20, &out, &on, err, sizeof err) < 0 &&
          !out && strstr(err, "magic"), "gzip data given as xz is refused (%s)", err);
    CHECK(unpack(UNPACK_GZIP, vec_gzip, sizeof vec_gzip, 0, &out, &on, err, sizeof err) < 0 &&
          strstr(err, "guest RAM"), "max 0 is refused (%s)", err);
    /* A gzip bomb: 16 MiB of zeros in ~16 KiB, against a 1 MiB limit. */
    uint8_t *zeros = calloc(1, 16u << 20);
    size_t zn;
    uint8_t *z = pack(UNPACK_GZIP, zeros, 16u << 20, &zn);
    CHECK(z && unpack(UNPACK_GZIP, z, zn, 1u << 20, &out, &on, err, sizeof err) < 0 &&
          strstr(err, "more than 1048576 bytes"), "a bomb stops at max (%zu bytes in: %s)", zn,
          err);
    free(z);
    free(zeros);
}

int main(void)
{
    test_vectors();
    size_t n = 600u << 10;      /* three lzop blocks */
    uint8_t *data = make_data(n);
    for (size_t i = 0; i < NFORMATS; i++)
        test_roundtrip(formats[i].f, data, n);
    free(data);
    /* Two legacy lz4 blocks (8 MiB each at most). */
    n = 9u << 20;
    data = make_data(n);
    test_roundtrip(UNPACK_LZ4, data, n);
    free(data);
    data = make_data(64u << 10);
    for (size_t i = 0; i < NFORMATS; i++)
        test_corrupt(i, data, 64u << 10);
    free(data);
    test_fuzz_all();
    test_misc();
    CHECK_EQ(contract_violations, 0, "every call kept the contract (one buffer or one reason)");
    return test_summary();
}
