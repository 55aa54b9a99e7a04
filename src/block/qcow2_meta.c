/* qcow2 metadata: the table caches, offset checks, refcounts (any
 * refcount_order 0-6) and cluster allocation at the end of the file,
 * growing the refcount table when the file outgrows it. See qcow2.h for
 * the write-through order that keeps a killed process harmless. */
#include "block/qcow2.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int qcow2_cache_init(struct qcow2_cache *c, unsigned slots, uint32_t cluster_size)
{
    memset(c, 0, sizeof(*c));
    c->slots = slots;
    for (unsigned i = 0; i < slots; i++) {
        c->data[i] = malloc(cluster_size);
        if (!c->data[i])
            return -ENOMEM;
    }
    return 0;
}

void qcow2_cache_free(struct qcow2_cache *c)
{
    for (unsigned i = 0; i < c->slots; i++)
        free(c->data[i]);
    memset(c, 0, sizeof(*c));
}

int qcow2_check_offset(struct block *b, const char *what, uint64_t off)
{
    struct qcow2 *q = qcow2_of(b);

    if (off & (q->cluster_size - 1))
        return block_error(b, -EINVAL, "%s at 0x%llx is not aligned to a cluster", what,
                           (unsigned long long)off);
    if (off == 0)
        return block_error(b, -EINVAL, "%s points at the header", what);
    if (off >= q->file_end)
        return block_error(b, -EINVAL, "%s at 0x%llx beyond the end of the file", what,
                           (unsigned long long)off);
    return 0;
}

static unsigned cache_slot(struct qcow2_cache *c, uint64_t off)
{
    unsigned victim = 0;
    for (unsigned i = 0; i < c->slots; i++) {
        if (c->off[i] == off)
            return i;
        if (c->used[i] < c->used[victim])
            victim = i;
    }
    return victim;
}

int qcow2_cache_get(struct block *b, struct qcow2_cache *c, uint64_t off,
                    const char *what, uint8_t **data)
{
    struct qcow2 *q = qcow2_of(b);
    unsigned i = cache_slot(c, off);
    int ret;

    if (c->off[i] != off) {
        ret = qcow2_check_offset(b, what, off);
        if (ret < 0)
            return ret;
        c->off[i] = 0;
        ret = block_pread(b, c->data[i], q->cluster_size, off);
        if (ret < 0)
            return ret;
        c->off[i] = off;
    }
    c->used[i] = ++c->tick;
    *data = c->data[i];
    return 0;
}

void qcow2_cache_put(struct block *b, struct qcow2_cache *c, uint64_t off,
                     const uint8_t *data)
{
    unsigned i = cache_slot(c, off);
    memcpy(c->data[i], data, qcow2_of(b)->cluster_size);
    c->off[i] = off;
    c->used[i] = ++c->tick;
}

/* ---- refcount block entries: 1 << refcount_order bits each; below a
 * byte, bit 0 is the least significant; from a byte on, big endian ---- */

static uint64_t rb_entry_get(const struct qcow2 *q, const uint8_t *blk, uint64_t i)
{
    unsigned bits = 1u << q->refcount_order;
    if (bits < 8) {
        uint64_t bit = i * bits;
        return (blk[bit / 8] >> (bit % 8)) & ((1u << bits) - 1);
    }
    uint64_t v = 0;
    for (unsigned k = 0; k < bits / 8; k++)
        v = v << 8 | blk[i * (bits / 8) + k];
    return v;
}

/* Returns the byte range changed, for a write-through of just those. */
static void rb_entry_set(const struct qcow2 *q, uint8_t *blk, uint64_t i, uint64_t v,
                         size_t *pos, size_t *len)
{
    unsigned bits = 1u << q->refcount_order;
    if (bits < 8) {
        uint64_t bit = i * bits;
        unsigned mask = ((1u << bits) - 1) << (bit % 8);
        blk[bit / 8] = (uint8_t)((blk[bit / 8] & ~mask) | ((v << (bit % 8)) & mask));
        *pos = bit / 8;
        *len = 1;
        return;
    }
    unsigned bytes = bits / 8;
    for (unsigned k = 0; k < bytes; k++)
        blk[i * bytes + k] = (uint8_t)(v >> (8 * (bytes - 1 - k)));
    *pos = i * bytes;
    *len = bytes;
}

static uint64_t rc_max(const struct qcow2 *q)
{
    unsigned bits = 1u << q->refcount_order;
    return bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
}

static int rt_block(struct block *b, uint64_t idx, uint64_t *off)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t e = q->rt[idx];

    if (e & RT_RESERVED)
        return block_error(b, -EINVAL, "refcount table entry %llu has reserved bits set",
                           (unsigned long long)idx);
    *off = e;
    return 0;
}

int qcow2_refcount_get(struct block *b, uint64_t cluster, uint64_t *rc)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t idx = cluster / q->rb_entries, off = 0;
    uint8_t *blk;
    int ret;

    *rc = 0;
    if (idx >= q->rt_entries)
        return 0;
    ret = rt_block(b, idx, &off);
    if (ret < 0 || off == 0)
        return ret;
    ret = qcow2_cache_get(b, &q->rb_cache, off, "refcount block", &blk);
    if (ret < 0)
        return ret;
    *rc = rb_entry_get(q, blk, cluster % q->rb_entries);
    return 0;
}

