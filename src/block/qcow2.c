/* qcow2, versions 2 and 3 (QEMU's docs/interop/qcow2.txt): the header
 * and its extensions, reads through L1/L2 (unallocated clusters from the
 * backing image or zeros, v3 zero clusters, zlib or zstd compressed
 * clusters) and writes that allocate clusters and L2 tables at the end
 * of the file, copying on write from the backing image, compressed or
 * shared (snapshot) clusters.
 *
 * Refused: encryption, external data files, extended L2 entries, unknown
 * incompatible features; read-write opens of images marked corrupt.
 * Dirty images (lazy refcounts) get their refcounts rebuilt on a
 * read-write open. Autoclear bits (bitmaps) are cleared when opened for
 * writing, as the spec asks of programs that do not keep them up to date.
 * Every offset read from the file is checked before it is used. */
#include "block/qcow2.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* Backing chains nest block_open calls: a loop must end. */
static __thread int chain_depth;

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return be32toh(v); }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return be64toh(v); }

int qcow2_write_header_field(struct block *b, uint64_t pos, const void *be, size_t len)
{
    return block_pwrite(b, be, len, pos);
}

static int qcow2_probe(const uint8_t *head, size_t len)
{
    return len >= 8 && rd32(head) == QCOW2_MAGIC ? 100 : 0;
}

static void qcow2_free(struct qcow2 *q)
{
    if (!q)
        return;
    free(q->l1);
    free(q->rt);
    free(q->cow);
    free(q->zin);
    free(q->zout);
    qcow2_cache_free(&q->l2_cache);
    qcow2_cache_free(&q->rb_cache);
    free(q);
}

static void qcow2_close(struct block *b)
{
    qcow2_free(b->priv);
    b->priv = NULL;
}

/* The name of an incompatible feature bit from the feature table, for
 * the refusal message. */
static void feature_name(const uint8_t *ext, uint32_t len, unsigned bit, char *out, size_t n)
{
    snprintf(out, n, "bit %u", bit);
    for (uint32_t i = 0; i + 48 <= len; i += 48) {
        if (ext[i] == 0 && ext[i + 1] == bit) {
            snprintf(out, n, "'%.46s'", (const char *)ext + i + 2);
            return;
        }
    }
}

static int parse_extensions(struct block *b, const uint8_t *hdr, uint64_t unknown_incompat)
{
    struct qcow2 *q = qcow2_of(b);
    uint32_t pos = q->header_length;
    const uint8_t *features = NULL;
    uint32_t features_len = 0;

    /* Extensions live in the first cluster, after the header. */
    while (pos + 8 <= q->cluster_size) {
        uint32_t type = rd32(hdr + pos), len = rd32(hdr + pos + 4);
        if (type == QEXT_END)
            break;
        if (len > q->cluster_size - pos - 8)
            return block_error(b, -EINVAL, "header extension 0x%08x of %u bytes runs past the first cluster",
                               type, len);
        const uint8_t *data = hdr + pos + 8;
        if (type == QEXT_BACKING_FMT) {
            if (len >= sizeof(q->backing_fmt))
                return block_error(b, -EINVAL, "backing format name of %u bytes is too long", len);
            memcpy(q->backing_fmt, data, len);
            q->backing_fmt[len] = 0;
        } else if (type == QEXT_FEATURES) {
            features = data;
            features_len = len;
        }
        /* Anything else (bitmaps, unknown) is safely ignored. */
        pos += 8 + ((len + 7) & ~7u);
    }
    for (unsigned bit = 0; bit < 64; bit++) {
        if (unknown_incompat >> bit & 1) {
            char name[64];
            feature_name(features, features_len, bit, name, sizeof(name));
            return block_error(b, -ENOTSUP, "unsupported incompatible feature %s", name);
        }
    }
    return 0;
}

static int open_backing(struct block *b)
{
    struct qcow2 *q = qcow2_of(b);
    char path[PATH_MAX + QCOW2_MAX_BACKING_NAME + 2];
    char err[BLOCK_ERR_LEN];
    const char *slash = strrchr(b->path, '/');

    /* A relative name is relative to the image's folder, as in QEMU. */
    if (q->backing_name[0] == '/' || !slash)
        snprintf(path, sizeof(path), "%s", q->backing_name);
    else
        snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - b->path), b->path,
                 q->backing_name);
    if (chain_depth >= QCOW2_MAX_CHAIN)
        return block_error(b, -ELOOP, "backing chain longer than %d images (a loop?)",
                           QCOW2_MAX_CHAIN);
    chain_depth++;
    const int flags = BLOCK_RDONLY | (b->flags & (BLOCK_NOLOCK | BLOCK_CACHE_MASK));
    b->backing = block_open(path, q->backing_fmt, flags, err, sizeof(err));
    chain_depth--;
    if (!b->backing && strstr(err, "backing chain longer")) {
        /* As it came from the deepest image, not wrapped 16 times. */
        memcpy(b->err, err, sizeof(b->err));
        return -ELOOP;
    }
    if (!b->backing)
        return block_error(b, -ENOENT, "backing file: %s", err);
    return 0;
}

