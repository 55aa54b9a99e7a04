/* QEMU fw_cfg, the x86 I/O-port flavour (QEMU docs/specs/fw_cfg.rst:
 * "Selector Register", "Data Register", "DMA Address Register", "File
 * Directory"; the x86 ports 0x510/0x511/0x514 as SeaBIOS and OVMF use them).
 *
 * Items: 0x0000-0x001F fixed keys, 0x0020 + n the n-th named file,
 * 0x8000 + n x86-specific items. A selector write rewinds to offset 0; bit
 * 0x4000 (the old write channel) is ignored, as in QEMU since 2.4: item
 * writes happen only through DMA and only to items marked writable. Reads
 * past an item's end, or of a key nobody set, return 0.
 *
 * Access widths, as QEMU's x86 port block accepts them: the selector is a
 * 16-bit write at +0, the data a byte read at +1; other widths there are
 * ignored (reads give all ones). The DMA register at +4..+11 is big endian:
 * a 32-bit write at +4 latches the high half, a 32-bit write at +8 (or a
 * whole 64-bit one) supplies the low half and runs the transfer at once,
 * then the address clears. Reads of +4..+11 return the bytes of "QEMU CFG".
 *
 * DMA: the guest points at a 16-byte descriptor {be32 control, be32 length,
 * be64 address}. control bit 3 selects key control>>16 first; then bit 1
 * reads (item -> memory, zeros past the end), bit 2 skips, bit 4 writes
 * (memory -> item; an error past the end or on a read-only item). The
 * device stores the control word back as 0, or 1 (error) when a transfer
 * hit a byte that is not RAM or a forbidden write. The transfer completes
 * before the port write returns.
 *
 * Left out: the MMIO flavour (ARM), item callbacks (items are static blobs
 * the board fills before the guest runs), the legacy write channel. */
#include "hw/fwcfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem/iobus.h"
#include "mem/physmem.h"
#include "util/log.h"
#include "util/savestate.h"

#define DMA_SIGNATURE 0x51454d5520434647ull    /* "QEMU CFG", big endian */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t bswap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

/* The item a selector value names, or NULL. */
static struct fwcfg_item *lookup(struct fwcfg *s, uint16_t key)
{
    unsigned idx = key & ~(unsigned)(FWCFG_WRITE_CHANNEL | FWCFG_ARCH_LOCAL);
    if (key & FWCFG_ARCH_LOCAL)
        return idx < FWCFG_ARCH_KEYS ? &s->arch[idx] : NULL;
    return idx < FWCFG_KEYS ? &s->items[idx] : NULL;
}

const struct fwcfg_item *fwcfg_item(const struct fwcfg *s, uint16_t key)
{
    return lookup((struct fwcfg *)s, key);
}

static void select_key(struct fwcfg *s, uint16_t key)
{
    s->key = key;
    s->offset = 0;
}

static uint8_t read_byte(struct fwcfg *s)
{
    const struct fwcfg_item *it = lookup(s, s->key);
    if (!it || !it->data || s->offset >= it->len)
        return 0;
    return it->data[s->offset++];
}

/* ---- DMA ---- */

static void dma_run(struct fwcfg *s, uint64_t desc_addr)
{
    uint8_t d[16];
    uint32_t control, len;
    uint64_t addr;
    bool rd, wr, error = false;

    s->dma_transfers++;
    if (!physmem_read_buf(s->mem, desc_addr, d, sizeof d)) {
        LOG(LOG_HW, "fw_cfg: DMA descriptor at 0x%llx is not in RAM",
            (unsigned long long)desc_addr);
        s->dma_errors++;
        return;     /* nowhere to report it; the guest sees no completion */
    }
    control = be32(d);
    len = be32(d + 4);
    addr = (uint64_t)be32(d + 8) << 32 | be32(d + 12);

    if (control & FWCFG_DMA_SELECT)
        select_key(s, (uint16_t)(control >> 16));
    rd = (control & FWCFG_DMA_READ) != 0;
    wr = !rd && (control & FWCFG_DMA_WRITE);
    if (!rd && !wr && !(control & FWCFG_DMA_SKIP))
        len = 0;

    struct fwcfg_item *it = lookup(s, s->key);
    while (len && !error) {
        uint32_t n, avail = 0;
        if (it && it->data && s->offset < it->len)
            avail = it->len - s->offset;
        if (!avail) {
            /* Past the end: reads give zeros, writes are an error. */
            n = len;
            if (wr)
                error = true;
            for (uint32_t k = 0; rd && k < n && !error; k += 256) {
                static const uint8_t zero[256];
                uint32_t c = n - k < 256 ? n - k : 256;
                if (!physmem_write_buf(s->mem, addr + k, zero, c))
                    error = true;
            }
        } else {
            n = len < avail ? len : avail;
            if (rd && !physmem_write_buf(s->mem, addr, it->data + s->offset, n))
                error = true;
            if (wr && (!it->writable || n != len ||
                       !physmem_read_buf(s->mem, addr, it->data + s->offset, n)))
                error = true;
            if (!error)
                s->offset += n;
        }
        addr += n;
        len -= n;
    }
    if (error)
        s->dma_errors++;
    uint8_t out[4];
    put_be32(out, error ? FWCFG_DMA_ERROR : 0);
    physmem_write_buf(s->mem, desc_addr, out, sizeof out);
}

