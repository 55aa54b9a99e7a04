/* The guest-physical address space (see physmem.h).
 *
 * Guest RAM is one memfd mapped once, shared, so a raw-mode helper process
 * could map the same pages later. Regions (RAM windows into that memfd, ROM
 * images owned by the caller, MMIO handlers) live in one array sorted by
 * base; lookups binary-search it. Overlapping registrations are refused so a
 * board wiring mistake fails at startup instead of misrouting accesses.
 *
 * Unassigned addresses read as all ones and drop writes, as an ISA/PCI bus
 * with nobody answering does (the data lines float high); both are logged
 * under LOG_IO. ROM writes are dropped silently (firmware probes for shadow
 * RAM that way). MMIO accesses wider than the device takes, or misaligned,
 * are split into halves until they fit; accesses narrower than any size the
 * device lists are passed through whole.
 *
 * Marked pages: one byte per RAM page, a bit per watcher. The decoder marks
 * pages it caches instructions from, raw mode the pages it scanned and the
 * guest page tables its shadow was filled from; a write to a marked page
 * calls every code writer, and each clears its own bit once it no longer
 * cares. physmem_page()
 * reports marked pages as not writable so TLB fast paths route stores
 * through physmem_write().
 *
 * Left out: IOMMU, memory hot-plug, dirty logging for migration. */
#include "mem/physmem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/log.h"

int physmem_init(struct physmem *m, uint64_t ram_size)
{
    memset(m, 0, sizeof *m);
    m->big = -1;
    m->ram_fd = -1;
    m->a20 = true;
    ram_size = (ram_size + PAGE_SIZE - 1) & PAGE_MASK;
    if (ram_size == 0)
        return -1;
    m->ram_fd = memfd_create("rawbox-ram", MFD_CLOEXEC);
    if (m->ram_fd < 0)
        return -1;
    if (ftruncate(m->ram_fd, (off_t)ram_size) < 0)
        goto fail;
    m->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, m->ram_fd, 0);
    if (m->ram == MAP_FAILED) {
        m->ram = NULL;
        goto fail;
    }
    m->ram_size = ram_size;
    m->code_pages = calloc(ram_size >> PAGE_SHIFT, 1);
    if (!m->code_pages)
        goto fail;
    return 0;
fail:
    physmem_free(m);
    return -1;
}

static void changed(struct physmem *m);

int physmem_alloc_device_ram(struct physmem *m, uint64_t size, uint64_t *off)
{
    uint64_t old = m->ram_size, grown;
    uint8_t *ram, *marks;

    size = (size + PAGE_SIZE - 1) & PAGE_MASK;
    grown = old + size;
    if (size == 0 || grown < old || !m->ram)
        return -1;
    marks = realloc(m->code_pages, grown >> PAGE_SHIFT);
    if (!marks)
        return -1;
    m->code_pages = marks;
    memset(marks + (old >> PAGE_SHIFT), 0, size >> PAGE_SHIFT);
    if (ftruncate(m->ram_fd, (off_t)grown) < 0)
        return -1;
    ram = mremap(m->ram, old, grown, MREMAP_MAYMOVE);
    if (ram == MAP_FAILED)
        return -1;
    /* RAM regions point into the old mapping: move them along. */
    for (int i = 0; i < m->nr; i++)
        if (m->r[i].kind == REGION_RAM)
            m->r[i].host = ram + (m->r[i].host - m->ram);
    m->ram = ram;
    m->ram_size = grown;
    *off = old;
    changed(m);
    return 0;
}

int physmem_add_code_writer(struct physmem *m, physmem_code_fn fn, void *opaque)
{
    if (m->ncode_sub == PHYSMEM_MAX_CODE_SUBS)
        return -1;
    m->code_sub[m->ncode_sub].fn = fn;
    m->code_sub[m->ncode_sub].opaque = opaque;
    m->ncode_sub++;
    return 0;
}

