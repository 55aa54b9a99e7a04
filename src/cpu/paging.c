/* Page-table walks: linear to physical translation as the MMU does it.
 *
 * Models 32-bit paging (two levels, 4 KiB pages and 4 MiB pages with
 * CR4.PSE, PSE-36 physical bits 32..35) and legacy PAE paging (PDPTE
 * registers loaded with CR3, then two 8-byte levels, 4 KiB and 2 MiB pages).
 * Checks U/S and R/W at every level with CR0.WP for supervisor writes, sets
 * accessed bits in every entry used and the dirty bit in the last one, and
 * raises #PF with P/W/U/RSVD(/I) error codes and CR2. Global pages (G with
 * CR4.PGE) are reported to the TLB.
 *
 * With EFER.LMA, 4-level paging (4.5): PML4, PDPT, PD and PT of 8-byte
 * entries from CR3, 4 KiB, 2 MiB and (when the model claims Page1GB) 1 GiB
 * pages; address bits 51..MAXPHYADDR are reserved, 62..52 ignored, PS in a
 * PML4E reserved. With EFER.NXE the XD bit (63) of any PAE or 4-level entry
 * but a PAE PDPTE forbids instruction fetches (4.6: a fetch #PF has P and
 * I/D), and without NXE it is reserved. MAXPHYADDR comes from the model
 * (cpuid_phys_bits: 36 without leaf 0x80000008).
 *
 * Left out: SMEP/SMAP, PCID, protection keys (none claimed), caching
 * attributes (PAT/PCD/PWT have no effect).
 *
 * Follows Intel SDM vol. 3A ch. 4: 4.3 (32-bit paging), 4.4 (PAE), 4.5
 * (4-level paging), 4.6 (access rights), 4.7 (page-fault exceptions), 4.8
 * (accessed and dirty).
 */
#include "cpu/paging.h"

#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/mmu.h"
#include "mem/physmem.h"

#define PTE_P   0x001u
#define PTE_RW  0x002u
#define PTE_US  0x004u
#define PTE_A   0x020u
#define PTE_D   0x040u
#define PTE_PS  0x080u
#define PTE_G   0x100u

#define PAE_XD          0x8000000000000000ull
/* PDPTE: bits 1, 2, 5..8 and everything above bit 35 are reserved. */
#define PDPTE_RSVD      (0xfffffff000000000ull | 0x1e6ull)
/* 2 MiB PDE: bits 20..13 reserved (bit 12 is PAT). */
#define PAE_PDE2M_RSVD  0x00000000001fe000ull
/* 1 GiB PDPTE: bits 29..13 reserved. */
#define PDPTE1G_RSVD    0x000000003fffe000ull
/* 4 MiB PDE with PSE-36 at MAXPHYADDR 36: bits 21..17 reserved. */
#define PSE_4M_RSVD     0x003e0000u

/* Table entries are read and written at physical addresses, subject to
 * the A20 gate like every other physical access. */
static uint64_t pt_read(struct cpu *cpu, uint64_t addr, unsigned size)
{
    return physmem_read(cpu->mem, physmem_a20(cpu->mem, addr), size);
}

bool paging_load_pdptes(struct cpu *cpu, uint32_t cr3)
{
    uint64_t base = cr3 & 0xffffffe0u;
    uint64_t e[4];
    for (int k = 0; k < 4; k++) {
        e[k] = pt_read(cpu, base + 8u * (unsigned)k, 8);
        if ((e[k] & PTE_P) && (e[k] & PDPTE_RSVD))
            return false;
    }
    for (int k = 0; k < 4; k++)
        cpu->tlb.pdpte[k] = e[k];
    return true;
}

/* Physical-address bits of a table entry: 12..MAXPHYADDR-1. */
static uint64_t addr_mask(const struct cpu *cpu)
{
    return ((1ull << cpuid_phys_bits(&cpu->model)) - 1) & ~0xfffull;
}

/* Raise the page fault for `lin`. */
_Noreturn static void walk_fault(struct cpu *cpu, uint64_t lin, int acc, int user,
                                 uint32_t bits)
{
    uint32_t code = bits;
    if (acc == ACC_WRITE)
        code |= PF_W;
    if (user)
        code |= PF_U;
    /* The I/D bit is reported only when execute-disable is enabled. */
    if (acc == ACC_EXEC && (cpu->s.efer & EFER_NXE) && (cpu->s.cr4 & CR4_PAE))
        code |= PF_I;
    cpu->s.cr2 = lin;
    except_pf(cpu, lin, code);
}

/* Set the accessed (and with `dirty` the dirty) bit of a table entry in
 * guest memory if not already set. Only the low dword holds them. */
static void set_ad(struct cpu *cpu, uint64_t addr, uint32_t entry, bool dirty)
{
    uint32_t want = entry | PTE_A | (dirty ? PTE_D : 0);
    if (want != entry)
        physmem_write(cpu->mem, physmem_a20(cpu->mem, addr), want, 4);
}

/* Decide the rights of the final translation. `rw`, `us` are the AND of
 * the bits over all levels. Returns the perm mask for this privilege, the
 * write right included only when `dirty` is already set. */
