/* Decompression of a bzImage's payload with the compression libraries, for
 * --kernel-unpack (src/boot/vmlinux.c).
 *
 * Linux's arch/x86/boot/compressed/Makefile builds the payload with one of
 * seven tools and appends the uncompressed size as 4 little-endian bytes
 * (size_append): `gzip -n -9`, `bzip2 -9`, `lzma -9` (the legacy .lzma
 * header, size field -1, end marker), `xz --check=crc32` (scripts/xz_wrap.sh),
 * `lzop -9` (lzop's file format), `lz4 -l -9` (lz4's legacy frame: 8 MiB
 * blocks, no end mark, no checksum) and `zstd -22 --ultra`. Each decoder here
 * reads exactly one stream and ignores what follows, so the trailer never
 * reaches a decoder as a second stream (`xz` alone would reject it).
 *
 * Pure: bytes in, bytes out, no I/O. Output is bounded by the caller's
 * limit (guest RAM), and every malformed or truncated input ends in a
 * one-line reason, never a read or write out of bounds. */
#include "boot/unpack.h"

#include <bzlib.h>
#include <limits.h>
#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static const char *const format_names[] = {
    [UNPACK_UNKNOWN] = "unknown", [UNPACK_GZIP] = "gzip", [UNPACK_BZIP2] = "bzip2",
    [UNPACK_LZMA] = "lzma",       [UNPACK_XZ] = "xz",     [UNPACK_LZO] = "lzo",
    [UNPACK_LZ4] = "lz4",         [UNPACK_ZSTD] = "zstd",
};

const char *unpack_name(enum unpack_format f)
{
    return (unsigned)f < sizeof format_names / sizeof *format_names ? format_names[f] : "unknown";
}

static const uint8_t LZOP_MAGIC[9] = {0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n'};
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20)     /* lz4's legacy frame: 8 MiB per block */

static bool starts(const uint8_t *in, size_t n, const void *magic, size_t m)
{
    return n >= m && memcmp(in, magic, m) == 0;
}

enum unpack_format unpack_detect(const uint8_t *in, size_t n)
{
    /* The magics Linux's lib/decompress.c recognises, longer where the
     * format fixes more bytes (gzip's method 8 = deflate, bzip2's block
     * size digit). The .lzma header has no magic: its properties byte 0x5d
     * (lc=3 lp=0 pb=2) is what every lzma tool writes. */
    if (starts(in, n, "\x1f\x8b\x08", 3))
        return UNPACK_GZIP;
    if (starts(in, n, "BZh", 3) && n >= 4 && in[3] >= '1' && in[3] <= '9')
        return UNPACK_BZIP2;
    if (starts(in, n, "\xfd" "7zXZ\0", 6))
        return UNPACK_XZ;
    if (starts(in, n, "\x5d\0", 2) && n >= 13)
        return UNPACK_LZMA;
    if (starts(in, n, LZOP_MAGIC, sizeof LZOP_MAGIC))
        return UNPACK_LZO;
    if (starts(in, n, "\x02\x21\x4c\x18", 4))
        return UNPACK_LZ4;
    if (starts(in, n, "\x28\xb5\x2f\xfd", 4))
        return UNPACK_ZSTD;
    return UNPACK_UNKNOWN;
}

/* ---- the output buffer ---- */

/* The buffer may grow one byte past max (lim = max + 1): a stream that
 * ends exactly at max must still get room to reach its end (and be told
 * apart from one that is longer, or truncated just there). */
struct outbuf {
    uint8_t *p;
    size_t len, cap, max, lim;
    bool too_big;       /* the data wanted more than max bytes */
    bool no_mem;
};

/* Room for at least `want` more bytes (clipped to lim), growing
 * geometrically. False, with too_big or no_mem set, when there is none. */
