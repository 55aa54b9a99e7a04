/* qcow2 for `rawbox disk`: create (v2 or v3, 16-bit refcounts, cluster
 * sizes 512 B..2 MiB), info (header facts and the snapshot list), check
 * (every reference counted from the L1/L2 tables of the image and its
 * snapshots, compared with the refcounts; leaks and wrong counts set
 * right when asked) and resize (growing only). */
#include "block/qcow2.h"

#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return be32toh(v); }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return be64toh(v); }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return be16toh(v); }
static void wr16(uint8_t *p, uint16_t v) { v = htobe16(v); memcpy(p, &v, 2); }
static void wr32(uint8_t *p, uint32_t v) { v = htobe32(v); memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { v = htobe64(v); memcpy(p, &v, 8); }

static uint64_t div_up(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

/* ---- create ---- */

/* Open the backing image as the new image will (relative to its folder)
 * for its size and format, and to refuse a name that does not open. No
 * lock: a VM may be running on it, we only read the header. */
static int backing_probe(const char *path, const struct block_create_opts *o, uint64_t *size,
                         char *fmt, size_t fmtlen, char *err, size_t errlen)
{
    char full[4096], berr[BLOCK_ERR_LEN];
    const char *slash = strrchr(path, '/');

    if (o->backing[0] == '/' || !slash)
        snprintf(full, sizeof(full), "%s", o->backing);
    else
        snprintf(full, sizeof(full), "%.*s/%s", (int)(slash - path), path, o->backing);
    struct block *bk = block_open(full, o->backing_fmt, BLOCK_RDONLY | BLOCK_NOLOCK,
                                  berr, sizeof(berr));
    if (!bk) {
        snprintf(err, errlen, "%s: backing file: %s", path, berr);
        return -ENOENT;
    }
    *size = bk->size;
    snprintf(fmt, fmtlen, "%s", bk->fmt->name);
    block_close(bk);
    return 0;
}

int qcow2_create(const char *path, const struct block_create_opts *o,
                 char *err, size_t errlen)
{
    uint32_t cs = o->cluster_size ? o->cluster_size : 65536;
    int compat = o->compat ? o->compat : 3;
    uint64_t size = o->size;
    int ret;

    if (cs < 512 || cs > (2u << 20) || (cs & (cs - 1))) {
        snprintf(err, errlen, "%s: cluster size %u is not a power of two from 512 to 2M", path, cs);
        return -EINVAL;
    }
    if (compat != 2 && compat != 3) {
        snprintf(err, errlen, "%s: qcow2 compat level %d: only 2 and 3 exist", path, compat);
        return -EINVAL;
    }
    size_t blen = o->backing ? strlen(o->backing) : 0;
    char bfmt[32] = "";
    if (blen > QCOW2_MAX_BACKING_NAME || (blen == 0 && o->backing)) {
        snprintf(err, errlen, "%s: backing file name of %zu bytes", path, blen);
        return -EINVAL;
    }
    if (blen) {
        uint64_t bsize;
        ret = backing_probe(path, o, &bsize, bfmt, sizeof(bfmt), err, errlen);
        if (ret < 0)
            return ret;
        if (size == 0)
            size = bsize;
    }
    size_t flen = strlen(bfmt);
    unsigned cbits = (unsigned)__builtin_ctz(cs);
    uint64_t l2_span = (uint64_t)cs * (cs / 8);
    uint64_t l1_entries = div_up(size, l2_span);
    if (l1_entries * 8 > QCOW2_MAX_L1_BYTES) {
        snprintf(err, errlen, "%s: %llu bytes is too big for %u-byte clusters", path,
                 (unsigned long long)size, cs);
        return -EFBIG;
    }
    uint64_t l1c = l1_entries ? div_up(l1_entries * 8, cs) : 1;
    uint64_t rbe = (uint64_t)cs * 8 / 16;
    uint64_t rbc = 1, rtc = 1, n;
    for (;;) {
        n = 1 + rtc + rbc + l1c;
        uint64_t rbc2 = div_up(n, rbe), rtc2 = div_up(rbc2 * 8, cs);
        if (rbc2 == rbc && rtc2 == rtc)
            break;
        rbc = rbc2;
        rtc = rtc2;
    }
    if (rtc * cs > QCOW2_MAX_RT_BYTES) {
        snprintf(err, errlen, "%s: refcount table too big", path);
        return -EFBIG;
    }

    uint8_t *img = calloc(n, cs);
    if (!img) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -ENOMEM;
    }
    uint8_t *h = img;
    uint32_t hlen = compat == 3 ? QCOW2_V3_HEADER : QCOW2_V2_HEADER;
    uint64_t rt_off = (uint64_t)cs, rb_off = rt_off + rtc * cs, l1_off = rb_off + rbc * cs;
    wr32(h, QCOW2_MAGIC);
    wr32(h + 4, (uint32_t)compat);
    wr32(h + 20, cbits);
    wr64(h + 24, size);
    wr32(h + 36, (uint32_t)l1_entries);
    wr64(h + 40, l1_off);
    wr64(h + 48, rt_off);
    wr32(h + 56, (uint32_t)rtc);
    if (compat == 3) {
        wr32(h + 96, 4);            /* refcount_order: 16 bits */
        wr32(h + 100, hlen);
    }
    uint32_t pos = hlen;
    if (flen) {
        wr32(h + pos, QEXT_BACKING_FMT);
        wr32(h + pos + 4, (uint32_t)flen);
        memcpy(h + pos + 8, bfmt, flen);
        pos += 8 + (uint32_t)((flen + 7) & ~7u);
    }
    pos += 8;                       /* the end marker, zeros */
    if (blen) {
        if (pos + blen > cs) {
            snprintf(err, errlen, "%s: backing file name does not fit the first cluster", path);
            free(img);
            return -EINVAL;
        }
        memcpy(h + pos, o->backing, blen);
        wr64(h + 8, pos);
        wr32(h + 16, (uint32_t)blen);
    }
    for (uint64_t i = 0; i < rbc; i++)
        wr64(img + rt_off + i * 8, rb_off + i * cs);
    for (uint64_t c = 0; c < n; c++)
        wr16(img + rb_off + c * 2, 1);  /* blocks are consecutive: c*2 spans them */

    int fd = block_create_file(path, err, errlen);
    if (fd < 0) {
        free(img);
        return -EIO;
    }
    ret = 0;
    size_t total = (size_t)(n * cs), done = 0;
    while (done < total) {
        ssize_t w = pwrite(fd, img + done, total - done, (off_t)done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ret = w < 0 ? -errno : -EIO;
            snprintf(err, errlen, "%s: write: %s", path, strerror(-ret));
            break;
        }
        done += (size_t)w;
    }
    if (ret == 0 && fdatasync(fd) < 0) {
        ret = -errno;
        snprintf(err, errlen, "%s: fdatasync: %s", path, strerror(-ret));
    }
    close(fd);
    free(img);
    return ret;
}

/* ---- the snapshot table ---- */

struct snapshot {
    uint64_t l1_offset;
    uint32_t l1_size;
    char id[128], name[256];
    uint32_t date_sec;
    uint64_t vm_clock_ns, vm_state_size;
};

typedef int (*snapshot_fn)(struct block *b, const struct snapshot *s, void *opaque);

/* Calls fn for each entry; *table_len gets the table's size in bytes. */
static int walk_snapshots(struct block *b, snapshot_fn fn, void *opaque, uint64_t *table_len)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t pos = q->snapshots_offset;
    uint8_t fixed[40], extra[16];
    int ret;

    *table_len = 0;
    for (uint32_t i = 0; i < q->nb_snapshots; i++) {
        struct snapshot s = {0};
        if (pos + 40 > q->file_end)
            return block_error(b, -EINVAL, "snapshot table runs past the end of the file");
        ret = block_pread(b, fixed, 40, pos);
        if (ret < 0)
            return ret;
        s.l1_offset = rd64(fixed);
        s.l1_size = rd32(fixed + 8);
        uint16_t id_len = rd16(fixed + 12), name_len = rd16(fixed + 14);
        s.date_sec = rd32(fixed + 16);
        s.vm_clock_ns = rd64(fixed + 24);
        s.vm_state_size = rd32(fixed + 32);
        uint32_t extra_len = rd32(fixed + 36);
        if (extra_len > 1024)
            return block_error(b, -EINVAL, "snapshot %u has %u bytes of extra data", i, extra_len);
        memset(extra, 0, sizeof(extra));
        ret = block_pread(b, extra, extra_len < 16 ? extra_len : 16, pos + 40);
        if (ret < 0)
            return ret;
        if (extra_len >= 8)
            s.vm_state_size = rd64(extra);
        uint64_t sp = pos + 40 + extra_len;
        ret = block_pread(b, s.id, id_len < sizeof(s.id) - 1 ? id_len : sizeof(s.id) - 1, sp);
        if (ret == 0)
            ret = block_pread(b, s.name, name_len < sizeof(s.name) - 1 ? name_len : sizeof(s.name) - 1,
                              sp + id_len);
        if (ret < 0)
            return ret;
        pos = (sp + id_len + name_len + 7) & ~7ull;
        if (pos > q->file_end)
            return block_error(b, -EINVAL, "snapshot table runs past the end of the file");
        if (fn && (ret = fn(b, &s, opaque)) < 0)
            return ret;
    }
    *table_len = pos - q->snapshots_offset;
    return 0;
}

