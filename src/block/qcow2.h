/* qcow2's private state, shared by qcow2.c (open, read, write, cluster
 * allocation), qcow2_meta.c (refcounts, table caches) and qcow2_tools.c
 * (create, info, check, resize). Facts from QEMU's
 * docs/interop/qcow2.txt; field offsets are the header's byte offsets.
 *
 * Metadata is written through: every change of a refcount, an L2 entry,
 * an L1 entry is written to the file when it is made, in the order data
 * cluster, refcount, L2 entry, L1 entry, so a process killed at any
 * moment leaves at worst leaked clusters (refcount 1, no reference),
 * never a table pointing at a cluster that was not written or not
 * counted. The caches below are read caches only. New clusters are
 * always taken at the end of the file; freed ones are not reused. */
#ifndef RAWBOX_BLOCK_QCOW2_H
#define RAWBOX_BLOCK_QCOW2_H

#include "block/block.h"

#define QCOW2_MAGIC             0x514649fbu     /* "QFI\xfb" */
#define QCOW2_V2_HEADER         72
#define QCOW2_V3_HEADER         104

/* Header fields written in place. */
#define QH_SIZE                 24
#define QH_L1_SIZE              36      /* then l1_table_offset at 40 */
#define QH_RT_OFFSET            48      /* then refcount_table_clusters at 56 */
#define QH_INCOMPAT             72
#define QH_AUTOCLEAR            88

#define QCOW2_INCOMPAT_DIRTY    (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT  (1ull << 1)
#define QCOW2_INCOMPAT_DATAFILE (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESS (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2    (1ull << 4)

/* Header extensions. */
#define QEXT_END                0x00000000u
#define QEXT_BACKING_FMT        0xe2792acau
#define QEXT_FEATURES           0x6803f857u
#define QEXT_DATAFILE           0x44415441u

/* L1 entry: bits 9-55 the L2 table, 63 "refcount is exactly one". */
#define L1E_OFFSET              0x00fffffffffffe00ull
#define L1E_RESERVED            0x7f000000000001ffull
#define QCOW_COPIED             (1ull << 63)
#define QCOW_COMPRESSED         (1ull << 62)
/* Standard L2 entry: bit 0 reads as zeros (v3), 9-55 the cluster. */
#define L2E_ZERO                1ull
#define L2E_OFFSET              0x00fffffffffffe00ull
#define L2E_RESERVED            0x3f000000000001feull
#define RT_RESERVED             0x1ffull

/* QEMU's limits, which keep every table we load bounded. */
#define QCOW2_MAX_L1_BYTES      (32u << 20)
#define QCOW2_MAX_RT_BYTES      (8u << 20)
#define QCOW2_MAX_BACKING_NAME  1023
#define QCOW2_MAX_SNAPSHOTS     65536
#define QCOW2_MAX_CHAIN         16

#define QCOW2_CACHE_SLOTS       16

/* Whole clusters of one kind of table, least recently used goes. */
struct qcow2_cache {
    unsigned slots;
    uint64_t tick;
    uint64_t off[QCOW2_CACHE_SLOTS];    /* 0: empty */
    uint64_t used[QCOW2_CACHE_SLOTS];
    uint8_t *data[QCOW2_CACHE_SLOTS];
};

struct qcow2 {
    uint32_t version;
    uint32_t cluster_bits, cluster_size;
    uint32_t l2_entries;                /* cluster_size / 8 */
    uint64_t incompat, compat, autoclear;
    uint32_t refcount_order;
    uint32_t header_length;
    int compression;                    /* 0 zlib, 1 zstd */

    uint64_t l1_offset;
    uint32_t l1_size;                   /* entries in use */
    uint64_t *l1;                       /* host order, l1_size entries */

    uint64_t rt_offset;
    uint32_t rt_clusters;
    uint64_t rt_entries;
    uint64_t *rt;                       /* host order */
    uint64_t rb_entries;                /* refcounts per refcount block */

    uint32_t nb_snapshots;
    uint64_t snapshots_offset;

    /* The cluster-aligned end of the file: where the next cluster goes,
     * and the bound every offset read from the file is checked against. */
    uint64_t file_end;

    struct qcow2_cache l2_cache, rb_cache;

    uint8_t *cow;                       /* one cluster: partial writes */
    uint8_t *zin;                       /* compressed bytes: 2 clusters + 512 */
    uint8_t *zout;                      /* the last cluster decompressed */
    uint64_t zout_desc;                 /* its L2 entry, 0 = none */

    char backing_name[QCOW2_MAX_BACKING_NAME + 1];
    char backing_fmt[32];
};

static inline struct qcow2 *qcow2_of(struct block *b) { return b->priv; }

/* qcow2_meta.c */
int qcow2_cache_init(struct qcow2_cache *c, unsigned slots, uint32_t cluster_size);
void qcow2_cache_free(struct qcow2_cache *c);
/* The cluster at off (checked: aligned, inside the file, not the header),
 * from the cache or the file. `what` names the table in errors. */
int qcow2_cache_get(struct block *b, struct qcow2_cache *c, uint64_t off,
                    const char *what, uint8_t **data);
/* A cluster just written by us: put its bytes into the cache. */
void qcow2_cache_put(struct block *b, struct qcow2_cache *c, uint64_t off,
                     const uint8_t *data);
int qcow2_check_offset(struct block *b, const char *what, uint64_t off);
int qcow2_refcount_get(struct block *b, uint64_t cluster, uint64_t *rc);
int qcow2_refcount_set(struct block *b, uint64_t cluster, uint64_t rc);
int qcow2_refcount_add(struct block *b, uint64_t cluster, int delta);
/* A new cluster at the end of the file, its refcount 1; *off its offset. */
int qcow2_alloc_cluster(struct block *b, uint64_t *off);
/* n consecutive new clusters (tables bigger than a cluster). */
int qcow2_alloc_clusters(struct block *b, uint64_t n, uint64_t *off);
/* Clusters spanned by a compressed cluster's data; false on a bad entry. */
bool qcow2_compressed_span(const struct qcow2 *q, uint64_t entry,
                           uint64_t *off, uint64_t *len);

/* qcow2.c */
int qcow2_write_header_field(struct block *b, uint64_t pos, const void *be, size_t len);

/* qcow2_tools.c */
int qcow2_create(const char *path, const struct block_create_opts *o,
                 char *err, size_t errlen);
void qcow2_info(struct block *b, FILE *out);
int qcow2_check(struct block *b, struct block_check *res, bool repair);
int qcow2_resize(struct block *b, uint64_t size);

#endif