static bool out_reserve(struct outbuf *o, size_t want)
{
    if (want > o->lim - o->len)
        want = o->lim - o->len;
    if (want == 0) {
        o->too_big = true;
        return false;
    }
    if (o->cap - o->len >= want)
        return true;
    size_t ncap = o->cap ? o->cap : 1u << 16;
    while (ncap - o->len < want && ncap < o->lim)
        ncap = ncap > o->lim / 2 ? o->lim : ncap * 2;
    if (ncap > o->lim)
        ncap = o->lim;
    uint8_t *np = realloc(o->p, ncap);
    if (!np) {
        o->no_mem = true;
        return false;
    }
    o->p = np;
    o->cap = ncap;
    return true;
}

/* Free space for a streaming decoder: at least 64 KiB or what is left. */
static bool out_room(struct outbuf *o)
{
    return out_reserve(o, 1u << 16);
}

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* The reason for stopping when out_room() said no. */
static int out_fail(const struct outbuf *o, char *err, size_t errlen)
{
    if (o->no_mem)
        return fail(err, errlen, "out of memory after %zu bytes", o->len);
    return fail(err, errlen, "the data decompresses to more than %zu bytes (guest RAM)", o->max);
}

static const char TRUNCATED[] = "the data ends before the end of its stream (truncated)";

/* ---- gzip (zlib) ---- */

static int un_gzip(const uint8_t *in, size_t n, struct outbuf *o, char *err, size_t errlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)      /* 16: gzip wrapper only */
        return fail(err, errlen, "zlib cannot start");
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int r = -1;
    for (;;) {
        if (!out_room(o)) {
            r = out_fail(o, err, errlen);
            break;
        }
        size_t room = o->cap - o->len;
        z.next_out = o->p + o->len;
        z.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
        uInt before = z.avail_out;
        int zr = inflate(&z, Z_NO_FLUSH);
        o->len += before - z.avail_out;
        if (zr == Z_STREAM_END) {
            r = 0;
            break;
        }
        if (zr == Z_BUF_ERROR && z.avail_in == 0) {
            r = fail(err, errlen, "%s", TRUNCATED);
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            r = fail(err, errlen, "corrupt data (zlib: %s)", z.msg ? z.msg : "error");
            break;
        }
    }
    inflateEnd(&z);
    return r;
}

/* ---- bzip2 (libbz2) ---- */

static int un_bzip2(const uint8_t *in, size_t n, struct outbuf *o, char *err, size_t errlen)
{
    bz_stream b;
    memset(&b, 0, sizeof b);
    if (BZ2_bzDecompressInit(&b, 0, 0) != BZ_OK)
        return fail(err, errlen, "libbz2 cannot start");
    b.next_in = (char *)in;
    b.avail_in = (unsigned)n;
    int r = -1;
    for (;;) {
        if (!out_room(o)) {
            r = out_fail(o, err, errlen);
            break;
        }
        size_t room = o->cap - o->len;
        b.next_out = (char *)o->p + o->len;
        b.avail_out = room > UINT_MAX ? UINT_MAX : (unsigned)room;
        unsigned before = b.avail_out;
        int br = BZ2_bzDecompress(&b);
        o->len += before - b.avail_out;
        if (br == BZ_STREAM_END) {
            r = 0;
            break;
        }
        if (br != BZ_OK) {
            r = fail(err, errlen, "corrupt data (libbz2 error %d)", br);
            break;
        }
        /* BZ2_bzDecompress returns with room left only when the input
         * is used up. */
        if (b.avail_in == 0 && b.avail_out > 0) {
            r = fail(err, errlen, "%s", TRUNCATED);
            break;
        }
    }
    BZ2_bzDecompressEnd(&b);
    return r;
}

/* ---- xz and legacy lzma (liblzma) ---- */

static const char *lzma_reason(lzma_ret lr)
{
    switch (lr) {
    case LZMA_FORMAT_ERROR: return "not a valid header";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "corrupt data";
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "needs too much memory";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported integrity check";
    case LZMA_BUF_ERROR: return TRUNCATED;
    default: return "decoder error";
    }
}

