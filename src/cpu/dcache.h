/* The decode cache: decoded instructions kept per physical code page
 * (src/cpu/dcache.c). A page's records are dropped when the guest writes to
 * the page (physmem's code_write callback), which is what makes
 * self-modifying code work, or when it is run with the other default
 * operand size. */
#ifndef RAWBOX_CPU_DCACHE_H
#define RAWBOX_CPU_DCACHE_H

#include <stdint.h>
#include "cpu/insn.h"

struct dpage {
    uint64_t paddr;             /* physical page address */
    struct dpage *next;         /* hash chain */
    uint8_t code32;             /* mode the records were decoded for */
    uint8_t marked;             /* physmem has the page marked as code (or it
                                 * is ROM): writes to it reach dcache_code_write */
    unsigned n, cap;            /* records in use / allocated */
    struct insn *insns;
    uint16_t idx[4096];         /* offset -> record + 1, 0 = not decoded */
};

#define DCACHE_BUCKETS 4096
#define DCACHE_RECENT 256       /* fetch shortcut: recent pages by linear page */
#define DCACHE_MAX_PAGES 16384  /* beyond this the whole cache is dropped */

struct decode_cache {
    struct dpage *bucket[DCACHE_BUCKETS];
    /* The page last fetched from at each (linear page % DCACHE_RECENT), so
     * that jumping between a few code pages (interrupt entry, calls into
     * other pages) skips mmu_code_page() and the hash lookup. An entry is
     * used only while the TLB still maps the linear page to it and it is
     * still marked as code. */
    struct dpage *recent[DCACHE_RECENT];
    unsigned npages;
    struct cpu *cpu;
    uint64_t invalidations;
};

struct decode_cache *dcache_new(struct cpu *cpu);
void dcache_free(struct decode_cache *dc);
/* The page record for a physical page, created empty if needed. */
struct dpage *dcache_page(struct decode_cache *dc, uint64_t paddr, int code32);
/* Drop the decoded records of the page holding paddr. */
void dcache_invalidate(struct decode_cache *dc, uint64_t paddr);
void dcache_flush(struct decode_cache *dc);
/* Append a record for offset `off` of the page; returns it. */
const struct insn *dcache_add(struct dpage *p, unsigned off, const struct insn *i);

/* physmem code_write callback (opaque = struct decode_cache *). */
void dcache_code_write(void *opaque, uint64_t paddr);

#endif
