/* Guest memory access from instructions (src/cpu/mmu.c, src/cpu/paging.c,
 * src/cpu/tlb.c).
 *
 * Three layers, each raising the right guest exception itself:
 *  - logical (segment:offset): segment type, limit and privilege checks,
 *    then linear;
 *  - linear: paging through the software TLB (CR0.PG, PSE, PAE, WP, U/S,
 *    accessed/dirty bits), then physical;
 *  - physical: struct physmem (src/mem/physmem.h).
 * Multi-byte accesses that cross a page boundary are split; both pages are
 * checked before anything is written. Values are little-endian. */
#ifndef RAWBOX_CPU_MMU_H
#define RAWBOX_CPU_MMU_H

#include <stdint.h>
#include "cpu/cpu.h"

/* A linear address as the current mode wraps it: at 4 GiB outside 64-bit
 * mode (SDM vol. 3A 3.4); 64-bit mode keeps all 64 bits, which the logical
 * access path (mmu.c seg_check) checks for canonical form. */
static inline uint64_t lin_wrap(const struct cpu *cpu, uint64_t lin)
{
    return cpu->s.mode == MODE_LONG64 ? lin : (uint32_t)lin;
}

/* Access kinds for translation. */
enum { ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2 };

/* Logical accesses through segment `seg` (SEG_ES..SEG_GS) at offset `off`.
 * The privilege used for paging is the current CPL. The 1/2/4-byte forms
 * are inline fast paths (below) in front of the full checks in mmu.c. */
uint64_t cpu_rd64(struct cpu *cpu, int seg, uint64_t off);
void cpu_wr64(struct cpu *cpu, int seg, uint64_t off, uint64_t v);
/* The complete logical accesses (segment checks, TLB, page walk, MMIO),
 * size in bytes 1/2/4; the inline forms fall back to these. */
uint32_t cpu_rd_slow(struct cpu *cpu, int seg, uint64_t off, unsigned size);
void cpu_wr_slow(struct cpu *cpu, int seg, uint64_t off, uint32_t v, unsigned size);
uint32_t cpu_rd_rmw_slow(struct cpu *cpu, int seg, uint64_t off, unsigned size);
uint64_t cpu_rd64_rmw(struct cpu *cpu, int seg, uint64_t off);

/* Inline fast path of a logical access: the segment is a present,
 * writable, expand-up data segment (attr bits P, S, type 001x: every check
 * of mmu.c's seg_check then reduces to the limit), the access lies within
 * the limit and one page, it is not a misaligned CPL 3 access (alignment
 * check), and the TLB holds a direct host translation for this access
 * kind. Anything else takes the slow path, which repeats every check and
 * raises the right fault. */
#define MMU_SEG_FAST_MASK 0x9eu     /* P, S, code, expand-down, writable */
#define MMU_SEG_FAST_WANT 0x92u     /* P, S, data, expand-up, writable */

/* The same in 64-bit mode (SDM vol. 3A 3.4.4, 5.3.1): no segment type or
 * limit checks, base 0 but for FS and GS, every byte canonical. The
 * canonical check is the TLB tag itself: the tag is the whole 64-bit
 * linear page and only canonical pages ever get a fast tag (tlb.c
 * tlb_fill), so a non-canonical address misses and the slow path raises
 * #GP(0) or #SS(0); a last byte past the canonical range is on the next
 * page, which the page-crossing test already sends to the slow path. A
 * misaligned CPL 3 access takes the slow path (alignment check) as in
 * the 32-bit form. Callers that know they run 64-bit code (fastops.c's
 * 64-bit handlers) call this directly and skip the mode test. */