/* ---- ports ---- */

static uint64_t ctl_read(void *o, uint64_t off, unsigned size)
{
    struct fwcfg *s = o;
    if (off == 1 && size == 1)
        return read_byte(s);
    LOG_ONCE(LOG_HW, "fw_cfg: %u-byte read at +%llu ignored", size, (unsigned long long)off);
    return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static void ctl_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct fwcfg *s = o;
    if (off == 0 && size == 2)
        select_key(s, (uint16_t)v);
    else
        LOG_ONCE(LOG_HW, "fw_cfg: %u-byte write at +%llu ignored", size,
                 (unsigned long long)off);
}

static uint64_t dma_read(void *o, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    if (off + size > 8)
        return ~0ull;
    /* Byte i of the register is byte i of the big-endian signature; the
     * port returns them in little-endian order within the access. */
    for (unsigned k = 0; k < size; k++)
        v |= ((DMA_SIGNATURE >> (8 * (7 - (off + k)))) & 0xff) << (8 * k);
    return v;
}

static void dma_write(void *o, uint64_t off, uint64_t v, unsigned size)
{
    struct fwcfg *s = o;
    if (size != 4 || (off != 0 && off != 4)) {
        LOG_ONCE(LOG_HW, "fw_cfg: DMA register %u-byte write at +%llu ignored", size,
                 (unsigned long long)off);
        return;
    }
    if (off == 0) {
        s->dma_addr = (uint64_t)bswap32((uint32_t)v) << 32;
        return;
    }
    uint64_t addr = s->dma_addr | bswap32((uint32_t)v);
    s->dma_addr = 0;
    dma_run(s, addr);
}

/* ---- items ---- */

static int set_item(struct fwcfg_item *it, const void *data, uint32_t len, bool writable)
{
    uint8_t *copy = NULL;
    if (len > FWCFG_MAX_ITEM)
        return -1;
    if (len) {
        copy = malloc(len);
        if (!copy)
            return -1;
        memcpy(copy, data, len);
    }
    free(it->data);
    it->data = copy;
    it->len = len;
    it->writable = writable;
    return 0;
}

int fwcfg_add_bytes(struct fwcfg *s, uint16_t key, const void *data, uint32_t len)
{
    struct fwcfg_item *it = lookup(s, key);
    if (!it || (key & FWCFG_WRITE_CHANNEL) ||
        (!(key & FWCFG_ARCH_LOCAL) && key >= FWCFG_FILE_FIRST))
        return -1;
    return set_item(it, data, len, false);
}

int fwcfg_add_u16(struct fwcfg *s, uint16_t key, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    return fwcfg_add_bytes(s, key, b, sizeof b);
}

int fwcfg_add_u32(struct fwcfg *s, uint16_t key, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fwcfg_add_bytes(s, key, b, sizeof b);
}

int fwcfg_add_u64(struct fwcfg *s, uint16_t key, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fwcfg_add_bytes(s, key, b, sizeof b);
}

static int by_name(const void *a, const void *b, void *names)
{
    const char (*n)[FWCFG_NAME_LEN] = names;
    return strcmp(n[*(const unsigned *)a], n[*(const unsigned *)b]);
}

/* Directory: be32 count, then per file be32 size, be16 key, be16 0,
 * char name[56]; sorted by name. */
static int rebuild_dir(struct fwcfg *s)
{
    unsigned order[FWCFG_MAX_FILES];
    uint8_t *dir = calloc(1, 4 + 64 * (size_t)FWCFG_MAX_FILES);
    int r;

    if (!dir)
        return -1;
    for (unsigned i = 0; i < s->nfiles; i++)
        order[i] = i;
    qsort_r(order, s->nfiles, sizeof order[0], by_name, s->names);
    put_be32(dir, s->nfiles);
    for (unsigned i = 0; i < s->nfiles; i++) {
        uint8_t *e = dir + 4 + 64 * i;
        unsigned f = order[i], key = FWCFG_FILE_FIRST + f;
        put_be32(e, s->items[key].len);
        e[4] = (uint8_t)(key >> 8);
        e[5] = (uint8_t)key;
        memcpy(e + 8, s->names[f], FWCFG_NAME_LEN);
    }
    r = set_item(&s->items[FWCFG_FILE_DIR], dir, 4 + 64 * s->nfiles, false);
    free(dir);
    return r;
}