static uint8_t rights(const struct cpu *cpu, int user, bool rw, bool us)
{
    uint8_t perm = 0;
    if (user) {
        if (us) {
            perm = (1u << ACC_READ) | (1u << ACC_EXEC);
            if (rw)
                perm |= 1u << ACC_WRITE;
        }
    } else {
        perm = (1u << ACC_READ) | (1u << ACC_EXEC);
        if (rw || !(cpu->s.cr0 & CR0_WP))
            perm |= 1u << ACC_WRITE;
    }
    return perm;
}

/* The last step of every walk, shared by all leaf kinds (4 KiB PTE, 4 MiB
 * PDE, PAE 2 MiB PDE and 4 KiB PTE): the rights check, the accessed/dirty
 * update, and the rule that a clean page is not writable from the TLB (the
 * first write walks again to set D). `entry` is the leaf's low dword. */
static bool walk_leaf(struct cpu *cpu, uint64_t lin, int acc, int user, bool fault,
                      uint64_t entry_addr, uint32_t entry, bool rw, bool us, bool xd,
                      uint64_t paddr, bool large, struct walk *w)
{
    uint8_t perm = rights(cpu, user, rw, us);
    if (xd)
        perm &= (uint8_t)~(1u << ACC_EXEC);
    if (!(perm & (1u << acc))) {
        if (fault)
            walk_fault(cpu, lin, acc, user, PF_P);
        return false;
    }
    bool dirty = (entry & PTE_D) != 0;
    if (fault) {
        set_ad(cpu, entry_addr, entry, acc == ACC_WRITE);
        dirty |= acc == ACC_WRITE;
    }
    if (!dirty)
        perm &= (uint8_t)~(1u << ACC_WRITE);
    w->paddr = paddr;
    w->perm = perm;
    w->global = (entry & PTE_G) && (cpu->s.cr4 & CR4_PGE);
    w->large = large;
    w->accessed = fault || (entry & PTE_A);
    return true;
}

static bool walk_32(struct cpu *cpu, uint32_t lin, int acc, int user, bool fault,
                    struct walk *w)
{
    uint64_t pde_addr = (cpu->s.cr3 & 0xfffff000u) | ((lin >> 20) & 0xffcu);
    uint32_t pde = (uint32_t)pt_read(cpu, pde_addr, 4);
    w->entry[w->nentry++] = pde_addr;
    if (!(pde & PTE_P))
        goto not_present;
    if ((pde & PTE_PS) && (cpu->s.cr4 & CR4_PSE)) {
        if (pde & PSE_4M_RSVD) {
            if (fault)
                walk_fault(cpu, lin, acc, user, PF_P | PF_RSVD);
            return false;
        }
        return walk_leaf(cpu, lin, acc, user, fault, pde_addr, pde, pde & PTE_RW,
                         pde & PTE_US, false,
                         ((uint64_t)((pde >> 13) & 0xf) << 32) | (pde & 0xffc00000u) |
                             (lin & 0x003ff000u), true, w);
    }
    if (fault)
        set_ad(cpu, pde_addr, pde, false);
    uint64_t pte_addr = (pde & 0xfffff000u) | ((lin >> 10) & 0xffcu);
    uint32_t pte = (uint32_t)pt_read(cpu, pte_addr, 4);
    w->entry[w->nentry++] = pte_addr;
    if (!(pte & PTE_P))
        goto not_present;
    return walk_leaf(cpu, lin, acc, user, fault, pte_addr, pte, pde & pte & PTE_RW,
                     pde & pte & PTE_US, false, pte & 0xfffff000u, false, w);

not_present:
    if (fault)
        walk_fault(cpu, lin, acc, user, 0);
    return false;
}

/* Reserved bits of a PAE or 4-level entry from the physical-address
 * width: PAE reserves 62..MAXPHYADDR, 4-level paging 51..MAXPHYADDR (62..52
 * are ignored there); XD is reserved without EFER.NXE. */
static uint64_t entry_rsvd(const struct cpu *cpu, bool four_level)
{
    uint64_t top = four_level ? (1ull << 52) - 1 : PAE_XD - 1;
    uint64_t r = top & ~((1ull << cpuid_phys_bits(&cpu->model)) - 1);
    return r | ((cpu->s.efer & EFER_NXE) ? 0 : PAE_XD);
}

/* Whether XD in `entry` forbids fetches (only with EFER.NXE). */
static bool entry_xd(const struct cpu *cpu, uint64_t entry)
{
    return (cpu->s.efer & EFER_NXE) && (entry & PAE_XD);
}