static inline __attribute__((always_inline))
bool mmu_fast_host64(struct cpu *cpu, int seg, uint64_t off, unsigned size, int acc,
                     uint8_t **host)
{
    uint64_t base = seg >= SEG_FS ? cpu->s.seg[seg].base : 0;
    uint64_t lin = off + base;
    unsigned user = cpu->s.cpl == 3;
    const struct tlb_entry *e =
        &cpu->tlb.e[0][0] + (user * TLB_SIZE + ((lin >> 12) & (TLB_SIZE - 1)));
    *host = (uint8_t *)(e->addend + lin);
    return __builtin_expect(e->tag[acc] == ((lin & ~(uint64_t)0xfff) | 1u) &&
                            (lin & 0xfffu) <= 4096u - size &&
                            !(user && (lin & (size - 1))), 1);
}

static inline __attribute__((always_inline))
bool mmu_fast_host(struct cpu *cpu, int seg, uint64_t off, unsigned size, int acc,
                   uint8_t **host)
{
    const struct seg *s = &cpu->s.seg[seg];
    /* 64-bit mode: the out-of-line path (mmu.c seg_check_64, then the TLB).
     * Inlining mmu_fast_host64 here would change the code of every 32-bit
     * fast handler (the compiler shares work between the two paths); the
     * hot 64-bit forms have handlers of their own (fastops64.c) that call
     * mmu_fast_host64 directly. */
    if (__builtin_expect(cpu->s.mode == MODE_LONG64, 0))
        return false;
    uint64_t lin = (uint32_t)(s->base + off);
    unsigned user = cpu->s.cpl == 3;
    const struct tlb_entry *e =
        &cpu->tlb.e[0][0] + (user * TLB_SIZE + ((lin >> 12) & (TLB_SIZE - 1)));
    *host = (uint8_t *)(e->addend + lin);
    return __builtin_expect((s->attr & MMU_SEG_FAST_MASK) == MMU_SEG_FAST_WANT &&
                            (uint64_t)off + (size - 1) <= s->limit &&
                            e->tag[acc] == ((lin & ~(uint64_t)0xfff) | 1u) &&
                            (lin & 0xfffu) <= 4096u - size &&
                            !(user && (lin & (size - 1))), 1);
}