static int un_lzma(bool xz, const uint8_t *in, size_t n, struct outbuf *o, char *err,
                   size_t errlen)
{
    lzma_stream s = LZMA_STREAM_INIT;
    /* Flags 0 (no LZMA_CONCATENATED): stop after the first .xz stream. */
    lzma_ret lr = xz ? lzma_stream_decoder(&s, UINT64_MAX, 0) : lzma_alone_decoder(&s, UINT64_MAX);
    if (lr != LZMA_OK)
        return fail(err, errlen, "liblzma cannot start: %s", lzma_reason(lr));
    s.next_in = in;
    s.avail_in = n;
    int r = -1;
    for (;;) {
        if (!out_room(o)) {
            r = out_fail(o, err, errlen);
            break;
        }
        s.next_out = o->p + o->len;
        s.avail_out = o->cap - o->len;
        size_t before = s.avail_out;
        lr = lzma_code(&s, LZMA_FINISH);
        o->len += before - s.avail_out;
        if (lr == LZMA_STREAM_END) {
            r = 0;
            break;
        }
        /* LZMA_OK: more output space wanted, or no progress yet (liblzma
         * reports a stalled stream as LZMA_BUF_ERROR on the next call). */
        if (lr != LZMA_OK) {
            r = fail(err, errlen, "%s", lzma_reason(lr));
            break;
        }
    }
    lzma_end(&s);
    return r;
}

/* ---- zstd (libzstd) ---- */

static int un_zstd(const uint8_t *in, size_t n, struct outbuf *o, char *err, size_t errlen)
{
    ZSTD_DCtx *d = ZSTD_createDCtx();
    if (!d)
        return fail(err, errlen, "libzstd cannot start");
    ZSTD_inBuffer ib = {in, n, 0};
    int r = -1;
    for (;;) {
        if (!out_room(o)) {
            r = out_fail(o, err, errlen);
            break;
        }
        ZSTD_outBuffer ob = {o->p + o->len, o->cap - o->len, 0};
        size_t zr = ZSTD_decompressStream(d, &ob, &ib);
        o->len += ob.pos;
        if (ZSTD_isError(zr)) {
            r = fail(err, errlen, "corrupt data (libzstd: %s)", ZSTD_getErrorName(zr));
            break;
        }
        if (zr == 0) {          /* the frame is complete: stop before the trailer */
            r = 0;
            break;
        }
        if (ib.pos == ib.size && ob.pos < ob.size) {
            r = fail(err, errlen, "%s", TRUNCATED);
            break;
        }
    }
    ZSTD_freeDCtx(d);
    return r;
}

/* ---- lz4 legacy frame (liblz4) ---- */

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Magic, then blocks: a 4-byte little-endian compressed size and an LZ4
 * block of at most 8 MiB of output. The format has no end mark: the data
 * ends with the input, or at the 4-byte size trailer when it matches. */
static int un_lz4(const uint8_t *in, size_t n, struct outbuf *o, char *err, size_t errlen)
{
    size_t pos = 4;
    unsigned block = 0;
    while (n - pos >= 4) {
        uint32_t c = le32(in + pos);
        if (c == LZ4_LEGACY_MAGIC) {    /* concatenated frames */
            pos += 4;
            continue;
        }
        if (n - pos == 4 && block > 0 && c == (uint32_t)o->len) {
            pos = n;                    /* size_append's trailer */
            break;
        }
        pos += 4;
        if (c == 0 || c > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK))
            return fail(err, errlen, "block %u has an impossible size of %u bytes", block, c);
        if (c > n - pos)
            return fail(err, errlen, "block %u (%u bytes) runs past the end of the data "
                        "(truncated)", block, c);
        if (!out_reserve(o, LZ4_LEGACY_BLOCK))
            return out_fail(o, err, errlen);
        size_t room = o->cap - o->len;
        if (room > LZ4_LEGACY_BLOCK)
            room = LZ4_LEGACY_BLOCK;
        int got = LZ4_decompress_safe((const char *)in + pos, (char *)o->p + o->len, (int)c,
                                      (int)room);
        if (got < 0) {
            if (room < LZ4_LEGACY_BLOCK && o->len + room == o->lim)
                return fail(err, errlen, "block %u is corrupt or decompresses past %zu bytes "
                            "(guest RAM)", block, o->max);
            return fail(err, errlen, "block %u is corrupt", block);
        }
        o->len += (size_t)got;
        pos += c;
        block++;
    }
    if (pos != n)
        return fail(err, errlen, "%zu stray bytes after block %u (truncated)", n - pos, block);
    if (block == 0)
        return fail(err, errlen, "no data after the magic");
    return 0;
}