/* What is needed to read the first cluster whole. */
static int load_header(struct block *b, const uint8_t *hdr)
{
    struct qcow2 *q = qcow2_of(b);
    struct stat st;

    q->version = rd32(hdr + 4);
    if (rd32(hdr) != QCOW2_MAGIC)
        return block_error(b, -EINVAL, "not a qcow2 image");
    if (q->version != 2 && q->version != 3)
        return block_error(b, -ENOTSUP, "qcow2 version %u is not supported", q->version);
    q->cluster_bits = rd32(hdr + 20);
    if (q->cluster_bits < 9 || q->cluster_bits > 21)
        return block_error(b, -EINVAL, "cluster_bits %u outside 9..21", q->cluster_bits);
    q->cluster_size = 1u << q->cluster_bits;
    q->l2_entries = q->cluster_size / 8;
    if (fstat(b->fd, &st) < 0)
        return block_error(b, -errno, "stat: %s", strerror(errno));
    q->file_end = ((uint64_t)st.st_size + q->cluster_size - 1) & ~(uint64_t)(q->cluster_size - 1);
    return 0;
}

static int parse_header(struct block *b, const uint8_t *hdr)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t size = rd64(hdr + 24);
    uint64_t backing_off = rd64(hdr + 8);
    uint32_t backing_len = rd32(hdr + 16);
    uint64_t known = QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT | QCOW2_INCOMPAT_COMPRESS;
    int ret;

    if (rd32(hdr + 32) != 0)
        return block_error(b, -ENOTSUP, "encrypted images are not supported");
    q->l1_size = rd32(hdr + 36);
    q->l1_offset = rd64(hdr + 40);
    q->rt_offset = rd64(hdr + 48);
    q->rt_clusters = rd32(hdr + 56);
    q->nb_snapshots = rd32(hdr + 60);
    q->snapshots_offset = rd64(hdr + 64);
    q->refcount_order = 4;
    q->header_length = QCOW2_V2_HEADER;
    if (q->version >= 3) {
        q->incompat = rd64(hdr + 72);
        q->compat = rd64(hdr + 80);
        q->autoclear = rd64(hdr + 88);
        q->refcount_order = rd32(hdr + 96);
        q->header_length = rd32(hdr + 100);
        if (q->header_length < QCOW2_V3_HEADER || q->header_length % 8 ||
            q->header_length > q->cluster_size)
            return block_error(b, -EINVAL, "header_length %u is invalid", q->header_length);
        if (q->refcount_order > 6)
            return block_error(b, -EINVAL, "refcount_order %u is above 6", q->refcount_order);
        if (q->incompat & QCOW2_INCOMPAT_DATAFILE)
            return block_error(b, -ENOTSUP, "external data files are not supported");
        if (q->incompat & QCOW2_INCOMPAT_EXTL2)
            return block_error(b, -ENOTSUP, "extended L2 entries are not supported");
        if (q->header_length > 104) {
            q->compression = hdr[104];
        }
        if (!!(q->incompat & QCOW2_INCOMPAT_COMPRESS) != (q->compression != 0))
            return block_error(b, -EINVAL, "compression type %d does not match the feature bit",
                               q->compression);
        if (q->compression > 1)
            return block_error(b, -ENOTSUP, "compression type %d is not supported",
                               q->compression);
    }
    ret = parse_extensions(b, hdr, q->incompat & ~known);
    if (ret < 0)
        return ret;

    if (backing_off) {
        if (backing_len == 0 || backing_len > QCOW2_MAX_BACKING_NAME ||
            backing_off > q->cluster_size || backing_len > q->cluster_size - backing_off)
            return block_error(b, -EINVAL, "backing file name (%u bytes at 0x%llx) is not in the first cluster",
                               backing_len, (unsigned long long)backing_off);
        memcpy(q->backing_name, hdr + backing_off, backing_len);
        q->backing_name[backing_len] = 0;
        if (strlen(q->backing_name) != backing_len)
            return block_error(b, -EINVAL, "backing file name holds a NUL byte");
    }

    /* Tables: bounded, aligned, inside the file. */
    uint64_t l2_span = (uint64_t)q->cluster_size * q->l2_entries;
    uint64_t l1_need = size / l2_span + (size % l2_span != 0);
    if ((uint64_t)q->l1_size * 8 > QCOW2_MAX_L1_BYTES || l1_need > q->l1_size)
        return block_error(b, -EINVAL, "L1 table of %u entries does not fit the size %llu",
                           q->l1_size, (unsigned long long)size);
    if (q->l1_size && (ret = qcow2_check_offset(b, "L1 table", q->l1_offset)) < 0)
        return ret;
    if (q->rt_clusters == 0 || (uint64_t)q->rt_clusters * q->cluster_size > QCOW2_MAX_RT_BYTES)
        return block_error(b, -EINVAL, "refcount table of %u clusters is invalid", q->rt_clusters);
    if ((ret = qcow2_check_offset(b, "refcount table", q->rt_offset)) < 0)
        return ret;
    if (q->nb_snapshots > QCOW2_MAX_SNAPSHOTS)
        return block_error(b, -EINVAL, "%u snapshots is too many", q->nb_snapshots);
    if (q->nb_snapshots && (ret = qcow2_check_offset(b, "snapshot table", q->snapshots_offset)) < 0)
        return ret;
    b->size = size;
    return 0;
}

