/* VirtualBox VDI images (block_vdi).
 *
 * Layout (VirtualBox's VDICore.h; QEMU's block/vdi.c), little endian:
 *   0x000  pre-header text, 64 bytes: "<<< Oracle VM VirtualBox Disk Image >>>\n"
 *   0x040  signature 0xbeda107f, version 0x00010001 (1.1)
 *   0x048  the header proper, header_size bytes: 0x180 (QEMU) or 0x190
 *          (VirtualBox, which appends the LCHS geometry); fields at VDI_OFF_*
 *   off_bmap  the block map: one uint32 per block of the virtual disk, the
 *          index of its data block, or VDI_BLOCK_FREE (never written, reads
 *          zeros in a base image) or VDI_BLOCK_ZERO (discarded: zeros)
 *   off_data  the data blocks, 1 MiB each, in the order they were allocated
 * Dynamic images (type 1) grow by appending data blocks; fixed ones (type 2)
 * are created with every block mapped in order.
 *
 * Left out: differencing and undo images (types 4 and 3, which need their
 * parent), block sizes other than 1 MiB, "block extra" data, discard. The
 * whole map is kept in memory (4 bytes per MiB of disk) and written through
 * entry by entry, so flush is fdatasync alone. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/block.h"

#define VDI_TEXT            "<<< Oracle VM VirtualBox Disk Image >>>\n"
#define VDI_SIGNATURE       0xbeda107fu
#define VDI_VERSION_1_1     0x00010001u
#define VDI_TYPE_DYNAMIC    1u
#define VDI_TYPE_FIXED      2u
#define VDI_TYPE_UNDO       3u
#define VDI_TYPE_DIFF       4u
#define VDI_BLOCK_FREE      0xffffffffu
#define VDI_BLOCK_ZERO      0xfffffffeu
#define VDI_BLOCK_SIZE      (1u << 20)
#define VDI_HEAD_LEN        512u        /* pre-header and header, padded */
#define VDI_HDR_SIZE_MIN    0x180u      /* version 1.1 without LCHS geometry */
#define VDI_HDR_SIZE_PLUS   0x190u      /* with it: what we and VirtualBox write */
/* Map entries must stay below the special values; 4-byte entries of this
 * many blocks still fit the 32-bit data offset. */
#define VDI_BLOCKS_MAX      0x3fffffffu
/* Created images put their data at a 1 MiB boundary, as VirtualBox does:
 * aligned host I/O, and room for the map to grow on resize. */
#define VDI_DATA_ALIGN      (1u << 20)

/* Field offsets in the first 512 bytes. */
enum {
    VDI_OFF_SIGNATURE = 0x40,
    VDI_OFF_VERSION = 0x44,
    VDI_OFF_HEADER_SIZE = 0x48,
    VDI_OFF_TYPE = 0x4c,
    VDI_OFF_FLAGS = 0x50,
    VDI_OFF_DESCRIPTION = 0x54,         /* 256 bytes */
    VDI_OFF_BMAP = 0x154,
    VDI_OFF_DATA = 0x158,
    VDI_OFF_CYLINDERS = 0x15c,          /* legacy geometry, unused here */
    VDI_OFF_SECTOR_SIZE = 0x168,
    VDI_OFF_DISK_SIZE = 0x170,          /* 64-bit */
    VDI_OFF_BLOCK_SIZE = 0x178,
    VDI_OFF_BLOCK_EXTRA = 0x17c,
    VDI_OFF_BLOCKS = 0x180,             /* blocks in the disk: map entries */
    VDI_OFF_ALLOCATED = 0x184,          /* data blocks in the file */
    VDI_OFF_UUID_CREATE = 0x188,
    VDI_OFF_UUID_MODIFY = 0x198,
    VDI_OFF_UUID_LINK = 0x1a8,          /* differencing: the parent's create UUID */
    VDI_OFF_UUID_PARENT = 0x1b8,        /* differencing: the parent's modify UUID */
};