/* ---- lzop file (liblzo2) ---- */

/* lzop's header flags (lzop's conf.h). */
#define LZOP_ADLER32_D 0x001u
#define LZOP_ADLER32_C 0x002u
#define LZOP_EXTRA_FIELD 0x040u
#define LZOP_CRC32_D 0x100u
#define LZOP_CRC32_C 0x200u
#define LZOP_FILTER 0x800u
#define LZOP_H_CRC32 0x1000u
#define LZOP_MAX_BLOCK (64u << 20)      /* lzop never writes larger blocks */

struct cursor {
    const uint8_t *p;
    size_t n, pos;
};

static bool take(struct cursor *c, size_t k, const uint8_t **at)
{
    if (k > c->n - c->pos)
        return false;
    if (at)
        *at = c->p + c->pos;
    c->pos += k;
    return true;
}

static bool take8(struct cursor *c, uint32_t *v)
{
    const uint8_t *at;
    if (!take(c, 1, &at))
        return false;
    *v = at[0];
    return true;
}

static bool take16(struct cursor *c, uint32_t *v)
{
    const uint8_t *at;
    if (!take(c, 2, &at))
        return false;
    *v = (uint32_t)at[0] << 8 | at[1];
    return true;
}

static bool take32(struct cursor *c, uint32_t *v)
{
    const uint8_t *at;
    if (!take(c, 4, &at))
        return false;
    *v = be32(at);
    return true;
}

/* lzop's header (lzop.c, p_header): big-endian fields, some present only
 * from version 0.940 on, then an Adler-32 (or CRC-32) of the header. */
static int lzop_header(struct cursor *c, uint32_t *flags, char *err, size_t errlen)
{
    uint32_t version, v, method, namelen, sum, sum_want;
    c->pos = sizeof LZOP_MAGIC;
    size_t start = c->pos;
    if (!take16(c, &version) || !take16(c, &v) || (version >= 0x0940 && !take16(c, &v)) ||
        !take8(c, &method) || (version >= 0x0940 && !take8(c, &v)) || !take32(c, flags) ||
        ((*flags & LZOP_FILTER) && !take32(c, &v)) || !take32(c, &v) || !take32(c, &v) ||
        (version >= 0x0940 && !take32(c, &v)) || !take8(c, &namelen) || !take(c, namelen, NULL))
        return fail(err, errlen, "the header is cut short (truncated)");
    if (method < 1 || method > 3)       /* M_LZO1X_1, M_LZO1X_1_15, M_LZO1X_999 */
        return fail(err, errlen, "compression method %u is not LZO1X", method);
    if (*flags & LZOP_FILTER)
        return fail(err, errlen, "lzop filters are not supported");
    sum = (*flags & LZOP_H_CRC32) ? lzo_crc32(0, c->p + start, (lzo_uint)(c->pos - start))
                                  : lzo_adler32(1, c->p + start, (lzo_uint)(c->pos - start));
    if (!take32(c, &sum_want))
        return fail(err, errlen, "the header is cut short (truncated)");
    if (sum != sum_want)
        return fail(err, errlen, "header checksum mismatch (corrupt header)");
    if (*flags & LZOP_EXTRA_FIELD) {
        uint32_t extra;
        if (!take32(c, &extra) || !take(c, extra, NULL) || !take32(c, &v))
            return fail(err, errlen, "the header is cut short (truncated)");
    }
    return 0;
}