void physmem_remove_code_writer(struct physmem *m, physmem_code_fn fn, void *opaque)
{
    for (int i = 0; i < m->ncode_sub; i++) {
        if (m->code_sub[i].fn == fn && m->code_sub[i].opaque == opaque) {
            memmove(&m->code_sub[i], &m->code_sub[i + 1],
                    (size_t)(m->ncode_sub - i - 1) * sizeof m->code_sub[0]);
            m->ncode_sub--;
            return;
        }
    }
}

void physmem_code_written(struct physmem *m, uint64_t paddr, unsigned len)
{
    for (int i = 0; i < m->ncode_sub; i++)
        m->code_sub[i].fn(m->code_sub[i].opaque, paddr, len);
}

void physmem_free(struct physmem *m)
{
    if (m->ram)
        munmap(m->ram, m->ram_size);
    if (m->ram_fd >= 0)
        close(m->ram_fd);
    free(m->code_pages);
    m->ram = NULL;
    m->code_pages = NULL;
    m->ram_fd = -1;
    m->nr = 0;
    m->big = -1;
    m->big_size = 0;
}

static void changed(struct physmem *m)
{
    m->big = -1;
    for (int i = 0; i < m->nr; i++)
        if (m->r[i].kind == REGION_RAM && (m->big < 0 || m->r[i].size > m->r[m->big].size))
            m->big = i;
    m->big_base = m->big < 0 ? 0 : m->r[m->big].base;
    m->big_size = m->big < 0 ? 0 : m->r[m->big].size;
    m->big_host = m->big < 0 ? NULL : m->r[m->big].host;
    if (m->map_changed)
        m->map_changed(m->map_opaque);
}

/* Index of the region containing pa, or -1. */
static int find(const struct physmem *m, uint64_t pa)
{
    /* Most accesses (table walks, DMA) land in the one big RAM region. */
    if (pa - m->big_base < m->big_size)
        return m->big;
    int lo = 0, hi = m->nr - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const struct mem_region *r = &m->r[mid];
        if (pa < r->base)
            hi = mid - 1;
        else if (pa - r->base >= r->size)
            lo = mid + 1;
        else
            return mid;
    }
    return -1;
}

static int add(struct physmem *m, const struct mem_region *nr)
{
    int i;

    if (nr->size == 0 || nr->base + nr->size < nr->base || m->nr >= PHYSMEM_MAX_REGIONS)
        return -1;
    for (i = 0; i < m->nr; i++) {
        const struct mem_region *r = &m->r[i];
        if (nr->base < r->base + r->size && r->base < nr->base + nr->size) {
            log_err("memory map: %s at 0x%llx+0x%llx overlaps %s at 0x%llx+0x%llx",
                    nr->name, (unsigned long long)nr->base, (unsigned long long)nr->size,
                    r->name, (unsigned long long)r->base, (unsigned long long)r->size);
            return -1;
        }
    }
    for (i = m->nr; i > 0 && m->r[i - 1].base > nr->base; i--)
        m->r[i] = m->r[i - 1];
    m->r[i] = *nr;
    m->nr++;
    changed(m);
    return 0;
}

int physmem_map_ram(struct physmem *m, uint64_t base, uint64_t size,
                    uint64_t ram_off, const char *name)
{
    struct mem_region r = { .base = base, .size = size, .kind = REGION_RAM, .name = name };

    if ((base | size | ram_off) & (PAGE_SIZE - 1))
        return -1;
    if (ram_off > m->ram_size || size > m->ram_size - ram_off)
        return -1;
    r.host = m->ram + ram_off;
    return add(m, &r);
}

int physmem_map_rom(struct physmem *m, uint64_t base, uint64_t size,
                    uint8_t *host, const char *name)
{
    struct mem_region r = { .base = base, .size = size, .kind = REGION_ROM,
                            .host = host, .name = name };

    if (((base | size) & (PAGE_SIZE - 1)) || !host)
        return -1;
    return add(m, &r);
}

int physmem_map_mmio(struct physmem *m, uint64_t base, uint64_t size,
                     const struct io_handler *h, const char *name)
{
    struct mem_region r = { .base = base, .size = size, .kind = REGION_MMIO,
                            .h = *h, .name = name };
    return add(m, &r);
}

