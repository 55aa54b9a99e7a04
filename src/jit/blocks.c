/* The block table: every block start the dispatcher has seen, by
 * (physical address, mode key) and by physical page, and what a write into
 * a page drops (docs/jit.md, "Self-modifying code and page tables").
 *
 * A block's code and its copied records stay in the code cache until the
 * cache is flushed, so dropping a block while it runs (it wrote its own
 * page) frees only this record: the code goes on to its next check, sees
 * cpu->jit_break and leaves. */
#include <stdlib.h>
#include <string.h>

#include "jit/vcpu.h"
#include "cpu/paging.h"
#include "cpu/mmu.h"
#include "mem/physmem.h"

static unsigned block_hash(uint64_t paddr, uint32_t key)
{
    uint64_t h = (paddr ^ (uint64_t)key << 40) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - JIT_BUCKET_BITS));
}

static unsigned page_hash(uint64_t page)
{
    uint64_t pfn = page >> 12;
    return (unsigned)((pfn ^ (pfn >> 12)) & (JIT_PAGE_BUCKETS - 1));
}

static struct jit_page *page_find(struct jit_vcpu *jv, uint64_t page)
{
    for (struct jit_page *p = jv->pages[page_hash(page)]; p; p = p->next)
        if (p->paddr == page)
            return p;
    return NULL;
}

struct jit_block *jit_block_get(struct jit_vcpu *jv, uint64_t paddr, uint32_t key)
{
    unsigned h = block_hash(paddr, key);
    for (struct jit_block *b = jv->bucket[h]; b; b = b->hnext)
        if (b->paddr == paddr && b->key == key)
            return b;
    uint64_t page = paddr & ~(uint64_t)0xfff;
    struct jit_page *p = page_find(jv, page);
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return NULL;
        unsigned ph = page_hash(page);
        p->paddr = page;
        p->next = jv->pages[ph];
        jv->pages[ph] = p;
        p->anext = jv->all_pages;
        jv->all_pages = p;
    }
    struct jit_block *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->paddr = paddr;
    b->key = key;
    b->hnext = jv->bucket[h];
    jv->bucket[h] = b;
    b->pnext = p->blocks;
    p->blocks = b;
    return b;
}

/* The page's 64-byte chunks that [paddr, paddr + len) touches (clipped
 * at the page's end: a block's bytes in the next page are that page's). */
static uint64_t chunk_bits(uint64_t paddr, unsigned len)
{
    const unsigned off = (unsigned)(paddr & 0xfff);
    unsigned last = off + (len ? len : 1) - 1;
    if (last > 0xfff)
        last = 0xfff;
    const unsigned lo = off >> 6, hi = last >> 6;
    const uint64_t upto = hi == 63 ? ~(uint64_t)0 : ((uint64_t)1 << (hi + 1)) - 1;
    return upto & ~(((uint64_t)1 << lo) - 1);
}

void jit_block_has_code(struct jit_vcpu *jv, struct jit_block *b)
{
    struct jit_page *p = page_find(jv, b->paddr & ~(uint64_t)0xfff);
    if (p) {
        p->ncode++;
        p->chunks |= chunk_bits(b->paddr, b->nbytes);
    }
    /* Writes to the page now reach jit_code_write: no TLB entry may keep a
     * write fast path to it (the decode cache has usually marked it
     * already, but it lets go of pages it stops caching). */
    if (physmem_mark(jv->cpu->mem, b->paddr, PHYSMEM_MARK_JIT))
        tlb_drop_write_phys(jv->cpu, b->paddr & ~(uint64_t)0xfff);
}

static void hash_unlink(struct jit_vcpu *jv, struct jit_block *b)
{
    struct jit_block **pp = &jv->bucket[block_hash(b->paddr, b->key)];
    while (*pp && *pp != b)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = b->hnext;
}