static int write_rt_entry(struct block *b, uint64_t idx)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t be = htobe64(q->rt[idx]);
    return block_pwrite(b, &be, 8, q->rt_offset + idx * 8);
}

static int grow_refcount_table(struct block *b, uint64_t need_idx);

/* A new, zeroed refcount block for table index idx placed at cluster c,
 * which idx itself covers: the block counts its own cluster. Written
 * before the table entry points at it. */
static int refblock_at_self(struct block *b, uint64_t idx, uint64_t c)
{
    struct qcow2 *q = qcow2_of(b);
    uint8_t *blk = calloc(1, q->cluster_size);
    size_t pos, len;
    int ret;

    if (!blk)
        return block_error(b, -ENOMEM, "out of memory");
    rb_entry_set(q, blk, c % q->rb_entries, 1, &pos, &len);
    q->file_end += q->cluster_size;
    ret = block_pwrite(b, blk, q->cluster_size, c * q->cluster_size);
    if (ret == 0) {
        qcow2_cache_put(b, &q->rb_cache, c * q->cluster_size, blk);
        q->rt[idx] = c * q->cluster_size;
        ret = write_rt_entry(b, idx);
    }
    free(blk);
    return ret;
}

int qcow2_alloc_cluster(struct block *b, uint64_t *off)
{
    struct qcow2 *q = qcow2_of(b);
    int ret;

    for (;;) {
        uint64_t c = q->file_end >> q->cluster_bits;
        uint64_t idx = c / q->rb_entries;
        if (idx >= q->rt_entries) {
            ret = grow_refcount_table(b, idx);
        } else if (q->rt[idx] == 0) {
            ret = refblock_at_self(b, idx, c);
        } else {
            q->file_end += q->cluster_size;
            ret = qcow2_refcount_set(b, c, 1);
            if (ret == 0)
                *off = c << q->cluster_bits;
            return ret;
        }
        if (ret < 0)
            return ret;
    }
}

static int ensure_refblock(struct block *b, uint64_t idx, uint64_t *boff);

int qcow2_alloc_clusters(struct block *b, uint64_t n, uint64_t *off)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t c0, boff;
    int ret;

    /* Make the refcount blocks of the range first (they go at the end
     * too, moving it), then take the range whole. */
    for (bool again = true; again;) {
        again = false;
        c0 = q->file_end >> q->cluster_bits;
        for (uint64_t k = c0 / q->rb_entries; k <= (c0 + n - 1) / q->rb_entries; k++) {
            if (k >= q->rt_entries || q->rt[k] == 0) {
                ret = ensure_refblock(b, k, &boff);
                if (ret < 0)
                    return ret;
                again = true;
                break;
            }
        }
    }
    q->file_end += n << q->cluster_bits;
    for (uint64_t c = c0; c < c0 + n; c++) {
        ret = qcow2_refcount_set(b, c, 1);
        if (ret < 0)
            return ret;
    }
    *off = c0 << q->cluster_bits;
    return 0;
}

/* The refcount block for table index idx, made if missing (check's
 * repair may set refcounts anywhere). */
static int ensure_refblock(struct block *b, uint64_t idx, uint64_t *boff)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t off;
    int ret;

    if (idx >= q->rt_entries) {
        ret = grow_refcount_table(b, idx);
        if (ret < 0)
            return ret;
    }
    ret = rt_block(b, idx, boff);
    if (ret < 0 || *boff)
        return ret;
    ret = qcow2_alloc_cluster(b, &off);
    if (ret < 0)
        return ret;
    if (q->rt[idx]) {       /* the allocation made it on the way */
        *boff = q->rt[idx];
        return qcow2_refcount_add(b, off >> q->cluster_bits, -1);
    }
    uint8_t *blk = calloc(1, q->cluster_size);
    if (!blk)
        return block_error(b, -ENOMEM, "out of memory");
    ret = block_pwrite(b, blk, q->cluster_size, off);
    if (ret == 0) {
        qcow2_cache_put(b, &q->rb_cache, off, blk);
        q->rt[idx] = off;
        ret = write_rt_entry(b, idx);
        *boff = off;
    }
    free(blk);
    return ret;
}

int qcow2_refcount_set(struct block *b, uint64_t cluster, uint64_t rc)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t idx = cluster / q->rb_entries, boff;
    uint8_t *blk;
    size_t pos, len;
    int ret;

    if (rc > rc_max(q))
        return block_error(b, -EOVERFLOW, "refcount of cluster %llu overflows",
                           (unsigned long long)cluster);
    ret = ensure_refblock(b, idx, &boff);
    if (ret < 0)
        return ret;
    ret = qcow2_cache_get(b, &q->rb_cache, boff, "refcount block", &blk);
    if (ret < 0)
        return ret;
    rb_entry_set(q, blk, cluster % q->rb_entries, rc, &pos, &len);
    return block_pwrite(b, blk + pos, len, boff + pos);
}