void physmem_unmap(struct physmem *m, uint64_t base)
{
    for (int i = 0; i < m->nr; i++) {
        if (m->r[i].base == base) {
            memmove(&m->r[i], &m->r[i + 1], (size_t)(m->nr - i - 1) * sizeof m->r[0]);
            m->nr--;
            changed(m);
            return;
        }
    }
}

void physmem_set_a20(struct physmem *m, bool enabled)
{
    if (m->a20 == enabled)
        return;
    m->a20 = enabled;
    LOG(LOG_MODE, "A20 %s", enabled ? "enabled" : "disabled");
    changed(m);
}

/* RAM page index of a host pointer into guest RAM, or -1 for ROM. */
static int64_t ram_page(const struct physmem *m, const uint8_t *host)
{
    if (host < m->ram || host >= m->ram + m->ram_size)
        return -1;
    return (host - m->ram) >> PAGE_SHIFT;
}

uint8_t *physmem_page(struct physmem *m, uint64_t pa, bool *writable)
{
    int i = find(m, pa);
    const struct mem_region *r;
    uint8_t *p;

    if (writable)
        *writable = false;
    if (i < 0)
        return NULL;
    r = &m->r[i];
    if (r->kind == REGION_MMIO)
        return NULL;
    p = r->host + ((pa & PAGE_MASK) - r->base);
    if (writable && r->kind == REGION_RAM) {
        int64_t pg = ram_page(m, p);
        *writable = pg >= 0 && !m->code_pages[pg];
    }
    return p;
}

/* MMIO access at offset `off` of region r, split as the device needs. */
static uint64_t mmio_read(const struct mem_region *r, uint64_t off, unsigned size)
{
    unsigned sizes = r->h.sizes ? r->h.sizes : 1;
    uint64_t mask = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;

    if (size > 1 && (!(sizes & size) || (off & (size - 1))) && (sizes & (size - 1))) {
        unsigned half = size / 2;
        uint64_t lo = mmio_read(r, off, half);
        uint64_t hi = mmio_read(r, off + half, half);
        return lo | (hi << (half * 8));
    }
    if (!r->h.read)
        return mask;
    return r->h.read(r->h.s, off, size) & mask;
}

static void mmio_write(const struct mem_region *r, uint64_t off, uint64_t v, unsigned size)
{
    unsigned sizes = r->h.sizes ? r->h.sizes : 1;

    if (size > 1 && (!(sizes & size) || (off & (size - 1))) && (sizes & (size - 1))) {
        unsigned half = size / 2;
        mmio_write(r, off, v, half);
        mmio_write(r, off + half, v >> (half * 8), half);
        return;
    }
    if (r->h.write) {
        if (size < 8)
            v &= (1ull << (size * 8)) - 1;
        r->h.write(r->h.s, off, v, size);
    }
}

static uint64_t read_byte_split(struct physmem *m, uint64_t pa, unsigned size)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= physmem_read(m, pa + k, 1) << (8 * k);
    return v;
}

uint64_t physmem_read_any(struct physmem *m, uint64_t pa, unsigned size)
{
    int i = find(m, pa);
    const struct mem_region *r;
    uint64_t off, v = 0;

    if (size != 1 && size != 2 && size != 4 && size != 8)
        return ~0ull;
    if (i < 0) {
        LOG(LOG_IO, "read%u from unassigned 0x%llx", size * 8, (unsigned long long)pa);
        return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
    }
    r = &m->r[i];
    off = pa - r->base;
    if (off + size > r->size)
        return read_byte_split(m, pa, size);
    if (r->kind == REGION_MMIO)
        return mmio_read(r, off, size);
    switch (size) {     /* constant sizes: plain loads */
    case 8:
        memcpy(&v, r->host + off, 8);
        return v;
    case 4: {
        uint32_t w;
        memcpy(&w, r->host + off, 4);
        return w;
    }
    default:
        memcpy(&v, r->host + off, size);
        return v;
    }
}

