/* The software TLB: per-vCPU cache of linear-to-host translations.
 *
 * Direct-mapped, TLB_SIZE entries per privilege view (supervisor and user,
 * so a CPL 3 access never uses a translation checked for CPL 0). Each entry
 * caches one 4 KiB linear page: the walk's physical page and rights, and a
 * fast-path tag per access kind that is valid only when the access can go
 * straight to host memory. Writes to ROM, MMIO and pages holding decoded
 * code keep the write tag clear so they reach physmem_write, which drops
 * ROM writes, calls devices, and fires the decode-cache invalidation.
 *
 * Flush rules (Intel SDM vol. 3A 4.10.4): MOV CR3 flushes all but global
 * entries; CR0.PG/WP/PE and CR4.PGE/PAE/PSE changes flush everything;
 * INVLPG drops the page (and, when large pages are cached, every entry from
 * a large page covering it); an A20 or physical-map change flushes all via
 * physmem's map_changed callback (tlb_map_changed). A real TLB may drop
 * entries at any time, so flushing more than required is always correct.
 * Only canonical pages get fast-path tags (the 64-bit fast path relies on
 * it: a non-canonical access must fault, SDM vol. 3A 3.3.7.1).
 * Every flush also drops the decode cache's fetch shortcut (records by
 * linear EIP), which skips the TLB on a hit.
 */
#include <string.h>

#include "cpu/dcache.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "mem/physmem.h"

static void entry_clear(struct tlb_entry *e)
{
    e->tag[0] = e->tag[1] = e->tag[2] = TLB_INVALID;
    e->vpage = TLB_INVALID;
    e->perm = 0;
}

void tlb_gen_bump(struct cpu *cpu, unsigned k)
{
    if (!++cpu->tlb.gen[k] && cpu->gen_wrapped)
        cpu->gen_wrapped(cpu);
}

/* Translations change: tell raw mode (cpu->tlb_flushed), and drop what
 * caches by linear address: the interpreter's straight-line path and
 * fetch shortcut, the recompiler's jump cache (cpu->tlb.gen: MOV CR3
 * keeps its entries in global pages). */
static void translations_changed(struct cpu *cpu, uint64_t lin, int why)
{
    if (cpu->tlb_flushed)
        cpu->tlb_flushed(cpu->tlb_opaque, lin, why);
    cpu->fetch_page = NULL;
    dcache_drop_hot(cpu->dcache);
    struct tlb *t = &cpu->tlb;
    bool global = why != TLB_FLUSH_SPACE;   /* MOV CR3 keeps global entries */
    if (why == TLB_FLUSH_PAGE) {
        /* INVLPG: the jump cache only if it may hold that page (or, for
         * its entries from large pages, its 4 MiB region: tlb_flush_page
         * drops those), which the kernel's INVLPGs of data pages seldom
         * are; its entries in global pages only if one of those may. */
        const unsigned pb = tlb_page_bit(lin), rg = tlb_region(lin);
        global = tlb_bit(t->jc_pages[1], pb) || tlb_bit(t->jc_regions[1], rg);
        if (!global && !tlb_bit(t->jc_pages[0], pb) && !tlb_bit(t->jc_regions[0], rg))
            return;
    }
    tlb_gen_bump(cpu, 0);
    memset(t->jc_pages[0], 0, sizeof t->jc_pages[0]);
    memset(t->jc_regions[0], 0, sizeof t->jc_regions[0]);
    if (!global)
        return;
    tlb_gen_bump(cpu, 1);
    memset(t->jc_pages[1], 0, sizeof t->jc_pages[1]);
    memset(t->jc_regions[1], 0, sizeof t->jc_regions[1]);
}

static void flush_entries(struct cpu *cpu, int why)
{
    translations_changed(cpu, 0, why);
    struct tlb *t = &cpu->tlb;
    if (t->nfilled == 0)
        return;
    memset(t->e, 0, sizeof t->e);
    memset(t->large_regions, 0, sizeof t->large_regions);
    t->nfilled = 0;
    t->has_large = 0;
    t->has_global = 0;
}

void tlb_flush_all(struct cpu *cpu)
{
    flush_entries(cpu, TLB_FLUSH_MAP);
}

void tlb_flush_global(struct cpu *cpu)
{
    flush_entries(cpu, TLB_FLUSH_GLOBAL);
}

void tlb_flush_nonglobal(struct cpu *cpu)
{
    struct tlb *t = &cpu->tlb;
    if (!t->has_global) {
        flush_entries(cpu, TLB_FLUSH_SPACE);
        return;
    }
    translations_changed(cpu, 0, TLB_FLUSH_SPACE);
    bool large = false;
    memset(t->large_regions, 0, sizeof t->large_regions);
    for (int v = 0; v < 2; v++) {
        for (int k = 0; k < TLB_SIZE; k++) {
            struct tlb_entry *e = &t->e[v][k];
            if (e->vpage == TLB_INVALID)
                continue;
            if (!e->global) {
                entry_clear(e);
            } else if (e->large) {
                tlb_bit_set(t->large_regions, tlb_region(e->vpage));
                large = true;
            }
        }
    }
    t->has_large = large;
}