struct vdi {
    uint8_t head[VDI_HEAD_LEN];         /* as read; fields rewritten in place */
    uint32_t type;
    uint32_t off_bmap, off_data;
    uint32_t blocks;                    /* map entries */
    uint32_t allocated;                 /* data blocks; the next one gets this index */
    uint32_t *map;                      /* host order */
    uint8_t *buf;                       /* one block for allocations, made at first use */
};

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static bool all_zero(const void *buf, size_t len)
{
    const uint8_t *p = buf;
    return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

static uint64_t data_pos(const struct vdi *v, uint32_t entry)
{
    return v->off_data + (uint64_t)entry * VDI_BLOCK_SIZE;
}

static int vdi_probe(const uint8_t *head, size_t len)
{
    return len >= VDI_OFF_SIGNATURE + 4 && get32(head + VDI_OFF_SIGNATURE) == VDI_SIGNATURE ? 100 : 0;
}

static void vdi_free(struct vdi *v)
{
    if (v) {
        free(v->map);
        free(v->buf);
        free(v);
    }
}

/* Drop a half-opened state and leave the reason in b->err. */
__attribute__((format(printf, 4, 5)))
static int open_fail(struct block *b, struct vdi *v, int ret, const char *fmt, ...)
{
    char why[BLOCK_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    vdi_free(v);
    b->priv = NULL;
    return block_error(b, ret, "%s", why);
}

static bool uuid_is_null(const uint8_t *u)
{
    return all_zero(u, 16);
}

/* Check every header field before anything is read through it. */
static int check_header(struct block *b, struct vdi *v, uint64_t file_size)
{
    const uint8_t *h = v->head;
    uint32_t version = get32(h + VDI_OFF_VERSION);
    uint32_t hdr_size = get32(h + VDI_OFF_HEADER_SIZE);
    uint32_t sector_size = get32(h + VDI_OFF_SECTOR_SIZE);
    uint32_t block_size = get32(h + VDI_OFF_BLOCK_SIZE);
    uint64_t disk_size = get64(h + VDI_OFF_DISK_SIZE);
    uint64_t map_end;

    if (file_size < VDI_HEAD_LEN)
        return open_fail(b, v, -EINVAL, "vdi file of %" PRIu64 " bytes is shorter than its header", file_size);
    if (get32(h + VDI_OFF_SIGNATURE) != VDI_SIGNATURE)
        return open_fail(b, v, -EINVAL, "not a vdi image (signature 0x%08" PRIx32 ")",
                         get32(h + VDI_OFF_SIGNATURE));
    if (version != VDI_VERSION_1_1)
        return open_fail(b, v, -ENOTSUP, "vdi version %u.%u is not supported (only 1.1)",
                         version >> 16, version & 0xffff);
    if (hdr_size < VDI_HDR_SIZE_MIN || hdr_size > VDI_HEAD_LEN - VDI_OFF_HEADER_SIZE)
        return open_fail(b, v, -EINVAL, "vdi header size %" PRIu32 " is not 0x180 or 0x190", hdr_size);

    v->type = get32(h + VDI_OFF_TYPE);
    if (v->type == VDI_TYPE_DIFF || !uuid_is_null(h + VDI_OFF_UUID_PARENT) ||
        !uuid_is_null(h + VDI_OFF_UUID_LINK))
        return open_fail(b, v, -ENOTSUP, "differencing vdi image (it has a parent): not supported; "
                         "merge it into its base with VirtualBox first");
    if (v->type == VDI_TYPE_UNDO)
        return open_fail(b, v, -ENOTSUP, "undo vdi image (type 3): not supported");
    if (v->type != VDI_TYPE_DYNAMIC && v->type != VDI_TYPE_FIXED)
        return open_fail(b, v, -EINVAL, "unknown vdi image type %" PRIu32, v->type);
    if (sector_size != BLOCK_SECTOR)
        return open_fail(b, v, -ENOTSUP, "vdi sector size %" PRIu32 " is not supported (only 512)", sector_size);
    if (block_size != VDI_BLOCK_SIZE)
        return open_fail(b, v, -ENOTSUP, "vdi block size %" PRIu32 " is not supported "
                         "(only 1 MiB, VirtualBox's and QEMU's)", block_size);
    if (get32(h + VDI_OFF_BLOCK_EXTRA) != 0)
        return open_fail(b, v, -ENOTSUP, "vdi block extra data (%" PRIu32 " bytes a block) is not supported",
                         get32(h + VDI_OFF_BLOCK_EXTRA));

    v->blocks = get32(h + VDI_OFF_BLOCKS);
    v->allocated = get32(h + VDI_OFF_ALLOCATED);
    v->off_bmap = get32(h + VDI_OFF_BMAP);
    v->off_data = get32(h + VDI_OFF_DATA);
    if (v->blocks > VDI_BLOCKS_MAX)
        return open_fail(b, v, -EINVAL, "vdi block count %" PRIu32 " is over the limit 0x%x",
                         v->blocks, VDI_BLOCKS_MAX);
    if (disk_size > (uint64_t)v->blocks * VDI_BLOCK_SIZE)
        return open_fail(b, v, -EINVAL, "vdi disk size %" PRIu64 " is larger than its %" PRIu32
                         " blocks of 1 MiB", disk_size, v->blocks);
    if (v->allocated > v->blocks)
        return open_fail(b, v, -EINVAL, "vdi header says %" PRIu32 " blocks allocated of %" PRIu32,
                         v->allocated, v->blocks);
    if (v->off_bmap % BLOCK_SECTOR || v->off_bmap < VDI_OFF_HEADER_SIZE + hdr_size)
        return open_fail(b, v, -EINVAL, "vdi block map offset 0x%" PRIx32
                         " is inside the header or not a multiple of 512", v->off_bmap);
    map_end = v->off_bmap + (uint64_t)v->blocks * 4;
    if (v->off_data % BLOCK_SECTOR || v->off_data < map_end)
        return open_fail(b, v, -EINVAL, "vdi data offset 0x%" PRIx32 " is inside the block map "
                         "(0x%" PRIx32 " to 0x%" PRIx64 ") or not a multiple of 512",
                         v->off_data, v->off_bmap, map_end);
    if (map_end > file_size)
        return open_fail(b, v, -EINVAL, "vdi block map (0x%" PRIx32 " to 0x%" PRIx64
                         ") goes past the end of the file (%" PRIu64 " bytes)",
                         v->off_bmap, map_end, file_size);
    /* 'VBoxManage convertfromraw' writes odd sizes; devices want sectors. */
    b->size = (disk_size + BLOCK_SECTOR - 1) / BLOCK_SECTOR * BLOCK_SECTOR;
    return 0;
}

static int read_map(struct block *b, struct vdi *v)
{
    size_t bytes = (size_t)v->blocks * 4;
    uint8_t *raw;
    int r;

    v->map = malloc(bytes ? bytes : 4);
    if (!v->map)
        return open_fail(b, v, -ENOMEM, "no memory for a vdi block map of %zu bytes", bytes);
    /* Read in place, then convert: the entries are little endian. */
    raw = (uint8_t *)v->map;
    r = block_pread(b, raw, bytes, v->off_bmap);
    if (r < 0) {
        vdi_free(v);
        b->priv = NULL;
        return r;
    }
    for (uint32_t i = 0; i < v->blocks; i++) {
        uint32_t e = get32(raw + 4 * (size_t)i);
        if (e < VDI_BLOCK_ZERO && e >= v->allocated)
            return open_fail(b, v, -EINVAL, "vdi block map entry %" PRIu32 " is %" PRIu32
                             ", beyond the %" PRIu32 " allocated blocks", i, e, v->allocated);
        v->map[i] = e;
    }
    return 0;
}

static int vdi_open(struct block *b)
{
    struct vdi *v = calloc(1, sizeof *v);
    struct stat st;
    int r;

    b->priv = v;
    if (!v)
        return block_error(b, -ENOMEM, "no memory");
    if (fstat(b->fd, &st) < 0)
        return open_fail(b, v, -errno, "fstat: %s", strerror(errno));
    r = block_pread(b, v->head, VDI_HEAD_LEN, 0);
    if (r < 0) {
        vdi_free(v);
        b->priv = NULL;
        return r;
    }
    r = check_header(b, v, (uint64_t)st.st_size);
    if (r < 0)
        return r;
    return read_map(b, v);
}

static void vdi_close(struct block *b)
{
    vdi_free(b->priv);
    b->priv = NULL;
}

/* block.c has checked the range (and, for writes, read-only). */
static int vdi_read(struct block *b, uint64_t off, void *buf, size_t len)
{
    struct vdi *v = b->priv;
    uint8_t *p = buf;
    int r = 0;

    while (r == 0 && len > 0) {
        uint32_t in = (uint32_t)(off % VDI_BLOCK_SIZE);
        size_t n = VDI_BLOCK_SIZE - in < len ? VDI_BLOCK_SIZE - in : len;
        uint32_t e = v->map[off / VDI_BLOCK_SIZE];

        if (e >= VDI_BLOCK_ZERO)
            memset(p, 0, n);
        else
            r = block_pread(b, p, n, data_pos(v, e) + in);
        p += n;
        off += n;
        len -= n;
    }
    return r;
}

/* Rewrite one 4-byte header field. */
static int write_field32(struct block *b, struct vdi *v, unsigned field, uint32_t val)
{
    put32(v->head + field, val);
    return block_pwrite(b, v->head + field, 4, field);
}

static int set_map_entry(struct block *b, struct vdi *v, uint32_t idx, uint32_t entry)
{
    uint8_t le[4];
    int r;

    put32(le, entry);
    r = block_pwrite(b, le, 4, v->off_bmap + (uint64_t)idx * 4);
    if (r == 0)
        v->map[idx] = entry;
    return r;
}

/* Give block idx a new data block holding `n` bytes of `data` at `in`,
 * zeros around them. Order: the data, then the header's count, then the
 * map entry. A crash between any two leaves at worst a data block nobody
 * points at (a leak, which `check -r` reclaims), never an entry pointing
 * at a block the count does not cover, which the next allocation would
 * hand out a second time. TODO(vdi): that holds for a crash of rawbox;
 * after a host power loss the page cache may have reordered the writes
 * (no fdatasync between them, to keep allocation cheap). */
static int allocate_block(struct block *b, struct vdi *v, uint32_t idx, uint32_t in,
                          const uint8_t *data, size_t n)
{
    uint32_t entry = v->allocated;
    int r;

    if (entry >= v->blocks)
        return block_error(b, -ENOSPC, "no free vdi data block for block %" PRIu32
                           " (leaked blocks? see rawbox disk check -r)", idx);
    if (!v->buf && !(v->buf = malloc(VDI_BLOCK_SIZE)))
        return block_error(b, -ENOMEM, "no memory for a vdi block");
    memset(v->buf, 0, in);
    memcpy(v->buf + in, data, n);
    memset(v->buf + in + n, 0, VDI_BLOCK_SIZE - in - n);
    r = block_pwrite(b, v->buf, VDI_BLOCK_SIZE, data_pos(v, entry));
    if (r == 0)
        r = write_field32(b, v, VDI_OFF_ALLOCATED, entry + 1);
    if (r < 0)
        return r;
    v->allocated = entry + 1;
    return set_map_entry(b, v, idx, entry);
}

static int vdi_write(struct block *b, uint64_t off, const void *buf, size_t len)
{
    struct vdi *v = b->priv;
    const uint8_t *p = buf;
    int r = 0;

    while (r == 0 && len > 0) {
        uint32_t idx = (uint32_t)(off / VDI_BLOCK_SIZE);
        uint32_t in = (uint32_t)(off % VDI_BLOCK_SIZE);
        size_t n = VDI_BLOCK_SIZE - in < len ? VDI_BLOCK_SIZE - in : len;
        uint32_t e = v->map[idx];

        if (e < VDI_BLOCK_ZERO)
            r = block_pwrite(b, p, n, data_pos(v, e) + in);
        else if (!all_zero(p, n))   /* zeros over a free block: it reads zeros already */
            r = allocate_block(b, v, idx, in, p, n);
        p += n;
        off += n;
        len -= n;
    }
    return r;
}

static int vdi_flush(struct block *b)
{
    return block_sync(b);
}

static void print_uuid(FILE *out, const char *name, const uint8_t *u)
{
    /* VirtualBox stores the first three fields little endian. */
    fprintf(out, "%s: %08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x\n", name,
            get32(u), u[4] | u[5] << 8, u[6] | u[7] << 8, u[8], u[9],
            u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void vdi_info(struct block *b, FILE *out)
{
    const struct vdi *v = b->priv;
    uint32_t zero = 0;

    for (uint32_t i = 0; i < v->blocks; i++)
        zero += v->map[i] == VDI_BLOCK_ZERO;
    fprintf(out, "vdi type: %s\n", v->type == VDI_TYPE_FIXED ? "fixed" : "dynamic");
    fprintf(out, "block size: 1 MiB\n");
    fprintf(out, "blocks allocated: %" PRIu32 " of %" PRIu32 "\n", v->allocated, v->blocks);
    if (zero)
        fprintf(out, "zero blocks: %" PRIu32 "\n", zero);
    print_uuid(out, "uuid", v->head + VDI_OFF_UUID_CREATE);
}

/* Move the data of the highest allocated blocks into the holes below them
 * until no leak is left, then lower the count and cut the file. Each move:
 * copy, sync, repoint the map entry, so a crash leaves only a leak. */
static int reclaim_leaks(struct block *b, struct vdi *v, uint32_t *owner)
{
    uint32_t count = v->allocated, hole = 0;
    int r = 0;

    if (!v->buf && !(v->buf = malloc(VDI_BLOCK_SIZE)))
        return block_error(b, -ENOMEM, "no memory for a vdi block");
    for (;;) {
        while (count > 0 && owner[count - 1] == VDI_BLOCK_FREE)
            count--;
        while (hole < count && owner[hole] != VDI_BLOCK_FREE)
            hole++;
        if (hole >= count)
            break;
        uint32_t last = count - 1, idx = owner[last];
        r = block_pread(b, v->buf, VDI_BLOCK_SIZE, data_pos(v, last));
        if (r == 0)
            r = block_pwrite(b, v->buf, VDI_BLOCK_SIZE, data_pos(v, hole));
        if (r == 0)
            r = vdi_flush(b);
        if (r == 0)
            r = set_map_entry(b, v, idx, hole);
        if (r < 0)
            return r;
        owner[hole] = idx;
        owner[last] = VDI_BLOCK_FREE;
    }
    r = vdi_flush(b);
    if (r == 0)
        r = write_field32(b, v, VDI_OFF_ALLOCATED, count);
    if (r < 0)
        return r;
    v->allocated = count;
    if (ftruncate(b->fd, (off_t)data_pos(v, count)) < 0)
        return block_error(b, -errno, "ftruncate: %s", strerror(errno));
    return 0;
}

/* Every map entry points at its own data block, below the count; a data
 * block no entry points at is a leak. Repair reclaims leaks; corruptions
 * (two entries sharing a block) cannot be repaired: which one is right? */
static int vdi_check(struct block *b, struct block_check *res, bool repair)
{
    struct vdi *v = b->priv;
    uint32_t *owner = malloc(((size_t)v->allocated + 1) * sizeof *owner);
    uint64_t leaks = 0, corrupt = 0, used = 0;
    int r = 0;

    if (!owner)
        return block_error(b, -ENOMEM, "no memory to check %" PRIu32 " blocks", v->allocated);
    memset(owner, 0xff, (size_t)v->allocated * sizeof *owner);
    for (uint32_t i = 0; i < v->blocks; i++) {
        uint32_t e = v->map[i];
        if (e >= VDI_BLOCK_ZERO)
            continue;
        if (e >= v->allocated || owner[e] != VDI_BLOCK_FREE)
            corrupt++;      /* out of range (open refuses it) or shared */
        else
            owner[e] = i;
        used++;
    }
    for (uint32_t d = 0; d < v->allocated; d++)
        leaks += owner[d] == VDI_BLOCK_FREE;
    res->leaks = leaks;
    res->corruptions = corrupt;
    res->allocated = used;
    res->total = v->blocks;
    res->leaks_fixed = res->corruptions_fixed = 0;
    if (repair && leaks && !corrupt) {
        if (b->readonly)
            r = block_error(b, -EROFS, "image is open read-only");
        else if ((r = reclaim_leaks(b, v, owner)) == 0)
            res->leaks_fixed = leaks;
    }
    free(owner);
    return r;
}

/* Grow the map into the room before the data; moving data to make more
 * room is left out. Shrinking is refused: blocks past the end would leak. */
static int vdi_resize(struct block *b, uint64_t size)
{
    struct vdi *v = b->priv;
    uint64_t want = (size + VDI_BLOCK_SIZE - 1) / VDI_BLOCK_SIZE;
    uint64_t room = (v->off_data - (uint64_t)v->off_bmap) / 4;
    uint8_t ff[4096];
    uint32_t *map;
    int r;

    if (b->readonly)
        return block_error(b, -EROFS, "image is open read-only");
    if (size % BLOCK_SECTOR)
        return block_error(b, -EINVAL, "size %" PRIu64 " is not a multiple of 512", size);
    if (size < b->size)
        return block_error(b, -ENOTSUP, "shrinking a vdi image is not supported");
    if (want > v->blocks) {
        if (v->type == VDI_TYPE_FIXED)
            return block_error(b, -ENOTSUP, "a fixed vdi image cannot grow past its %" PRIu32
                               " MiB (convert it to a dynamic one first)", v->blocks);
        if (want > VDI_BLOCKS_MAX || want > room)
            return block_error(b, -ENOTSUP, "the vdi block map has room for %" PRIu64
                               " MiB; growing further would need the data moved (not supported)",
                               room < VDI_BLOCKS_MAX ? room : VDI_BLOCKS_MAX);
        map = realloc(v->map, want * 4);
        if (!map)
            return block_error(b, -ENOMEM, "no memory for a vdi block map of %" PRIu64 " entries", want);
        v->map = map;
        /* New entries first, then the header that makes them part of the map. */
        memset(ff, 0xff, sizeof ff);
        for (uint64_t i = v->blocks; i < want; i += sizeof ff / 4) {
            uint64_t n = want - i < sizeof ff / 4 ? want - i : sizeof ff / 4;
            r = block_pwrite(b, ff, n * 4, v->off_bmap + i * 4);
            if (r < 0)
                return r;
        }
        for (uint64_t i = v->blocks; i < want; i++)
            v->map[i] = VDI_BLOCK_FREE;
        r = write_field32(b, v, VDI_OFF_BLOCKS, (uint32_t)want);
        if (r < 0)
            return r;
        v->blocks = (uint32_t)want;
    }
    put64(v->head + VDI_OFF_DISK_SIZE, size);
    r = block_pwrite(b, v->head + VDI_OFF_DISK_SIZE, 8, VDI_OFF_DISK_SIZE);
    if (r == 0)
        b->size = size;
    return r;
}

/* A random (version 4) UUID in VirtualBox's byte order: the version sits
 * in the high nibble of the little-endian third field. */
static int random_uuid(uint8_t *u)
{
    size_t got = 0;
    while (got < 16) {
        ssize_t n = getrandom(u + got, 16 - got, 0);
        if (n < 0 && errno != EINTR)
            return -errno;
        if (n > 0)
            got += (size_t)n;
    }
    u[7] = (uint8_t)((u[7] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
    return 0;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
    const uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int create_fail(const char *path, char *err, size_t errlen, int ret, const char *why)
{
    snprintf(err, errlen, "%s: %s", path, why);
    return ret;
}

/* Header, map (free entries, or every block in order for a fixed image)
 * and, for a fixed image, the data area as zeros. */
static int vdi_create(const char *path, const struct block_create_opts *o, char *err, size_t errlen)
{
    uint64_t blocks = (o->size + VDI_BLOCK_SIZE - 1) / VDI_BLOCK_SIZE;
    uint64_t map_bytes = blocks * 4;
    uint64_t off_data = (VDI_HEAD_LEN + map_bytes + VDI_DATA_ALIGN - 1) / VDI_DATA_ALIGN * VDI_DATA_ALIGN;
    uint8_t head[VDI_HEAD_LEN] = { 0 };
    uint8_t chunk[4096];
    char why[160];
    int fd, r = 0;

    if (o->backing)
        return create_fail(path, err, errlen, -ENOTSUP, "vdi images have no backing file");
    if (o->cluster_size && o->cluster_size != VDI_BLOCK_SIZE)
        return create_fail(path, err, errlen, -ENOTSUP, "vdi block size is 1 MiB (cluster_size)");
    if (o->size % BLOCK_SECTOR)
        return create_fail(path, err, errlen, -EINVAL, "size is not a multiple of 512");
    if (blocks > VDI_BLOCKS_MAX || off_data > UINT32_MAX)
        return create_fail(path, err, errlen, -EFBIG, "too large for a vdi image (at most 1023 TiB)");

    memcpy(head, VDI_TEXT, sizeof VDI_TEXT - 1);
    put32(head + VDI_OFF_SIGNATURE, VDI_SIGNATURE);
    put32(head + VDI_OFF_VERSION, VDI_VERSION_1_1);
    put32(head + VDI_OFF_HEADER_SIZE, VDI_HDR_SIZE_PLUS);
    put32(head + VDI_OFF_TYPE, o->fixed ? VDI_TYPE_FIXED : VDI_TYPE_DYNAMIC);
    put32(head + VDI_OFF_BMAP, VDI_HEAD_LEN);
    put32(head + VDI_OFF_DATA, (uint32_t)off_data);
    put32(head + VDI_OFF_SECTOR_SIZE, BLOCK_SECTOR);
    put64(head + VDI_OFF_DISK_SIZE, o->size);
    put32(head + VDI_OFF_BLOCK_SIZE, VDI_BLOCK_SIZE);
    put32(head + VDI_OFF_BLOCKS, (uint32_t)blocks);
    put32(head + VDI_OFF_ALLOCATED, o->fixed ? (uint32_t)blocks : 0);
    if ((r = random_uuid(head + VDI_OFF_UUID_CREATE)) < 0 ||
        (r = random_uuid(head + VDI_OFF_UUID_MODIFY)) < 0) {
        snprintf(why, sizeof why, "getrandom: %s", strerror(-r));
        return create_fail(path, err, errlen, r, why);
    }

    fd = block_create_file(path, err, errlen);     /* locked, then emptied */
    if (fd < 0)
        return -EIO;
    r = write_all(fd, head, sizeof head, 0);
    for (uint64_t i = 0; r == 0 && i < blocks; i += sizeof chunk / 4) {
        uint64_t n = blocks - i < sizeof chunk / 4 ? blocks - i : sizeof chunk / 4;
        for (uint64_t k = 0; k < n; k++)
            put32(chunk + 4 * k, o->fixed ? (uint32_t)(i + k) : VDI_BLOCK_FREE);
        r = write_all(fd, chunk, n * 4, VDI_HEAD_LEN + i * 4);
    }
    /* The file ends where the data starts (dynamic) or after it (fixed). */
    if (r == 0 && ftruncate(fd, (off_t)(off_data + (o->fixed ? blocks * VDI_BLOCK_SIZE : 0))) < 0)
        r = -errno;
    if (r == 0 && o->fixed && blocks &&
        fallocate(fd, 0, (off_t)off_data, (off_t)(blocks * VDI_BLOCK_SIZE)) < 0 &&
        errno != EOPNOTSUPP)
        r = -errno;     /* no room; where fallocate is missing the file stays sparse */
    if (r == 0 && fdatasync(fd) < 0)
        r = -errno;
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r < 0)
        return create_fail(path, err, errlen, r, strerror(-r));
    return 0;
}

const struct block_format block_vdi = {
    .name = "vdi",
    .probe = vdi_probe,
    .open = vdi_open,
    .read = vdi_read,
    .write = vdi_write,
    .flush = vdi_flush,
    .close = vdi_close,
    .create = vdi_create,
    .info = vdi_info,
    .check = vdi_check,
    .resize = vdi_resize,
};