void jit_block_link(struct jit_vcpu *jv, const void *site, struct jit_block *b, bool checked,
                    uint64_t rip, int32_t gen_off, uint32_t gen)
{
    uint8_t *rw = jit_cache_rw(&jv->cache, site);
    if (!rw)
        return;
    int32_t rel;
    memcpy(&rel, rw, sizeof rel);       /* the field need not be aligned */
    const uint8_t *now = (const uint8_t *)site + 4 + rel;
    if (checked) {
        /* The address and generation first; then, unless the jump already
         * goes to b (the check failed after a flush or at another alias,
         * and the target maps there again), the jump. The miss is where
         * the JNEs go: the stub. */
        uint8_t *imm = rw - JIT_CHECK_SITE;
        memcpy(imm - JIT_CHECK_RIP, &rip, 8);
        memcpy(imm - 4, &gen_off, 4);
        memcpy(imm, &gen, 4);
        if (now == b->code)
            return;
        int32_t ne;
        memcpy(&ne, imm + JIT_CHECK_NE2, 4);
        now = (const uint8_t *)site - JIT_CHECK_SITE + JIT_CHECK_NE2 + 4 + ne;
        /* An exit that alternates between targets (other tables, another
         * alias) keeps one record per target block. */
        for (const struct jit_link *k = b->links; k; k = k->next) {
            if (k->field == site) {
                jit_cache_patch_rel32(&jv->cache, k->field, b->code);
                return;
            }
        }
    }
    struct jit_link *l = malloc(sizeof *l);
    if (!l)
        return;
    l->field = (void *)(uintptr_t)site;
    l->miss = now;
    if (!jit_cache_patch_rel32(&jv->cache, l->field, b->code)) {
        free(l);
        return;
    }
    l->next = b->links;
    b->links = l;
    jv->st.chained++;
}

/* Send every chained jump into b back to its exit stub, and free b. */
static void block_free(struct jit_vcpu *jv, struct jit_block *b, bool unpatch)
{
    struct jit_link *l = b->links;
    while (l) {
        struct jit_link *n = l->next;
        if (unpatch)
            jit_cache_patch_rel32(&jv->cache, l->field, l->miss);
        free(l);
        l = n;
    }
    free(b);
}

void jit_code_write(void *opaque, uint64_t paddr, unsigned len)
{
    struct jit_vcpu *jv = opaque;
    uint64_t page = paddr & ~(uint64_t)0xfff;
    struct jit_page *p = page_find(jv, page);
    if (!p || !p->ncode || !(p->chunks & chunk_bits(paddr, len)))
        return;     /* data beside the code (real-mode programs keep it there) */
    uint64_t end = paddr + (len ? len : 1), left = 0;
    unsigned dropped = 0;
    for (struct jit_block **pp = &p->blocks; *pp;) {
        struct jit_block *b = *pp;
        if (b->code && b->paddr < end && paddr < b->paddr + b->nbytes) {
            *pp = b->pnext;
            hash_unlink(jv, b);
            block_free(jv, b, true);
            dropped++;
            continue;
        }
        if (b->code)
            left |= chunk_bits(b->paddr, b->nbytes);
        pp = &b->pnext;
    }
    p->chunks = left;
    if (!dropped)
        return;
    p->ncode -= dropped;
    jv->st.invalidated += dropped;
    jit_forget_jc(jv);          /* the jump cache may name them */
    jv->cpu->jit_break = 1;     /* a running block may be one of them */
    if (!p->ncode)
        physmem_unmark(jv->cpu->mem, page, PHYSMEM_MARK_JIT);
}

void jit_forget_jc(struct jit_vcpu *jv)
{
    tlb_gen_bump(jv->cpu, 0);
    tlb_gen_bump(jv->cpu, 1);
}

void jit_blocks_clear(struct jit_vcpu *jv)
{
    /* Every block is on its page's list: empty the hash chains through
     * them (a flush under RAWBOX_JIT_FLUSH comes every few blocks). */
    struct jit_page *p = jv->all_pages;
    while (p) {
        struct jit_page *n = p->anext;
        struct jit_block *b = p->blocks;
        while (b) {
            struct jit_block *bn = b->pnext;
            jv->bucket[block_hash(b->paddr, b->key)] = NULL;
            block_free(jv, b, false);   /* the code goes with the cache */
            b = bn;
        }
        if (p->ncode && jv->cpu->mem)
            physmem_unmark(jv->cpu->mem, p->paddr, PHYSMEM_MARK_JIT);
        jv->pages[page_hash(p->paddr)] = NULL;
        free(p);
        p = n;
    }
    jv->all_pages = NULL;
    jit_forget_jc(jv);
    jv->cpu->jit_break = 1;
}