static int load_tables(struct block *b)
{
    struct qcow2 *q = qcow2_of(b);
    uint32_t cs = q->cluster_size;
    unsigned slots;
    int ret;

    q->l1 = calloc(q->l1_size ? q->l1_size : 1, 8);
    q->rt_entries = (uint64_t)q->rt_clusters * cs / 8;
    q->rt = calloc(q->rt_entries, 8);
    q->rb_entries = (uint64_t)cs * 8 >> q->refcount_order;
    q->cow = malloc(cs);
    q->zin = malloc(2 * (size_t)cs + 512);
    q->zout = malloc(cs);
    if (!q->l1 || !q->rt || !q->cow || !q->zin || !q->zout)
        return block_error(b, -ENOMEM, "out of memory");
    /* Caches of at most 4 MiB each. */
    slots = (4u << 20) / cs;
    slots = slots > QCOW2_CACHE_SLOTS ? QCOW2_CACHE_SLOTS : slots < 2 ? 2 : slots;
    if (qcow2_cache_init(&q->l2_cache, slots, cs) < 0 ||
        qcow2_cache_init(&q->rb_cache, slots, cs) < 0)
        return block_error(b, -ENOMEM, "out of memory");
    ret = block_pread(b, q->l1, (size_t)q->l1_size * 8, q->l1_offset);
    if (ret < 0)
        return ret;
    for (uint32_t i = 0; i < q->l1_size; i++)
        q->l1[i] = be64toh(q->l1[i]);
    ret = block_pread(b, q->rt, q->rt_entries * 8, q->rt_offset);
    if (ret < 0)
        return ret;
    for (uint64_t i = 0; i < q->rt_entries; i++)
        q->rt[i] = be64toh(q->rt[i]);
    return 0;
}