int fwcfg_add_file(struct fwcfg *s, const char *name, const void *data, uint32_t len,
                   bool writable)
{
    unsigned f;
    size_t nl = strlen(name);

    if (nl == 0 || nl >= FWCFG_NAME_LEN)
        return -1;
    for (f = 0; f < s->nfiles; f++)
        if (strcmp(s->names[f], name) == 0)
            break;
    if (f == s->nfiles && s->nfiles == FWCFG_MAX_FILES)
        return -1;
    if (set_item(&s->items[FWCFG_FILE_FIRST + f], data, len, writable))
        return -1;
    if (f == s->nfiles) {
        memset(s->names[f], 0, FWCFG_NAME_LEN);
        memcpy(s->names[f], name, nl);
        s->nfiles++;
    }
    if (rebuild_dir(s))
        return -1;
    return FWCFG_FILE_FIRST + (int)f;
}

/* ---- life cycle ---- */

void fwcfg_reset(struct fwcfg *s)
{
    select_key(s, FWCFG_SIGNATURE);
    s->dma_addr = 0;
}

int fwcfg_init(struct fwcfg *s, struct iobus *io, uint16_t port, struct physmem *mem)
{
    const struct io_handler ctl = { ctl_read, ctl_write, s, 1 | 2 };
    const struct io_handler dma = { dma_read, dma_write, s, 1 | 2 | 4 };

    memset(s, 0, sizeof *s);
    s->mem = mem;
    if (fwcfg_add_bytes(s, FWCFG_SIGNATURE, "QEMU", 4) ||
        fwcfg_add_u32(s, FWCFG_ID, FWCFG_ID_TRADITIONAL | (mem ? FWCFG_ID_DMA : 0)) ||
        rebuild_dir(s))
        goto fail;
    if (iobus_register(io, port, 2, &ctl, "fw_cfg"))
        goto fail;
    if (mem && iobus_register(io, (uint16_t)(port + 4), 8, &dma, "fw_cfg-dma")) {
        iobus_unregister(io, port);
        goto fail;
    }
    fwcfg_reset(s);
    return 0;
fail:
    fwcfg_free(s);
    return -1;
}

void fwcfg_free(struct fwcfg *s)
{
    for (unsigned i = 0; i < FWCFG_KEYS; i++)
        set_item(&s->items[i], NULL, 0, false);
    for (unsigned i = 0; i < FWCFG_ARCH_KEYS; i++)
        set_item(&s->arch[i], NULL, 0, false);
    s->nfiles = 0;
}

/* ---- save state ---- */

#define FWCFG_SS_VERSION 1

void fwcfg_save(const struct fwcfg *s, struct savestate *ss)
{
    char field[32];
    ss_section_begin(ss, "fw_cfg", FWCFG_SS_VERSION);
    ss_put(ss, "key", s->key);
    ss_put(ss, "offset", s->offset);
    ss_put(ss, "dma_addr", s->dma_addr);
    /* What the guest may have changed: the writable items. */
    for (unsigned i = 0; i < FWCFG_KEYS; i++) {
        if (s->items[i].writable) {
            snprintf(field, sizeof field, "item.%u", i);
            ss_put_bytes(ss, field, s->items[i].data, s->items[i].len);
        }
    }
    ss_section_end(ss);
}

int fwcfg_load(struct fwcfg *s, struct savestate *ss)
{
    uint16_t key;
    uint32_t offset;
    uint64_t dma;
    char field[32];

    if (ss_section_open(ss, "fw_cfg", 1, FWCFG_SS_VERSION, NULL) ||
        ss_get_u16(ss, "key", 0xffff, &key) ||
        ss_get_u32(ss, "offset", FWCFG_MAX_ITEM, &offset) ||
        ss_get(ss, "dma_addr", ~0ull, &dma))
        return -1;
    if (dma & 0xffffffffu)
        return ss_fail(ss, "dma_addr", "has a low half (transfers run at once)");
    for (unsigned i = 0; i < FWCFG_KEYS; i++) {
        if (s->items[i].writable) {
            snprintf(field, sizeof field, "item.%u", i);
            if (ss_get_bytes(ss, field, s->items[i].data, s->items[i].len))
                return -1;
        }
    }
    s->key = key;
    s->offset = offset;
    s->dma_addr = dma;
    return 0;
}
