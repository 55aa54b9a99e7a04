/* The decode cache: decoded instructions kept per physical code page
 * (src/cpu/dcache.c). A page's records are dropped when the guest writes to
 * the page (physmem's code_write callback), which is what makes
 * self-modifying code work, or when it is run with another code size
 * (16-, 32- or 64-bit code decode differently). */
#ifndef RAWBOX_CPU_DCACHE_H
#define RAWBOX_CPU_DCACHE_H

#include <stdint.h>
#include "cpu/insn.h"

struct dpage {
    uint64_t paddr;             /* physical page address */
    struct dpage *next;         /* hash chain */
    uint8_t code_size;          /* code size the records were decoded for: 2, 4, 8 */
    uint8_t marked;             /* physmem has the page marked as code (or it
                                 * is ROM): writes to it reach dcache_code_write */
    unsigned n, cap;            /* records in use / allocated */
    struct insn *insns;
    uint16_t idx[4096];         /* offset -> record + 1, 0 = not decoded */
};

#define DCACHE_BUCKETS 4096
#define DCACHE_HOT 1024         /* fetch shortcut: recent records by linear EIP */
#define DCACHE_HOT_INDEX(lin) (((lin) ^ ((lin) >> 10) ^ ((lin) >> 20)) & (DCACHE_HOT - 1))
#define DCACHE_RECENT 256       /* fetch shortcut: recent pages by linear page */
#define DCACHE_MAX_PAGES 16384  /* beyond this the whole cache is dropped */

/* One fetch-shortcut entry: the record last fetched at linear address
 * `lin` in this view (CPL 3 or not, code size), valid while gen equals the
 * cache's generation. */
struct dcache_hot {
    uint64_t lin;
    uint32_t gen;
    uint8_t user;
    uint8_t code_size;
    struct dpage *dp;
    const struct insn *i;
};

struct decode_cache {
    struct dpage *bucket[DCACHE_BUCKETS];
    /* The page last fetched from at each (linear page % DCACHE_RECENT), so
     * that jumping between a few code pages (interrupt entry, calls into
     * other pages) skips mmu_code_page() and the hash lookup. An entry is
     * used only while the TLB still maps the linear page to it and it is
     * still marked as code. */
    struct dpage *recent[DCACHE_RECENT];
    /* Records by linear EIP, so that a branch to another page (calls,
     * returns, interrupt entry) finds its record with one load instead of
     * the TLB entry, the page record and its index, which an idle guest's
     * timer tick finds cold in the host caches every time. An entry holds
     * while `gen` is unchanged: every TLB flush (MOV CR3, INVLPG, paging
     * mode and A20/map changes) and every change to a page's records
     * (dropped, moved by a reallocation, freed) bumps it, so an entry never
     * outlives the translation or the record it was made from. */
    struct dcache_hot hot[DCACHE_HOT];
    uint32_t gen;
    unsigned npages;
    struct cpu *cpu;
    uint64_t invalidations;
};

struct decode_cache *dcache_new(struct cpu *cpu);
void dcache_free(struct decode_cache *dc);
/* The page record for a physical page, created empty if needed. */
struct dpage *dcache_page(struct decode_cache *dc, uint64_t paddr, unsigned code_size);
/* Drop the decoded records of the page holding paddr. */
void dcache_invalidate(struct decode_cache *dc, uint64_t paddr);
void dcache_flush(struct decode_cache *dc);
/* Forget every fetch-shortcut entry (dc may be NULL). */
void dcache_drop_hot(struct decode_cache *dc);
/* Bring the fetch shortcut, the records it names and the TLB into the host
 * caches ahead of use (the run loop calls it when a halted guest wakes). */
void dcache_warm(struct decode_cache *dc);
/* Append a record for offset `off` of the page; returns it. */
const struct insn *dcache_add(struct decode_cache *dc, struct dpage *p, unsigned off,
                              const struct insn *i);

/* physmem code_write callback (opaque = struct decode_cache *). */
void dcache_code_write(void *opaque, uint64_t paddr, unsigned len);

#endif