static int qcow2_open(struct block *b)
{
    struct qcow2 *q = calloc(1, sizeof(*q));
    uint8_t small[4096], *hdr = small, *big = NULL;
    int ret;

    if (!q)
        return block_error(b, -ENOMEM, "out of memory");
    b->priv = q;
    ret = block_pread(b, small, sizeof(small), 0);
    if (ret < 0)
        goto fail;
    ret = load_header(b, small);
    if (ret < 0)
        goto fail;
    if (q->cluster_size > sizeof(small)) {
        big = malloc(q->cluster_size);
        if (!big) {
            ret = block_error(b, -ENOMEM, "out of memory");
            goto fail;
        }
        ret = block_pread(b, big, q->cluster_size, 0);
        if (ret < 0)
            goto fail;
        hdr = big;
    }
    ret = parse_header(b, hdr);
    if (ret == 0)
        ret = load_tables(b);
    if (ret == 0 && q->backing_name[0])
        ret = open_backing(b);
    if (ret < 0)
        goto fail;

    if (!b->readonly) {
        if (q->incompat & QCOW2_INCOMPAT_CORRUPT) {
            ret = block_error(b, -EINVAL, "marked corrupt by QEMU; open it read-only");
            goto fail;
        }
        if (q->autoclear) {
            uint64_t zero = 0;
            ret = qcow2_write_header_field(b, QH_AUTOCLEAR, &zero, 8);
            if (ret < 0)
                goto fail;
            q->autoclear = 0;
        }
        if (q->incompat & QCOW2_INCOMPAT_DIRTY) {
            /* Lazy refcounts left behind by QEMU: rebuild, then clean. */
            struct block_check res;
            ret = qcow2_check(b, &res, true);
            if (ret == 0 && res.corruptions > res.corruptions_fixed)
                ret = block_error(b, -EINVAL, "dirty image with errors: run rawbox disk check -r");
            if (ret < 0)
                goto fail;
            q->incompat &= ~QCOW2_INCOMPAT_DIRTY;
            uint64_t be = htobe64(q->incompat);
            ret = block_flush(b);
            if (ret == 0)
                ret = qcow2_write_header_field(b, QH_INCOMPAT, &be, 8);
            if (ret < 0)
                goto fail;
        }
    }
    free(big);
    return 0;
fail:
    free(big);
    qcow2_free(q);
    b->priv = NULL;
    return ret;
}

/* ---- reading ---- */

static int read_backing(struct block *b, uint64_t off, uint8_t *buf, size_t len)
{
    struct block *bk = b->backing;
    size_t have = 0;

    if (bk && off < bk->size)
        have = bk->size - off < len ? (size_t)(bk->size - off) : len;
    if (have) {
        int ret = block_read(bk, off, buf, have);
        if (ret < 0)
            return block_error(b, ret, "backing file: %s", bk->err);
    }
    memset(buf + have, 0, len - have);
    return 0;
}

static int decompress(struct block *b, uint64_t entry)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t off, len;

    if (q->zout_desc == entry)
        return 0;
    if (!qcow2_compressed_span(q, entry, &off, &len) || off >= q->file_end || off < q->cluster_size)
        return block_error(b, -EINVAL, "compressed cluster at 0x%llx outside the file",
                           (unsigned long long)off);
    if (len > 2ull * q->cluster_size + 512)
        return block_error(b, -EINVAL, "compressed cluster of %llu bytes is too big",
                           (unsigned long long)len);
    int ret = block_pread(b, q->zin, len, off);
    if (ret < 0)
        return ret;
    q->zout_desc = 0;
    bool ok;
    if (q->compression == 0) {
        z_stream z = {0};
        if (inflateInit2(&z, -12) != Z_OK)
            return block_error(b, -ENOMEM, "zlib init failed");
        z.next_in = q->zin;
        z.avail_in = (uInt)len;
        z.next_out = q->zout;
        z.avail_out = q->cluster_size;
        int zr = inflate(&z, Z_FINISH);
        ok = (zr == Z_STREAM_END || zr == Z_BUF_ERROR || zr == Z_OK) && z.avail_out == 0;
        inflateEnd(&z);
    } else {
        ZSTD_DCtx *d = ZSTD_createDCtx();
        if (!d)
            return block_error(b, -ENOMEM, "zstd init failed");
        ZSTD_inBuffer in = { q->zin, len, 0 };
        ZSTD_outBuffer out = { q->zout, q->cluster_size, 0 };
        while (out.pos < out.size) {
            size_t before = out.pos + in.pos;
            size_t zr = ZSTD_decompressStream(d, &out, &in);
            if (ZSTD_isError(zr) || zr == 0 || out.pos + in.pos == before)
                break;
        }
        ok = out.pos == out.size;
        ZSTD_freeDCtx(d);
    }
    if (!ok)
        return block_error(b, -EIO, "compressed cluster at 0x%llx does not decompress",
                           (unsigned long long)off);
    q->zout_desc = entry;
    return 0;
}

