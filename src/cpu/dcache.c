/* Decoded-instruction cache, one record array per physical page, looked up
 * by a hash of the page number. Pages are marked in physmem as code pages
 * by mmu_code_page(); a write to one lands in dcache_code_write(), which
 * drops that page's records and unmarks it, so pages mixing code and data
 * only pay for the slow write path until code is fetched from them again.
 * The fetch shortcut (hot[]) maps linear EIPs to records under a generation
 * number that every change to records or translations bumps. */
#include <stdlib.h>
#include <string.h>
#include "cpu/dcache.h"
#include "cpu/cpu.h"
#include "mem/physmem.h"

static unsigned hash(uint64_t paddr)
{
    uint64_t pfn = paddr >> 12;
    return (unsigned)((pfn ^ (pfn >> 12)) & (DCACHE_BUCKETS - 1));
}

struct decode_cache *dcache_new(struct cpu *cpu)
{
    struct decode_cache *dc = calloc(1, sizeof(*dc));
    if (dc) {
        dc->cpu = cpu;
        dc->gen = 1;        /* zeroed entries (gen 0) never match */
    }
    return dc;
}

void dcache_drop_hot(struct decode_cache *dc)
{
    if (!dc)
        return;
    if (++dc->gen == 0) {
        memset(dc->hot, 0, sizeof(dc->hot));
        dc->gen = 1;
    }
}

void dcache_flush(struct decode_cache *dc)
{
    for (unsigned b = 0; b < DCACHE_BUCKETS; b++) {
        struct dpage *p = dc->bucket[b];
        while (p) {
            struct dpage *next = p->next;
            if (dc->cpu && dc->cpu->mem)
                physmem_unmark(dc->cpu->mem, p->paddr, PHYSMEM_MARK_CODE);
            free(p->insns);
            free(p);
            p = next;
        }
        dc->bucket[b] = NULL;
    }
    dc->npages = 0;
    memset(dc->recent, 0, sizeof(dc->recent));
    dcache_drop_hot(dc);
    if (dc->cpu)
        dc->cpu->fetch_page = NULL;
}

void dcache_free(struct decode_cache *dc)
{
    if (!dc)
        return;
    dcache_flush(dc);
    free(dc);
}

void dcache_warm(struct decode_cache *dc)
{
    /* Independent loads the host CPU overlaps, instead of the one miss at
     * a time the interpreter takes on its dependent chains. */
    if (!dc)
        return;
    for (unsigned k = 0; k < DCACHE_HOT; k++) {
        const struct dcache_hot *h = &dc->hot[k];
        if (h->gen == dc->gen)
            __builtin_prefetch(h->i);
    }
    if (dc->cpu) {
        const char *t = (const char *)dc->cpu->tlb.e, *end = t + sizeof(dc->cpu->tlb.e);
        for (; t < end; t += 64)
            __builtin_prefetch(t);
    }
}

static void page_clear(struct decode_cache *dc, struct dpage *p)
{
    if (p->n) {
        memset(p->idx, 0, sizeof(p->idx));
        p->n = 0;
        dcache_drop_hot(dc);
    }
}

struct dpage *dcache_page(struct decode_cache *dc, uint64_t paddr, unsigned code_size)
{
    paddr &= ~(uint64_t)0xfff;
    unsigned b = hash(paddr);
    for (struct dpage *p = dc->bucket[b]; p; p = p->next) {
        if (p->paddr == paddr) {
            if (p->code_size != code_size) {
                page_clear(dc, p);
                p->code_size = (uint8_t)code_size;
            }
            return p;
        }
    }
    if (dc->npages >= DCACHE_MAX_PAGES)
        dcache_flush(dc);
    struct dpage *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->paddr = paddr;
    p->code_size = (uint8_t)code_size;
    p->next = dc->bucket[b];
    dc->bucket[b] = p;
    dc->npages++;
    return p;
}

/* Drop the records of the page holding paddr; returns that page, if any. */
static struct dpage *invalidate(struct decode_cache *dc, uint64_t paddr)
{
    paddr &= ~(uint64_t)0xfff;
    for (struct dpage *p = dc->bucket[hash(paddr)]; p; p = p->next) {
        if (p->paddr == paddr) {
            page_clear(dc, p);
            dc->invalidations++;
            return p;
        }
    }
    return NULL;
}

void dcache_invalidate(struct decode_cache *dc, uint64_t paddr)
{
    invalidate(dc, paddr);
}

void dcache_code_write(void *opaque, uint64_t paddr, unsigned len)
{
    (void)len;
    struct decode_cache *dc = opaque;
    struct dpage *p = invalidate(dc, paddr);
    if (p)
        p->marked = 0;
    /* The page is ordinary data again until code is fetched from it; the
     * fetch path re-marks it through mmu_code_page(). */
    if (dc->cpu) {
        physmem_unmark(dc->cpu->mem, paddr & ~(uint64_t)0xfff, PHYSMEM_MARK_CODE);
        dc->cpu->fetch_page = NULL;
    }
}

const struct insn *dcache_add(struct decode_cache *dc, struct dpage *p, unsigned off,
                              const struct insn *i)
{
    if (p->n == p->cap) {
        unsigned cap = p->cap ? p->cap * 2 : 64;
        struct insn *n = realloc(p->insns, cap * sizeof(*n));
        if (!n)
            return NULL;
        if (n != p->insns)
            dcache_drop_hot(dc);    /* the records moved */
        p->insns = n;
        p->cap = cap;
    }
    struct insn *r = &p->insns[p->n];
    *r = *i;
    r->off = (uint16_t)off;
    r->seq_next = 0;
    /* Straight-line code decodes in order: let the previous record lead
     * the interpreter straight here without a lookup. */
    if (p->n && r[-1].off + r[-1].len == off)
        r[-1].seq_next = 1;
    p->idx[off] = (uint16_t)(++p->n);
    return r;
}