void tlb_flush_page(struct cpu *cpu, uint64_t lin)
{
    translations_changed(cpu, lin, TLB_FLUSH_PAGE);
    struct tlb *t = &cpu->tlb;
    uint64_t tag = (lin & ~(uint64_t)0xfff) | 1u;
    unsigned idx = (lin >> 12) & (TLB_SIZE - 1);
    for (int v = 0; v < 2; v++) {
        if (t->e[v][idx].vpage == tag)
            entry_clear(&t->e[v][idx]);
    }
    if (!t->has_large || !tlb_bit(t->large_regions, tlb_region(lin)))
        return;
    /* Entries from a 2 or 4 MiB page: drop all of them within the 4 MiB
     * region around lin (a superset of the page INVLPG names). */
    for (int v = 0; v < 2; v++) {
        for (int k = 0; k < TLB_SIZE; k++) {
            struct tlb_entry *e = &t->e[v][k];
            if (e->large && e->vpage != TLB_INVALID &&
                ((e->vpage ^ lin) & ~(uint64_t)0x3fffff) == 0)
                entry_clear(e);
        }
    }
}

void tlb_map_changed(void *opaque)
{
    tlb_flush_all(opaque);
}

void mmu_init(struct cpu *cpu)
{
    memset(cpu->tlb.e, 0, sizeof cpu->tlb.e);
    memset(cpu->tlb.large_regions, 0, sizeof cpu->tlb.large_regions);
    cpu->tlb.nfilled = 0;
    cpu->tlb.has_large = 0;
    cpu->tlb.has_global = 0;
    memset(cpu->tlb.pdpte, 0, sizeof cpu->tlb.pdpte);
    dcache_drop_hot(cpu->dcache);
    tlb_gen_bump(cpu, 0);   /* the recompiler's jump cache */
    tlb_gen_bump(cpu, 1);
    if (cpu->mem) {
        cpu->mem->map_changed = tlb_map_changed;
        cpu->mem->map_opaque = cpu;
    }
}

struct tlb_entry *tlb_fill(struct cpu *cpu, uint64_t lin, int user,
                           const struct walk *w)
{
    struct tlb *t = &cpu->tlb;
    uint64_t page = lin & ~(uint64_t)0xfff;
    uint64_t tag = page | 1u;
    struct tlb_entry *e = &t->e[user ? 1 : 0][(lin >> 12) & (TLB_SIZE - 1)];
    uint64_t pa = physmem_a20(cpu->mem, w->paddr) & PAGE_MASK;
    bool writable = false;
    uint8_t *host = physmem_page(cpu->mem, pa, &writable);

    /* In case the board did not call mmu_init(): A20 and map changes
     * must still reach us. */
    if (!cpu->mem->map_changed) {
        cpu->mem->map_changed = tlb_map_changed;
        cpu->mem->map_opaque = cpu;
    }

    e->vpage = tag;
    e->paddr = pa;
    e->perm = w->perm;
    e->global = w->global;
    e->large = w->large;
    e->addend = host ? (uintptr_t)host - (uintptr_t)page : 0;
    e->tag[ACC_READ] = (host && (w->perm & (1u << ACC_READ))) ? tag : TLB_INVALID;
    e->tag[ACC_EXEC] = (host && (w->perm & (1u << ACC_EXEC))) ? tag : TLB_INVALID;
    e->tag[ACC_WRITE] = (host && writable && (w->perm & (1u << ACC_WRITE)))
                        ? tag : TLB_INVALID;
    /* The 64-bit fast path (mmu.h mmu_fast_host64) checks no canonical
     * form: it relies on a non-canonical page never having a fast tag, so
     * such an access misses and the slow path raises #GP/#SS. Every data
     * access checks canonical form before it translates, but system
     * accesses through a table base do not all; keep them off the fast
     * tags here. (The tag is the whole 64-bit page, so no canonical
     * address can match a non-canonical one.) */
    if (!is_canonical(page))
        e->tag[ACC_READ] = e->tag[ACC_WRITE] = e->tag[ACC_EXEC] = TLB_INVALID;
    if (t->bp_data) {
        for (int n = 0; n < 4; n++) {
            if (t->bp_page[n] == tag)
                e->tag[ACC_READ] = e->tag[ACC_WRITE] = TLB_INVALID;
        }
    }
    t->nfilled++;
    t->has_large |= w->large;
    if (w->large)
        tlb_bit_set(t->large_regions, tlb_region(page));
    t->has_global |= w->global;
    return e;
}

void tlb_drop_write_phys(struct cpu *cpu, uint64_t paddr)
{
    struct tlb *t = &cpu->tlb;
    uint64_t pa = paddr & PAGE_MASK;
    for (int v = 0; v < 2; v++) {
        for (int k = 0; k < TLB_SIZE; k++) {
            struct tlb_entry *e = &t->e[v][k];
            if (e->tag[ACC_WRITE] != TLB_INVALID && e->paddr == pa)
                e->tag[ACC_WRITE] = TLB_INVALID;
        }
    }
}