/* The L2 entry of the guest cluster at goff (0 when no L2 table). */
static int l2_lookup(struct block *b, uint64_t goff, uint64_t *entry)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t cl = goff >> q->cluster_bits;
    uint64_t l1i = cl / q->l2_entries, l1e;
    uint8_t *t;
    int ret;

    *entry = 0;
    if (l1i >= q->l1_size)
        return 0;
    l1e = q->l1[l1i];
    if (l1e & L1E_RESERVED)
        return block_error(b, -EINVAL, "L1 entry %llu has reserved bits set",
                           (unsigned long long)l1i);
    if (!(l1e & L1E_OFFSET))
        return 0;
    ret = qcow2_cache_get(b, &q->l2_cache, l1e & L1E_OFFSET, "L2 table", &t);
    if (ret < 0)
        return ret;
    *entry = rd64(t + (cl % q->l2_entries) * 8);
    if (!(*entry & QCOW_COMPRESSED)) {
        if (*entry & L2E_RESERVED)
            return block_error(b, -EINVAL, "L2 entry for 0x%llx has reserved bits set",
                               (unsigned long long)goff);
        if ((*entry & L2E_ZERO) && q->version < 3)
            return block_error(b, -EINVAL, "zero cluster in a version 2 image");
        if (!(*entry & L2E_OFFSET) && (*entry & QCOW_COPIED))
            return block_error(b, -EINVAL, "L2 entry for 0x%llx has no cluster",
                               (unsigned long long)goff);
    }
    return 0;
}

/* Bytes [in, in+len) of the guest cluster at goff whose entry is given. */
static int read_piece(struct block *b, uint64_t goff, uint64_t entry, uint32_t in,
                      uint8_t *buf, size_t len)
{
    struct qcow2 *q = qcow2_of(b);
    int ret;

    if (entry & QCOW_COMPRESSED) {
        ret = decompress(b, entry);
        if (ret == 0)
            memcpy(buf, q->zout + in, len);
        return ret;
    }
    if (entry & L2E_ZERO) {
        memset(buf, 0, len);
        return 0;
    }
    uint64_t host = entry & L2E_OFFSET;
    if (!host)
        return read_backing(b, goff + in, buf, len);
    ret = qcow2_check_offset(b, "data cluster", host);
    if (ret < 0)
        return ret;
    return block_pread(b, buf, len, host + in);
}

static int qcow2_read(struct block *b, uint64_t off, void *buf, size_t len)
{
    struct qcow2 *q = qcow2_of(b);
    uint8_t *p = buf;

    while (len) {
        uint32_t in = off & (q->cluster_size - 1);
        size_t n = q->cluster_size - in < len ? q->cluster_size - in : len;
        uint64_t goff = off - in, entry;
        int ret = l2_lookup(b, goff, &entry);
        if (ret == 0)
            ret = read_piece(b, goff, entry, in, p, n);
        if (ret < 0)
            return ret;
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

/* ---- writing ---- */

static int write_l1_entry(struct block *b, uint64_t l1i)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t be = htobe64(q->l1[l1i]);
    return block_pwrite(b, &be, 8, q->l1_offset + l1i * 8);
}

/* A copied L2 table's entries are all shared with the table it came
 * from: none may be written in place any more. (Data refcounts count
 * the paths from L1 tables, so the copy leaves them as they are.) */
static void clear_copied(struct qcow2 *q, uint8_t *t)
{
    for (uint32_t i = 0; i < q->l2_entries; i++) {
        uint64_t e = rd64(t + i * 8) & ~QCOW_COPIED;
        e = htobe64(e);
        memcpy(t + i * 8, &e, 8);
    }
}

/* The L2 table for l1i, ready to be written: made when missing, copied
 * when shared with a snapshot. */
static int l2_for_write(struct block *b, uint64_t l1i, uint64_t *l2off)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t e = q->l1[l1i], old = e & L1E_OFFSET, rc = 1, noff;
    uint8_t *t;
    int ret;

    if (e & L1E_RESERVED)
        return block_error(b, -EINVAL, "L1 entry %llu has reserved bits set",
                           (unsigned long long)l1i);
    if (old && !(e & QCOW_COPIED)) {
        ret = qcow2_refcount_get(b, old >> q->cluster_bits, &rc);
        if (ret < 0)
            return ret;
    }
    if (old && rc == 1) {
        *l2off = old;
        return 0;
    }
    if (old) {
        ret = qcow2_cache_get(b, &q->l2_cache, old, "L2 table", &t);
        if (ret < 0)
            return ret;
        memcpy(q->cow, t, q->cluster_size);
        clear_copied(q, q->cow);
    } else {
        memset(q->cow, 0, q->cluster_size);
    }
    ret = qcow2_alloc_cluster(b, &noff);
    if (ret == 0)
        ret = block_pwrite(b, q->cow, q->cluster_size, noff);
    if (ret < 0)
        return ret;
    qcow2_cache_put(b, &q->l2_cache, noff, q->cow);
    q->l1[l1i] = noff | QCOW_COPIED;
    ret = write_l1_entry(b, l1i);
    if (ret == 0 && old)
        ret = qcow2_refcount_add(b, old >> q->cluster_bits, -1);
    *l2off = noff;
    return ret;
}