/* ---- info ---- */

static int print_snapshot(struct block *b, const struct snapshot *s, void *opaque)
{
    FILE *out = opaque;
    char date[32] = "?";
    time_t t = s->date_sec;
    struct tm tm;
    uint64_t ms = s->vm_clock_ns / 1000000;

    if (localtime_r(&t, &tm))
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    for (char *p = (char *)s->name; *p; p++)       /* control bytes stay off the terminal */
        if ((unsigned char)*p < 0x20)
            *p = '?';
    fprintf(out, "  %-6s %-20s %10llu %s %02llu:%02llu:%02llu.%03llu\n", s->id, s->name,
            (unsigned long long)s->vm_state_size, date,
            (unsigned long long)(ms / 3600000), (unsigned long long)(ms / 60000 % 60),
            (unsigned long long)(ms / 1000 % 60), (unsigned long long)(ms % 1000));
    return 0;
}

void qcow2_info(struct block *b, FILE *out)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t len;

    fprintf(out, "qcow2 version: %u\n", q->version);
    fprintf(out, "cluster size: %u\n", q->cluster_size);
    fprintf(out, "refcount bits: %u\n", 1u << q->refcount_order);
    fprintf(out, "compression: %s\n", q->compression ? "zstd" : "zlib");
    if (q->backing_name[0])
        fprintf(out, "backing file: %s%s%s%s\n", q->backing_name,
                q->backing_fmt[0] ? " (format " : "", q->backing_fmt,
                q->backing_fmt[0] ? ")" : "");
    if (q->incompat & QCOW2_INCOMPAT_DIRTY)
        fprintf(out, "dirty: yes (refcounts may be wrong)\n");
    if (q->incompat & QCOW2_INCOMPAT_CORRUPT)
        fprintf(out, "corrupt: yes\n");
    fprintf(out, "snapshots: %u\n", q->nb_snapshots);
    if (q->nb_snapshots) {
        fprintf(out, "  %-6s %-20s %10s %-19s %s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK");
        if (walk_snapshots(b, print_snapshot, out, &len) < 0)
            fprintf(out, "  (%s)\n", b->err);
    }
}