static inline __attribute__((always_inline))
uint64_t mmu_host_ld(const uint8_t *p, unsigned size)
{
    if (size == 1)
        return *p;
    if (size == 2) {
        uint16_t v;
        __builtin_memcpy(&v, p, 2);
        return v;
    }
    if (size == 8) {
        uint64_t v;
        __builtin_memcpy(&v, p, 8);
        return v;
    }
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

static inline __attribute__((always_inline))
void mmu_host_st(uint8_t *p, uint64_t v, unsigned size)
{
    if (size == 1) {
        *p = (uint8_t)v;
    } else if (size == 2) {
        uint16_t x = (uint16_t)v;
        __builtin_memcpy(p, &x, 2);
    } else if (size == 8) {
        __builtin_memcpy(p, &v, 8);
    } else {
        uint32_t x = (uint32_t)v;
        __builtin_memcpy(p, &x, 4);
    }
}

/* Size-generic forms, size in bytes 1/2/4/8 (8: 64-bit operands). */
static inline __attribute__((always_inline))
uint64_t cpu_rd(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    uint8_t *p;
    if (mmu_fast_host(cpu, seg, off, size, ACC_READ, &p))
        return mmu_host_ld(p, size);
    if (size == 8)
        return cpu_rd64(cpu, seg, off);
    return cpu_rd_slow(cpu, seg, off, size);
}

static inline __attribute__((always_inline))
void cpu_wr(struct cpu *cpu, int seg, uint64_t off, uint64_t v, unsigned size)
{
    uint8_t *p;
    if (mmu_fast_host(cpu, seg, off, size, ACC_WRITE, &p))
        mmu_host_st(p, v, size);
    else if (size == 8)
        cpu_wr64(cpu, seg, off, v);
    else
        cpu_wr_slow(cpu, seg, off, (uint32_t)v, size);
}

/* The read of a read-modify-write instruction's memory destination (ALU
 * ops but CMP, INC/DEC/NOT/NEG, shifts, BTS/BTR/BTC, XCHG, XADD, CMPXCHG,
 * CMPXCHG8B): hardware reads with write intent, so the segment and page
 * checks are those of a write and a #PF there reports W=1 (found by
 * tests/unit/cpu/diff_test.c against the host CPU). */
static inline __attribute__((always_inline))
uint64_t cpu_rd_rmw(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    uint8_t *p;
    if (mmu_fast_host(cpu, seg, off, size, ACC_WRITE, &p))
        return mmu_host_ld(p, size);
    if (size == 8)
        return cpu_rd64_rmw(cpu, seg, off);
    return cpu_rd_rmw_slow(cpu, seg, off, size);
}

/* The same in code known to run in 64-bit mode (the 64-bit fast handlers,
 * the recompiler's helpers): mmu_fast_host64 without the mode test, then
 * the full path. */
static inline __attribute__((always_inline))
uint64_t cpu_rd_long64(struct cpu *cpu, int seg, uint64_t ea, unsigned size)
{
    uint8_t *p;
    if (__builtin_expect(mmu_fast_host64(cpu, seg, ea, size, ACC_READ, &p), 1))
        return mmu_host_ld(p, size);
    return size == 8 ? cpu_rd64(cpu, seg, ea) : cpu_rd_slow(cpu, seg, ea, size);
}

static inline __attribute__((always_inline))
uint64_t cpu_rd_rmw_long64(struct cpu *cpu, int seg, uint64_t ea, unsigned size)
{
    uint8_t *p;
    if (__builtin_expect(mmu_fast_host64(cpu, seg, ea, size, ACC_WRITE, &p), 1))
        return mmu_host_ld(p, size);
    return size == 8 ? cpu_rd64_rmw(cpu, seg, ea) : cpu_rd_rmw_slow(cpu, seg, ea, size);
}

static inline __attribute__((always_inline))
void cpu_wr_long64(struct cpu *cpu, int seg, uint64_t ea, uint64_t v, unsigned size)
{
    uint8_t *p;
    if (__builtin_expect(mmu_fast_host64(cpu, seg, ea, size, ACC_WRITE, &p), 1))
        mmu_host_st(p, v, size);
    else if (size == 8)
        cpu_wr64(cpu, seg, ea, v);
    else
        cpu_wr_slow(cpu, seg, ea, (uint32_t)v, size);
}

static inline uint8_t cpu_rd8(struct cpu *cpu, int seg, uint64_t off)
{ return (uint8_t)cpu_rd(cpu, seg, off, 1); }
static inline uint16_t cpu_rd16(struct cpu *cpu, int seg, uint64_t off)
{ return (uint16_t)cpu_rd(cpu, seg, off, 2); }
static inline uint32_t cpu_rd32(struct cpu *cpu, int seg, uint64_t off)
{ return cpu_rd(cpu, seg, off, 4); }
static inline void cpu_wr8(struct cpu *cpu, int seg, uint64_t off, uint8_t v)
{ cpu_wr(cpu, seg, off, v, 1); }
static inline void cpu_wr16(struct cpu *cpu, int seg, uint64_t off, uint16_t v)
{ cpu_wr(cpu, seg, off, v, 2); }
static inline void cpu_wr32(struct cpu *cpu, int seg, uint64_t off, uint32_t v)
{ cpu_wr(cpu, seg, off, v, 4); }

/* Check that [off, off+size) may be written through seg (segment and
 * paging) without writing; for read-modify-write instructions and for
 * multi-part stores that must fault before any part is stored. */
void cpu_check_write(struct cpu *cpu, int seg, uint64_t off, unsigned size);
void cpu_check_read(struct cpu *cpu, int seg, uint64_t off, unsigned size);

/* Segment check only: returns the linear address or raises #GP/#SS. */
uint64_t seg_linear(struct cpu *cpu, int seg, uint64_t off, unsigned size, int acc);

/* Linear accesses. `user` selects a user-mode (CPL 3) paging check; system
 * structure accesses (descriptor tables, TSS, IDT) pass user = 0. */
uint8_t  lin_rd8 (struct cpu *cpu, uint64_t lin, int user);
uint16_t lin_rd16(struct cpu *cpu, uint64_t lin, int user);
uint32_t lin_rd32(struct cpu *cpu, uint64_t lin, int user);
uint64_t lin_rd64(struct cpu *cpu, uint64_t lin, int user);
void lin_wr8 (struct cpu *cpu, uint64_t lin, uint8_t v, int user);
void lin_wr16(struct cpu *cpu, uint64_t lin, uint16_t v, int user);
void lin_wr32(struct cpu *cpu, uint64_t lin, uint32_t v, int user);
void lin_wr64(struct cpu *cpu, uint64_t lin, uint64_t v, int user);

/* Translate a linear address for an access kind, raising #PF on failure.
 * Sets accessed/dirty bits. Returns the physical address. */
uint64_t mmu_translate(struct cpu *cpu, uint64_t lin, int acc, int user);

/* Non-faulting translation for debuggers and traces: returns false when the
 * page is not mapped. Touches no A/D bits. */
bool mmu_probe(struct cpu *cpu, uint64_t lin, uint64_t *phys);

/* Instruction fetch of up to `len` bytes at linear `lin` into buf; raises
 * #PF/#GP as a fetch would. Used by the decoder slow path. */
void mmu_fetch(struct cpu *cpu, uint64_t lin, uint8_t *buf, unsigned len);

/* Host pointer to the start of the code page holding `lin` when it is RAM
 * or ROM (NULL otherwise, e.g. MMIO); *phys gets the page's physical
 * address. Raises #PF like a fetch. */
const uint8_t *mmu_code_page(struct cpu *cpu, uint64_t lin, uint64_t *phys);

/* Empty the TLB and register tlb_map_changed() as cpu->mem's map_changed
 * callback. cpu_init() calls it once cpu->mem is set. */
void mmu_init(struct cpu *cpu);
void tlb_map_changed(void *opaque);         /* opaque = struct cpu * */

/* TLB maintenance. */
/* Why the TLB was flushed, for cpu->tlb_flushed: raw mode's shadow
 * follows the guest's tables by watching writes to them, so it only cares
 * when the way tables are read (or RAM is placed) changes. */
enum tlb_flush {
    TLB_FLUSH_PAGE,     /* INVLPG of one page */
    TLB_FLUSH_SPACE,    /* MOV CR3, a task switch: another set of tables */
    TLB_FLUSH_GLOBAL,   /* CR4.PGE toggled: entries go, the tables stay */
    TLB_FLUSH_MAP,      /* paging mode, A20, the physical map, reset */
};
void tlb_flush_all(struct cpu *cpu);        /* incl. global pages */
void tlb_flush_global(struct cpu *cpu);     /* the same, for a CR4.PGE toggle */
void tlb_flush_nonglobal(struct cpu *cpu);  /* MOV CR3 */
/* Move tlb.gen[k] on (the recompiler's jump cache and checked exits hold
 * its values); a wrap to 0 calls cpu->gen_wrapped. */
void tlb_gen_bump(struct cpu *cpu, unsigned k);
void tlb_flush_page(struct cpu *cpu, uint64_t lin);  /* INVLPG */

/* Stack helpers: push/pop using SS and the stack size (SS.B). They check
 * before writing and update ESP only after the access succeeded. */
void cpu_push(struct cpu *cpu, unsigned size, uint64_t v);   /* size 2, 4, 8 */
uint64_t cpu_pop(struct cpu *cpu, unsigned size);
void cpu_push16(struct cpu *cpu, uint16_t v);
void cpu_push32(struct cpu *cpu, uint32_t v);
uint16_t cpu_pop16(struct cpu *cpu);
uint32_t cpu_pop32(struct cpu *cpu);
/* Read a stack slot at ESP+off without popping (for multi-pop instructions
 * that must fault before changing ESP). */
uint64_t cpu_stack_peek(struct cpu *cpu, uint64_t off, unsigned size);
/* Current stack pointer masked by stack size, and a setter that honours it. */
uint64_t cpu_get_sp(const struct cpu *cpu);
void cpu_set_sp(struct cpu *cpu, uint64_t sp);

#endif