/* Drop the reference an overwritten L2 entry held. */
static int release_entry(struct block *b, uint64_t e)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t off, len;
    int ret = 0;

    if (e & QCOW_COMPRESSED) {
        if (!qcow2_compressed_span(q, e, &off, &len))
            return 0;
        for (uint64_t c = off >> q->cluster_bits;
             c <= (off + len - 1) >> q->cluster_bits && ret == 0; c++)
            ret = qcow2_refcount_add(b, c, -1);
        return ret;
    }
    if (e & L2E_OFFSET)
        return qcow2_refcount_add(b, (e & L2E_OFFSET) >> q->cluster_bits, -1);
    return 0;
}

static int write_piece(struct block *b, uint64_t goff, uint32_t in, const uint8_t *buf,
                       size_t len)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t cl = goff >> q->cluster_bits;
    uint64_t l1i = cl / q->l2_entries, l2i = cl % q->l2_entries;
    uint64_t l2off = 0, entry, rc = 1, noff = 0;
    uint8_t *t;
    int ret;

    if (l1i >= q->l1_size)
        return block_error(b, -EINVAL, "offset 0x%llx beyond the L1 table",
                           (unsigned long long)goff);
    ret = l2_lookup(b, goff, &entry);
    if (ret < 0)
        return ret;
    uint64_t host = entry & L2E_OFFSET;
    bool plain = !(entry & QCOW_COMPRESSED) && !(entry & L2E_ZERO) && host;
    /* A cluster only this table uses is written in place (a snapshot's
     * clusters have refcounts of 2 or more). */
    if (plain && !(entry & QCOW_COPIED)) {
        ret = qcow2_refcount_get(b, host >> q->cluster_bits, &rc);
        if (ret < 0)
            return ret;
    }
    if (plain && rc == 1) {
        ret = qcow2_check_offset(b, "data cluster", host);
        return ret < 0 ? ret : block_pwrite(b, buf, len, host + in);
    }

    /* A new cluster: the old contents around the new bytes, then the
     * cluster, then the L2 entry, then the old cluster's reference. */
    ret = l2_for_write(b, l1i, &l2off);
    if (ret == 0)
        ret = qcow2_cache_get(b, &q->l2_cache, l2off, "L2 table", &t);
    if (ret < 0)
        return ret;
    entry = rd64(t + l2i * 8);      /* after a table copy: the copy's */
    const uint8_t *data = buf;
    if (len < q->cluster_size) {
        ret = read_piece(b, goff, entry, 0, q->cow, q->cluster_size);
        if (ret < 0)
            return ret;
        memcpy(q->cow + in, buf, len);
        data = q->cow;
    }
    ret = qcow2_alloc_cluster(b, &noff);
    if (ret == 0)
        ret = block_pwrite(b, data, q->cluster_size, noff);
    if (ret == 0)
        ret = qcow2_cache_get(b, &q->l2_cache, l2off, "L2 table", &t);
    if (ret < 0)
        return ret;
    uint64_t be = htobe64(noff | QCOW_COPIED);
    memcpy(t + l2i * 8, &be, 8);
    ret = block_pwrite(b, &be, 8, l2off + l2i * 8);
    if (q->zout_desc == entry)
        q->zout_desc = 0;
    if (ret == 0)
        ret = release_entry(b, entry);
    return ret;
}

static int qcow2_write(struct block *b, uint64_t off, const void *buf, size_t len)
{
    struct qcow2 *q = qcow2_of(b);
    const uint8_t *p = buf;

    while (len) {
        uint32_t in = off & (q->cluster_size - 1);
        size_t n = q->cluster_size - in < len ? q->cluster_size - in : len;
        int ret = write_piece(b, off - in, in, p, n);
        if (ret < 0)
            return ret;
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

static int qcow2_flush(struct block *b)
{
    /* Metadata is written through: only the disk cache is left. */
    return block_sync(b);
}

const struct block_format block_qcow2 = {
    .name = "qcow2",
    .probe = qcow2_probe,
    .open = qcow2_open,
    .read = qcow2_read,
    .write = qcow2_write,
    .flush = qcow2_flush,
    .close = qcow2_close,
    .create = qcow2_create,
    .info = qcow2_info,
    .check = qcow2_check,
    .resize = qcow2_resize,
};