int qcow2_refcount_add(struct block *b, uint64_t cluster, int delta)
{
    uint64_t rc;
    int ret = qcow2_refcount_get(b, cluster, &rc);
    if (ret < 0)
        return ret;
    if (delta < 0 && rc < (uint64_t)-delta)
        return block_error(b, -EINVAL, "refcount of cluster %llu would drop below 0",
                           (unsigned long long)cluster);
    return qcow2_refcount_set(b, cluster, rc + (uint64_t)(int64_t)delta);
}

/* A bigger refcount table at the end of the file, with new refcount
 * blocks for whatever the table and those blocks occupy that no block
 * covers yet. Written whole before the header points at it; the old
 * table is freed after. */
static int grow_refcount_table(struct block *b, uint64_t need_idx)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t cs = q->cluster_size;
    uint64_t c0 = q->file_end >> q->cluster_bits;
    uint64_t entries = q->rt_entries * 2 > need_idx + 1 ? q->rt_entries * 2 : need_idx + 1;
    uint64_t tclusters, nblocks = 0, end, first, last;
    int ret = 0;

    for (;;) {
        tclusters = (entries * 8 + cs - 1) / cs;
        end = c0 + tclusters + nblocks;
        first = c0 / q->rb_entries;
        last = (end - 1) / q->rb_entries;
        uint64_t missing = 0;
        for (uint64_t k = first; k <= last; k++)
            missing += k >= q->rt_entries || q->rt[k] == 0;
        if (last >= entries) {
            entries = last + 1;
            continue;
        }
        if (missing == nblocks)
            break;
        nblocks = missing;
    }
    if (tclusters * cs > QCOW2_MAX_RT_BYTES)
        return block_error(b, -EFBIG, "refcount table would exceed %u MiB",
                           QCOW2_MAX_RT_BYTES >> 20);

    uint64_t new_entries = tclusters * cs / 8;
    uint64_t *rt = calloc(new_entries, 8);
    uint64_t *be = calloc(new_entries, 8);
    uint8_t *blk = malloc(cs);
    if (!rt || !be || !blk) {
        ret = block_error(b, -ENOMEM, "out of memory");
        goto out;
    }
    memcpy(rt, q->rt, q->rt_entries * 8);
    /* New blocks right after the table, each counting the clusters of
     * c0..end it covers. */
    uint64_t nb = 0;
    for (uint64_t k = first; k <= last; k++) {
        if (k < q->rt_entries && q->rt[k])
            continue;
        uint64_t boff = (c0 + tclusters + nb++) * cs;
        size_t pos, len;
        memset(blk, 0, cs);
        for (uint64_t c = c0; c < end; c++)
            if (c / q->rb_entries == k)
                rb_entry_set(q, blk, c % q->rb_entries, 1, &pos, &len);
        ret = block_pwrite(b, blk, cs, boff);
        if (ret < 0)
            goto out;
        rt[k] = boff;
    }
    q->file_end = end * cs;
    /* Clusters of the new area that existing blocks cover. */
    for (uint64_t c = c0; c < end; c++) {
        uint64_t k = c / q->rb_entries;
        if (k < q->rt_entries && q->rt[k]) {
            ret = qcow2_refcount_set(b, c, 1);
            if (ret < 0)
                goto out;
        }
    }
    for (uint64_t i = 0; i < new_entries; i++)
        be[i] = htobe64(rt[i]);
    ret = block_pwrite(b, be, tclusters * cs, c0 * cs);
    if (ret < 0)
        goto out;
    uint8_t hdr[12];
    uint64_t off_be = htobe64(c0 * cs);
    uint32_t cl_be = htobe32((uint32_t)tclusters);
    memcpy(hdr, &off_be, 8);
    memcpy(hdr + 8, &cl_be, 4);
    ret = qcow2_write_header_field(b, QH_RT_OFFSET, hdr, 12);
    if (ret < 0)
        goto out;
    uint64_t old_off = q->rt_offset, old_clusters = q->rt_clusters;
    free(q->rt);
    q->rt = rt;
    rt = NULL;
    q->rt_entries = new_entries;
    q->rt_offset = c0 * cs;
    q->rt_clusters = (uint32_t)tclusters;
    for (uint64_t i = 0; i < old_clusters && ret == 0; i++)
        ret = qcow2_refcount_add(b, (old_off >> q->cluster_bits) + i, -1);
out:
    free(rt);
    free(be);
    free(blk);
    return ret;
}

bool qcow2_compressed_span(const struct qcow2 *q, uint64_t entry,
                           uint64_t *off, uint64_t *len)
{
    unsigned x = 62 - (q->cluster_bits - 8);
    uint64_t host = entry & ((1ull << x) - 1);
    uint64_t sectors = ((entry & ((1ull << 62) - 1)) >> x) + 1;

    if (host >> 56)
        return false;
    *off = host;
    *len = sectors * 512 - (host & 511);
    return true;
}