void physmem_write(struct physmem *m, uint64_t pa, uint64_t v, unsigned size)
{
    int i = find(m, pa);
    const struct mem_region *r;
    uint64_t off;

    if (size != 1 && size != 2 && size != 4 && size != 8)
        return;
    if (i < 0) {
        LOG(LOG_IO, "write%u 0x%llx to unassigned 0x%llx", size * 8,
            (unsigned long long)v, (unsigned long long)pa);
        return;
    }
    r = &m->r[i];
    off = pa - r->base;
    if (off + size > r->size) {
        for (unsigned k = 0; k < size; k++)
            physmem_write(m, pa + k, v >> (8 * k), 1);
        return;
    }
    switch (r->kind) {
    case REGION_MMIO:
        mmio_write(r, off, v, size);
        return;
    case REGION_ROM:
        return;
    case REGION_RAM: {
        uint8_t *p = r->host + off;
        int64_t pg = ram_page(m, p), pg2 = ram_page(m, p + size - 1);
        memcpy(p, &v, size);
        if (m->ncode_sub) {
            unsigned first = pg2 != pg ? (unsigned)(PAGE_SIZE - (pa & (PAGE_SIZE - 1))) : size;
            if (pg >= 0 && m->code_pages[pg])
                physmem_code_written(m, pa, first);
            if (pg2 != pg && pg2 >= 0 && m->code_pages[pg2])
                physmem_code_written(m, pa + first, size - first);
        }
        return;
    }
    }
}

bool physmem_read_buf(struct physmem *m, uint64_t pa, void *buf, size_t len)
{
    uint8_t *out = buf;

    while (len) {
        int i = find(m, pa);
        const struct mem_region *r;
        uint64_t n;

        if (i < 0 || m->r[i].kind == REGION_MMIO)
            return false;
        r = &m->r[i];
        n = r->size - (pa - r->base);
        if (n > len)
            n = len;
        memcpy(out, r->host + (pa - r->base), n);
        out += n;
        pa += n;
        len -= n;
    }
    return true;
}

bool physmem_write_buf(struct physmem *m, uint64_t pa, const void *buf, size_t len)
{
    const uint8_t *in = buf;

    while (len) {
        int i = find(m, pa);
        const struct mem_region *r;
        uint64_t n;
        uint8_t *p;

        if (i < 0 || m->r[i].kind != REGION_RAM)
            return false;
        r = &m->r[i];
        n = r->size - (pa - r->base);
        if (n > len)
            n = len;
        p = r->host + (pa - r->base);
        memcpy(p, in, n);
        if (m->ncode_sub) {
            /* RAM regions are page aligned, so every page start from
             * pa's page on lies inside r. */
            for (uint64_t a = pa & PAGE_MASK; a < pa + n; a += PAGE_SIZE) {
                uint64_t at = a < pa ? pa : a;
                uint64_t stop = a + PAGE_SIZE < pa + n ? a + PAGE_SIZE : pa + n;
                int64_t pg = ram_page(m, r->host + (at - r->base));
                if (pg >= 0 && m->code_pages[pg])
                    physmem_code_written(m, at, (unsigned)(stop - at));
            }
        }
        in += n;
        pa += n;
        len -= n;
    }
    return true;
}

static int64_t code_index(struct physmem *m, uint64_t pa)
{
    int i = find(m, pa);
    if (i < 0 || m->r[i].kind != REGION_RAM)
        return -1;
    return ram_page(m, m->r[i].host + (pa - m->r[i].base));
}

bool physmem_mark(struct physmem *m, uint64_t pa, uint8_t bits)
{
    int64_t pg = code_index(m, pa);
    if (pg < 0 || (m->code_pages[pg] & bits) == bits)
        return false;
    m->code_pages[pg] |= bits;
    return true;
}

void physmem_unmark(struct physmem *m, uint64_t pa, uint8_t bits)
{
    int64_t pg = code_index(m, pa);
    if (pg >= 0)
        m->code_pages[pg] &= (uint8_t)~bits;
}