static int un_lzo(const uint8_t *in, size_t n, struct outbuf *o, char *err, size_t errlen)
{
    if (lzo_init() != LZO_E_OK)
        return fail(err, errlen, "liblzo2 cannot start");
    struct cursor c = {in, n, 0};
    uint32_t flags;
    if (lzop_header(&c, &flags, err, errlen) < 0)
        return -1;
    /* Blocks: uncompressed size (0 ends the file), compressed size, the
     * checksums the flags ask for, the data (stored when the sizes agree). */
    for (unsigned block = 0;; block++) {
        uint32_t dlen, clen, adler_d = 0, crc_d = 0, v;
        if (!take32(&c, &dlen))
            return fail(err, errlen, "%s", TRUNCATED);
        if (dlen == 0)
            return 0;
        const uint8_t *src;
        if (!take32(&c, &clen) || ((flags & LZOP_ADLER32_D) && !take32(&c, &adler_d)) ||
            ((flags & LZOP_CRC32_D) && !take32(&c, &crc_d)) ||
            (clen < dlen && (flags & LZOP_ADLER32_C) && !take32(&c, &v)) ||
            (clen < dlen && (flags & LZOP_CRC32_C) && !take32(&c, &v)))
            return fail(err, errlen, "%s", TRUNCATED);
        if (dlen > LZOP_MAX_BLOCK || clen == 0 || clen > dlen)
            return fail(err, errlen, "block %u has impossible sizes (%u from %u bytes)", block,
                        dlen, clen);
        if (!take(&c, clen, &src))
            return fail(err, errlen, "block %u (%u bytes) runs past the end of the data "
                        "(truncated)", block, clen);
        if (dlen > o->max - o->len) {
            o->too_big = true;
            return out_fail(o, err, errlen);
        }
        if (!out_reserve(o, dlen))
            return out_fail(o, err, errlen);
        uint8_t *dst = o->p + o->len;
        if (clen == dlen) {
            memcpy(dst, src, dlen);
        } else {
            lzo_uint got = dlen;
            int lr = lzo1x_decompress_safe(src, clen, dst, &got, NULL);
            if (lr != LZO_E_OK || got != dlen)
                return fail(err, errlen, "block %u is corrupt (liblzo2 error %d)", block, lr);
        }
        if (((flags & LZOP_ADLER32_D) && lzo_adler32(1, dst, dlen) != adler_d) ||
            ((flags & LZOP_CRC32_D) && lzo_crc32(0, dst, dlen) != crc_d))
            return fail(err, errlen, "block %u fails its checksum (corrupt data)", block);
        o->len += dlen;
    }
}

int unpack(enum unpack_format f, const uint8_t *in, size_t n, size_t max, uint8_t **out,
           size_t *outlen, char *err, size_t errlen)
{
    *out = NULL;
    *outlen = 0;
    const char *name = unpack_name(f);
    if (f != unpack_detect(in, n) || f == UNPACK_UNKNOWN) {
        fail(err, errlen, "%s: the data does not start with %s's magic bytes", name, name);
        return -1;
    }
    /* zlib and libbz2 count input in unsigned int; a bzImage payload's
     * length is a 32-bit header field anyway. */
    if (n > UINT_MAX) {
        fail(err, errlen, "%s: %zu bytes of compressed data is too much", name, n);
        return -1;
    }
    struct outbuf o = {.max = max, .lim = max == SIZE_MAX ? max : max + 1};
    char why[200] = "";
    int r;
    switch (f) {
    case UNPACK_GZIP: r = un_gzip(in, n, &o, why, sizeof why); break;
    case UNPACK_BZIP2: r = un_bzip2(in, n, &o, why, sizeof why); break;
    case UNPACK_LZMA: r = un_lzma(false, in, n, &o, why, sizeof why); break;
    case UNPACK_XZ: r = un_lzma(true, in, n, &o, why, sizeof why); break;
    case UNPACK_LZO: r = un_lzo(in, n, &o, why, sizeof why); break;
    case UNPACK_LZ4: r = un_lz4(in, n, &o, why, sizeof why); break;
    case UNPACK_ZSTD: r = un_zstd(in, n, &o, why, sizeof why); break;
    default: r = fail(why, sizeof why, "unknown format"); break;
    }
    if (r == 0 && o.len > max)
        r = out_fail(&(struct outbuf){.max = max}, why, sizeof why);
    if (r == 0 && o.len == 0)
        r = fail(why, sizeof why, "the stream holds no data");
    if (r < 0) {
        free(o.p);
        fail(err, errlen, "%s: %s", name, why);
        return -1;
    }
    *out = o.p;
    *outlen = o.len;
    return 0;
}
