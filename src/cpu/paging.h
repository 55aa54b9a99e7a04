/* Page-table walks (src/cpu/paging.c) and the TLB internals they feed
 * (src/cpu/tlb.c). Private to the memory layer and the CR handlers; the
 * rest of the CPU uses src/cpu/mmu.h. */
#ifndef RAWBOX_CPU_PAGING_H
#define RAWBOX_CPU_PAGING_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"
#include "cpu/longmode.h"

/* Result of a successful walk for one 4 KiB linear page. */
struct walk {
    uint64_t paddr;     /* physical address of the 4 KiB page */
    uint8_t perm;       /* 1 << ACC_x the walk allows for this privilege */
    uint8_t global;
    uint8_t large;
    uint8_t accessed;   /* the leaf's A bit was set (or this walk set it) */
    uint8_t nentry;     /* table entries read, root first (PAE: not the PDPTE) */
    uint64_t entry[4];  /* their physical addresses (raw mode watches them) */
};

/* Walk the page tables for `lin`. With `fault` set, raises #PF for a
 * failing access (CR2 = lin) and sets accessed/dirty bits; without it,
 * touches nothing and returns false on failure. With paging off the result
 * is the identity mapping. `perm` never includes ACC_WRITE for a page whose
 * dirty bit is still clear, so the first write walks again and sets it. */
bool paging_walk(struct cpu *cpu, uint64_t lin, int acc, int user, bool fault,
                 struct walk *w);

/* Load the four PAE PDPTE registers from CR3. Returns false (caller raises
 * #GP(0)) if a present entry has reserved bits set. */
bool paging_load_pdptes(struct cpu *cpu, uint32_t cr3);

/* TLB fill after a walk; returns the entry. */
struct tlb_entry *tlb_fill(struct cpu *cpu, uint64_t lin, int user,
                           const struct walk *w);
/* Drop write fast-path tags mapping physical page `paddr` (it now holds
 * decoded code). */
void tlb_drop_write_phys(struct cpu *cpu, uint64_t paddr);

#endif