/* ---- check ---- */

struct refs {
    uint32_t *count;
    uint64_t clusters;
    struct block_check *res;
    uint8_t *table;             /* one cluster, for L2 tables */
};

/* Count one reference to each cluster of [off, off+len). */
static void ref_range(struct block *b, struct refs *r, uint64_t off, uint64_t len)
{
    struct qcow2 *q = qcow2_of(b);
    if (len == 0)
        return;
    for (uint64_t c = off >> q->cluster_bits; c <= (off + len - 1) >> q->cluster_bits; c++) {
        if (c >= r->clusters)
            r->res->corruptions++;
        else if (r->count[c] < UINT32_MAX)
            r->count[c]++;
    }
}

static bool bad_offset(const struct qcow2 *q, uint64_t off)
{
    return (off & (q->cluster_size - 1)) || off == 0 || off >= q->file_end;
}

/* An L1 table (the active one or a snapshot's) and all it points at. */
static int ref_l1(struct block *b, struct refs *r, uint64_t l1_off, uint32_t l1_size,
                  const uint64_t *l1_mem)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t *l1 = NULL;
    int ret;

    if ((uint64_t)l1_size * 8 > QCOW2_MAX_L1_BYTES || (l1_size && bad_offset(q, l1_off)) ||
        (!l1_mem && l1_off + (uint64_t)l1_size * 8 > q->file_end)) {
        r->res->corruptions++;
        return 0;
    }
    ref_range(b, r, l1_off, (uint64_t)l1_size * 8);
    if (!l1_mem) {
        l1 = malloc((size_t)l1_size * 8 + 8);
        if (!l1)
            return block_error(b, -ENOMEM, "out of memory");
        ret = block_pread(b, l1, (size_t)l1_size * 8, l1_off);
        if (ret < 0) {
            free(l1);
            return ret;
        }
        for (uint32_t i = 0; i < l1_size; i++)
            l1[i] = be64toh(l1[i]);
        l1_mem = l1;
    }
    for (uint32_t i = 0; i < l1_size; i++) {
        uint64_t l2 = l1_mem[i] & L1E_OFFSET;
        if (l1_mem[i] & L1E_RESERVED || (l2 && bad_offset(q, l2))) {
            r->res->corruptions++;
            continue;
        }
        if (!l2)
            continue;
        ref_range(b, r, l2, q->cluster_size);
        ret = block_pread(b, r->table, q->cluster_size, l2);
        if (ret < 0) {
            free(l1);
            return ret;
        }
        for (uint32_t j = 0; j < q->l2_entries; j++) {
            uint64_t e = rd64(r->table + j * 8), off, len;
            if (e & QCOW_COMPRESSED) {
                if (!qcow2_compressed_span(q, e, &off, &len) || off < q->cluster_size)
                    r->res->corruptions++;
                else
                    ref_range(b, r, off, len);
            } else if (e & L2E_RESERVED) {
                r->res->corruptions++;
            } else if (e & L2E_OFFSET) {
                if (bad_offset(q, e & L2E_OFFSET))
                    r->res->corruptions++;
                else
                    ref_range(b, r, e & L2E_OFFSET, q->cluster_size);
            }
        }
    }
    free(l1);
    return 0;
}