static bool walk_pae(struct cpu *cpu, uint32_t lin, int acc, int user, bool fault,
                     struct walk *w)
{
    uint64_t rsvd = entry_rsvd(cpu, false), amask = addr_mask(cpu);
    uint64_t pdpte = cpu->tlb.pdpte[lin >> 30];
    if (!(pdpte & PTE_P))
        goto not_present;
    /* Reserved PDPTE bits were refused (#GP) when CR3 was loaded. */
    uint64_t pde_addr = (pdpte & amask) | ((lin >> 18) & 0xff8u);
    uint64_t pde = pt_read(cpu, pde_addr, 8);
    w->entry[w->nentry++] = pde_addr;
    if (!(pde & PTE_P))
        goto not_present;
    if (pde & PTE_PS) {
        if (pde & (rsvd | PAE_PDE2M_RSVD))
            goto reserved;
        return walk_leaf(cpu, lin, acc, user, fault, pde_addr, (uint32_t)pde, pde & PTE_RW,
                         pde & PTE_US, entry_xd(cpu, pde),
                         (pde & amask & ~0x1fffffull) | (lin & 0x001ff000u), true, w);
    }
    if (pde & rsvd)
        goto reserved;
    if (fault)
        set_ad(cpu, pde_addr, (uint32_t)pde, false);
    uint64_t pte_addr = (pde & amask) | ((lin >> 9) & 0xff8u);
    uint64_t pte = pt_read(cpu, pte_addr, 8);
    w->entry[w->nentry++] = pte_addr;
    if (!(pte & PTE_P))
        goto not_present;
    if (pte & rsvd)
        goto reserved;
    return walk_leaf(cpu, lin, acc, user, fault, pte_addr, (uint32_t)pte, pde & pte & PTE_RW,
                     pde & pte & PTE_US, entry_xd(cpu, pde | pte), pte & amask, false, w);

reserved:
    if (fault)
        walk_fault(cpu, lin, acc, user, PF_P | PF_RSVD);
    return false;
not_present:
    if (fault)
        walk_fault(cpu, lin, acc, user, 0);
    return false;
}

/* 4-level paging (SDM vol. 3A 4.5). The non-leaf levels are walked in a
 * loop: level 3 is the PML4, 2 the PDPT, 1 the PD, 0 the PT; `rw`, `us`
 * and `xd` gather the rights of every level. A PS bit ends the walk at a
 * PDPTE (1 GiB, only with Page1GB) or a PDE (2 MiB); in a PML4E it is
 * reserved. */
static bool walk_4level(struct cpu *cpu, uint64_t lin, int acc, int user, bool fault,
                        struct walk *w)
{
    uint64_t rsvd = entry_rsvd(cpu, true), amask = addr_mask(cpu);
    bool gb_pages = cpuid_has(&cpu->model, CPUID_80000001_EDX, CPUID_X_PDPE1GB);
    uint64_t table = cpu->s.cr3 & amask;
    uint64_t rw = PTE_RW, us = PTE_US, xd = 0;
    for (int level = 3; level >= 0; level--) {
        unsigned shift = 12 + 9 * (unsigned)level;
        uint64_t addr = table | (((lin >> shift) & 0x1ff) << 3);
        uint64_t e = pt_read(cpu, addr, 8);
        w->entry[w->nentry++] = addr;
        if (!(e & PTE_P))
            goto not_present;
        if (e & rsvd)
            goto reserved;
        rw &= e;
        us &= e;
        xd |= e;
        bool leaf = level == 0;
        if (level > 0 && (e & PTE_PS)) {
            uint64_t size_rsvd = level == 2 ? PDPTE1G_RSVD : PAE_PDE2M_RSVD;
            if (level == 3 || (level == 2 && !gb_pages) || (e & size_rsvd))
                goto reserved;
            leaf = true;
        }
        if (leaf) {
            uint64_t offset_mask = (1ull << shift) - 1;
            uint64_t paddr = (e & amask & ~offset_mask) | (lin & offset_mask & ~0xfffull);
            return walk_leaf(cpu, lin, acc, user, fault, addr, (uint32_t)e, rw, us,
                             entry_xd(cpu, xd), paddr, level > 0, w);
        }
        if (fault)
            set_ad(cpu, addr, (uint32_t)e, false);
        table = e & amask;
    }
    /* not reached: level 0 is always a leaf */
not_present:
    if (fault)
        walk_fault(cpu, lin, acc, user, 0);
    return false;
reserved:
    if (fault)
        walk_fault(cpu, lin, acc, user, PF_P | PF_RSVD);
    return false;
}

bool paging_walk(struct cpu *cpu, uint64_t lin64, int acc, int user, bool fault,
                 struct walk *w)
{
    /* 32-bit and PAE paging translate 32-bit linear addresses (SDM vol. 3A
     * 4.3, 4.4); 4-level paging takes all 48 bits. */
    uint32_t lin = (uint32_t)lin64;
    w->nentry = 0;
    if (!(cpu->s.cr0 & CR0_PG)) {
        w->paddr = lin & 0xfffff000u;
        w->perm = (1u << ACC_READ) | (1u << ACC_WRITE) | (1u << ACC_EXEC);
        w->global = 0;
        w->large = 0;
        return true;
    }
    if (cpu->s.efer & EFER_LMA)
        return walk_4level(cpu, lin64, acc, user, fault, w);
    if (cpu->s.cr4 & CR4_PAE)
        return walk_pae(cpu, lin, acc, user, fault, w);
    return walk_32(cpu, lin, acc, user, fault, w);
}