static int ref_snapshot(struct block *b, const struct snapshot *s, void *opaque)
{
    return ref_l1(b, opaque, s->l1_offset, s->l1_size, NULL);
}

int qcow2_check(struct block *b, struct block_check *res, bool repair)
{
    struct qcow2 *q = qcow2_of(b);
    struct refs r = { .res = res };
    uint64_t snap_len;
    int ret;

    memset(res, 0, sizeof(*res));
    r.clusters = q->file_end >> q->cluster_bits;
    if (r.clusters > (1ull << 28))
        return block_error(b, -EFBIG, "file too big to check (%llu clusters)",
                           (unsigned long long)r.clusters);
    r.count = calloc(r.clusters + 1, sizeof(*r.count));
    r.table = malloc(q->cluster_size);
    if (!r.count || !r.table) {
        ret = block_error(b, -ENOMEM, "out of memory");
        goto out;
    }
    ref_range(b, &r, 0, q->cluster_size);                      /* header */
    ref_range(b, &r, q->rt_offset, (uint64_t)q->rt_clusters * q->cluster_size);
    for (uint64_t i = 0; i < q->rt_entries; i++) {
        if (!q->rt[i])
            continue;
        if ((q->rt[i] & RT_RESERVED) || bad_offset(q, q->rt[i]))
            res->corruptions++;
        else
            ref_range(b, &r, q->rt[i], q->cluster_size);
    }
    ret = ref_l1(b, &r, q->l1_offset, q->l1_size, q->l1);
    if (ret == 0 && q->nb_snapshots) {
        ret = walk_snapshots(b, ref_snapshot, &r, &snap_len);
        if (ret == 0)
            ref_range(b, &r, q->snapshots_offset, snap_len);
    }
    if (ret < 0)
        goto out;

    for (uint64_t c = 0; c < r.clusters; c++) {
        uint64_t rc;
        if (qcow2_refcount_get(b, c, &rc) < 0)
            continue;       /* its refcount block is bad: counted above */
        if (rc == r.count[c])
            continue;
        bool leak = rc > r.count[c];
        if (leak)
            res->leaks++;
        else
            res->corruptions++;
        if (repair) {
            ret = qcow2_refcount_set(b, c, r.count[c]);
            if (ret < 0)
                goto out;
            if (leak)
                res->leaks_fixed++;
            else
                res->corruptions_fixed++;
        }
    }
    /* Refcounts past the end of the file (a cluster counted, then the
     * process killed before its data was written): leaks. */
    for (uint64_t i = 0; i < q->rt_entries && ret == 0; i++) {
        uint64_t first = i * q->rb_entries, rc;
        if (!q->rt[i] || first + q->rb_entries <= r.clusters)
            continue;
        for (uint64_t c = first > r.clusters ? first : r.clusters;
             c < first + q->rb_entries && ret == 0; c++) {
            if (qcow2_refcount_get(b, c, &rc) < 0 || rc == 0)
                continue;
            res->leaks++;
            if (repair) {
                ret = qcow2_refcount_set(b, c, 0);
                res->leaks_fixed += ret == 0;
            }
        }
    }
    if (ret < 0)
        goto out;
    for (uint64_t c = 0; c < r.clusters; c++)
        res->allocated += r.count[c] != 0;
    res->total = div_up(b->size, q->cluster_size);
    if (repair && (res->leaks_fixed || res->corruptions_fixed) && fdatasync(b->fd) < 0)
        ret = block_error(b, -errno, "fdatasync: %s", strerror(errno));
out:
    free(r.count);
    free(r.table);
    return ret;
}

/* ---- resize ---- */

int qcow2_resize(struct block *b, uint64_t size)
{
    struct qcow2 *q = qcow2_of(b);
    uint64_t l2_span = (uint64_t)q->cluster_size * q->l2_entries;
    uint64_t need = div_up(size, l2_span);
    uint64_t have_clusters = div_up((uint64_t)q->l1_size * 8, q->cluster_size);
    uint8_t field[12];
    int ret;

    if (size < b->size)
        return block_error(b, -ENOTSUP, "shrinking a qcow2 image is not supported");
    if (need * 8 > QCOW2_MAX_L1_BYTES)
        return block_error(b, -EFBIG, "%llu bytes is too big for %u-byte clusters",
                           (unsigned long long)size, q->cluster_size);
    if (need > q->l1_size && need * 8 <= have_clusters * q->cluster_size) {
        /* The L1 table's last cluster has room. */
        wr32(field, (uint32_t)need);
        ret = qcow2_write_header_field(b, QH_L1_SIZE, field, 4);
        if (ret < 0)
            return ret;
    } else if (need > q->l1_size) {
        uint64_t nc = div_up(need * 8, q->cluster_size), off;
        uint64_t *l1 = calloc(nc * q->cluster_size / 8, 8);
        uint8_t *be = calloc(nc, q->cluster_size);
        if (!l1 || !be) {
            free(l1);
            free(be);
            return block_error(b, -ENOMEM, "out of memory");
        }
        memcpy(l1, q->l1, (size_t)q->l1_size * 8);
        for (uint64_t i = 0; i < need; i++)
            wr64(be + i * 8, l1[i]);
        ret = qcow2_alloc_clusters(b, nc, &off);
        if (ret == 0)
            ret = block_pwrite(b, be, nc * q->cluster_size, off);
        free(be);
        if (ret == 0) {
            wr32(field, (uint32_t)need);
            wr64(field + 4, off);
            ret = qcow2_write_header_field(b, QH_L1_SIZE, field, 12);
        }
        if (ret < 0) {
            free(l1);
            return ret;
        }
        uint64_t old = q->l1_offset;
        free(q->l1);
        q->l1 = l1;
        q->l1_offset = off;
        for (uint64_t i = 0; i < have_clusters && ret == 0; i++)
            ret = qcow2_refcount_add(b, (old >> q->cluster_bits) + i, -1);
        if (ret < 0)
            return ret;
    }
    if (need > q->l1_size) {
        if (need <= have_clusters * q->cluster_size / 8) {
            uint64_t *l1 = realloc(q->l1, need * 8);
            if (!l1)
                return block_error(b, -ENOMEM, "out of memory");
            memset(l1 + q->l1_size, 0, (need - q->l1_size) * 8);
            q->l1 = l1;
        }
        q->l1_size = (uint32_t)need;
    }
    wr64(field, size);
    ret = qcow2_write_header_field(b, QH_SIZE, field, 8);
    if (ret == 0)
        ret = fdatasync(b->fd) < 0 ? block_error(b, -errno, "fdatasync: %s", strerror(errno)) : 0;
    if (ret == 0)
        b->size = size;
    return ret;
}
