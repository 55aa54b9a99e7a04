/* Guest memory accesses made by instructions: logical (segment:offset),
 * linear (through the TLB and paging) and the stack helpers.
 *
 * Segment checks (Intel SDM vol. 3A 5.3, 5.4, 3.4.5.1): in protected mode a
 * segment register whose cache is not valid (null selector loaded: the
 * segment code clears SEGA_P) faults, writes need a writable data segment,
 * reads of code need the readable bit; in every mode the offset range is
 * checked against the cached limit, expand-down segments accepting
 * limit+1..0xFFFF or ..0xFFFFFFFF by the B bit. Real and V86 mode skip the
 * type checks (as the hidden cache is used as loaded) but keep the limit,
 * which is what makes unreal mode work and real-mode overruns fault. A
 * failing check raises #SS(0) for SS and #GP(0) otherwise. Alignment check
 * (#AC(0)) applies at CPL 3 with CR0.AM and EFLAGS.AC.
 *
 * Linear accesses use the TLB fast path (one compare, one add) and fall
 * back to a page walk; accesses that cross a page are split, translating
 * both pages before touching either, so a fault leaves memory unchanged.
 *
 * In 64-bit mode (SDM vol. 3A 3.4.4, 5.3.1; APM vol. 2 4.12): no segment
 * type or limit checks, the bases of ES, CS, SS and DS count as zero (FS
 * and GS keep theirs, from the segment load or the FS_BASE/GS_BASE MSRs),
 * and every access whose first or last byte is at a non-canonical address
 * raises #SS(0) through SS and #GP(0) otherwise: this is the one place the
 * canonical rule of data accesses is applied.
 *
 * Left out: split locked accesses (we are single-threaded per vCPU, so
 * LOCK needs nothing here).
 */
#include <string.h>

#include "cpu/debug.h"
#include "cpu/except.h"
#include "cpu/longmode.h"
#include "cpu/mmu.h"
#include "cpu/paging.h"
#include "mem/physmem.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ---- segment checks ---- */

_Noreturn static void seg_fault(struct cpu *cpu, int seg)
{
    if (seg == SEG_SS)
        except_ss(cpu, 0);
    except_gp(cpu, 0);
}

static inline void alignment_check(struct cpu *cpu, uint64_t lin, unsigned size)
{
    if (unlikely(cpu->s.cpl == 3) && (lin & (size - 1)) &&
        (cpu->s.cr0 & CR0_AM) && (cpu->s.rflags & FL_AC))
        except_raise(cpu, EXC_AC, 0);
}

/* 64-bit mode: base 0 but for FS and GS, no limit, canonical first and
 * last byte. */
static uint64_t seg_check_64(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    uint64_t lin = off + (seg == SEG_FS || seg == SEG_GS ? cpu->s.seg[seg].base : 0);
    if (!is_canonical(lin) || !is_canonical(lin + size - 1))
        seg_fault(cpu, seg);
    alignment_check(cpu, lin, size);
    return lin;
}

static inline uint64_t seg_check(struct cpu *cpu, int seg, uint64_t off,
                                 unsigned size, int acc)
{
    const struct seg *s = &cpu->s.seg[seg];
    unsigned a = s->attr;
    if (unlikely(cpu->s.mode == MODE_LONG64))
        return seg_check_64(cpu, seg, off, size);
    if (mode_is_prot(cpu->s.mode)) {
        if (unlikely(!(a & SEGA_P) || !(a & SEGA_S)))
            seg_fault(cpu, seg);
        if (a & 8) {            /* code: never writable, readable if R */
            if (unlikely(acc == ACC_WRITE || !(a & 2)))
                seg_fault(cpu, seg);
        } else if (acc == ACC_WRITE && unlikely(!(a & 2))) {
            seg_fault(cpu, seg);
        }
    }
    if (unlikely((a & 0x1c) == 0x14)) {     /* data, expand-down */
        uint32_t upper = (a & SEGA_DB) ? 0xffffffffu : 0xffffu;
        if (off <= s->limit || off > upper || size - 1 > upper - off)
            seg_fault(cpu, seg);
    } else if (unlikely(off > s->limit || size - 1 > s->limit - off)) {
        seg_fault(cpu, seg);
    }
    uint64_t lin = (uint32_t)(s->base + off);
    alignment_check(cpu, lin, size);
    return lin;
}

uint64_t seg_linear(struct cpu *cpu, int seg, uint64_t off, unsigned size, int acc)
{
    return seg_check(cpu, seg, off, size, acc);
}

/* ---- translation ---- */

static inline struct tlb_entry *tlb_slot(struct cpu *cpu, uint64_t lin, int user)
{
    return &cpu->tlb.e[user][(lin >> 12) & (TLB_SIZE - 1)];
}

/* The TLB entry for `lin` allowing `acc`, walking the tables on a miss. */
static struct tlb_entry *translate(struct cpu *cpu, uint64_t lin, int acc, int user)
{
    struct tlb_entry *e = tlb_slot(cpu, lin, user);
    if (e->vpage == ((lin & ~(uint64_t)0xfff) | 1u) && (e->perm & (1u << acc)))
        return e;
    struct walk w;
    paging_walk(cpu, lin, acc, user, true, &w);
    return tlb_fill(cpu, lin, user, &w);
}

uint64_t mmu_translate(struct cpu *cpu, uint64_t lin, int acc, int user)
{
    return translate(cpu, lin, acc, user ? 1 : 0)->paddr | (lin & 0xfffu);
}

bool mmu_probe(struct cpu *cpu, uint64_t lin, uint64_t *phys)
{
    struct walk w;
    if (!paging_walk(cpu, lin, ACC_READ, 0, false, &w))
        return false;
    *phys = physmem_a20(cpu->mem, w.paddr | (lin & 0xfffu));
    return true;
}

static inline uint64_t host_load(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static inline void host_store(uint8_t *p, uint64_t v, unsigned size)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

static uint64_t lin_read_slow(struct cpu *cpu, uint64_t lin, unsigned size,
                              int user, int acc)
{
    unsigned off = lin & 0xfffu;
    if (off + size <= PAGE_SIZE) {
        struct tlb_entry *e = translate(cpu, lin, acc, user);
        if (unlikely(cpu->tlb.bp_data))
            debug_data_access(cpu, lin, size, acc);
        if (e->tag[acc] == ((lin & ~(uint64_t)0xfff) | 1u))
            return host_load((const uint8_t *)(e->addend + lin), size);
        return physmem_read(cpu->mem, e->paddr | off, size);
    }
    unsigned n1 = PAGE_SIZE - off;
    uint64_t pa1 = translate(cpu, lin, acc, user)->paddr | off;
    uint64_t pa2 = translate(cpu, lin_wrap(cpu, lin + n1), acc, user)->paddr;
    if (unlikely(cpu->tlb.bp_data))
        debug_data_access(cpu, lin, size, acc);
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t pa = k < n1 ? pa1 + k : pa2 + (k - n1);
        v |= physmem_read(cpu->mem, pa, 1) << (8 * k);
    }
    return v;
}

static void lin_write_slow(struct cpu *cpu, uint64_t lin, uint64_t v, unsigned size,
                           int user)
{
    unsigned off = lin & 0xfffu;
    if (off + size <= PAGE_SIZE) {
        struct tlb_entry *e = translate(cpu, lin, ACC_WRITE, user);
        if (unlikely(cpu->tlb.bp_data))
            debug_data_access(cpu, lin, size, ACC_WRITE);
        if (e->tag[ACC_WRITE] == ((lin & ~(uint64_t)0xfff) | 1u))
            host_store((uint8_t *)(e->addend + lin), v, size);
        else
            physmem_write(cpu->mem, e->paddr | off, v, size);
        return;
    }
    unsigned n1 = PAGE_SIZE - off;
    uint64_t pa1 = translate(cpu, lin, ACC_WRITE, user)->paddr | off;
    uint64_t pa2 = translate(cpu, lin_wrap(cpu, lin + n1), ACC_WRITE, user)->paddr;
    if (unlikely(cpu->tlb.bp_data))
        debug_data_access(cpu, lin, size, ACC_WRITE);
    for (unsigned k = 0; k < size; k++) {
        uint64_t pa = k < n1 ? pa1 + k : pa2 + (k - n1);
        physmem_write(cpu->mem, pa, (v >> (8 * k)) & 0xff, 1);
    }
}

static inline uint64_t lin_read(struct cpu *cpu, uint64_t lin, unsigned size, int user)
{
    struct tlb_entry *e = tlb_slot(cpu, lin, user);
    if (likely(e->tag[ACC_READ] == ((lin & ~(uint64_t)0xfff) | 1u) &&
               (lin & 0xfffu) <= PAGE_SIZE - size))
        return host_load((const uint8_t *)(e->addend + lin), size);
    return lin_read_slow(cpu, lin, size, user, ACC_READ);
}

static inline void lin_write(struct cpu *cpu, uint64_t lin, uint64_t v, unsigned size,
                             int user)
{
    struct tlb_entry *e = tlb_slot(cpu, lin, user);
    if (likely(e->tag[ACC_WRITE] == ((lin & ~(uint64_t)0xfff) | 1u) &&
               (lin & 0xfffu) <= PAGE_SIZE - size)) {
        host_store((uint8_t *)(e->addend + lin), v, size);
        return;
    }
    lin_write_slow(cpu, lin, v, size, user);
}

/* Translate every page of [lin, lin+size) for `acc` without accessing. */
static void lin_check(struct cpu *cpu, uint64_t lin, unsigned size, int acc, int user)
{
    translate(cpu, lin, acc, user);
    uint64_t last = lin_wrap(cpu, lin + size - 1);
    /* The second page is entered at its first byte: a #PF there reports
     * that address in CR2, as the hardware does for a split access. */
    if ((last ^ lin) & ~(uint64_t)0xfff)
        translate(cpu, last & ~(uint64_t)0xfff, acc, user);
}

/* ---- linear API ---- */

uint8_t lin_rd8(struct cpu *cpu, uint64_t lin, int user)
{
    return (uint8_t)lin_read(cpu, lin, 1, user ? 1 : 0);
}
uint16_t lin_rd16(struct cpu *cpu, uint64_t lin, int user)
{
    return (uint16_t)lin_read(cpu, lin, 2, user ? 1 : 0);
}
uint32_t lin_rd32(struct cpu *cpu, uint64_t lin, int user)
{
    return (uint32_t)lin_read(cpu, lin, 4, user ? 1 : 0);
}
uint64_t lin_rd64(struct cpu *cpu, uint64_t lin, int user)
{
    return lin_read(cpu, lin, 8, user ? 1 : 0);
}
void lin_wr8(struct cpu *cpu, uint64_t lin, uint8_t v, int user)
{
    lin_write(cpu, lin, v, 1, user ? 1 : 0);
}
void lin_wr16(struct cpu *cpu, uint64_t lin, uint16_t v, int user)
{
    lin_write(cpu, lin, v, 2, user ? 1 : 0);
}
void lin_wr32(struct cpu *cpu, uint64_t lin, uint32_t v, int user)
{
    lin_write(cpu, lin, v, 4, user ? 1 : 0);
}
void lin_wr64(struct cpu *cpu, uint64_t lin, uint64_t v, int user)
{
    lin_write(cpu, lin, v, 8, user ? 1 : 0);
}

/* ---- logical API ---- */

#define CPL_USER(cpu) ((cpu)->s.cpl == 3)

uint64_t cpu_rd64(struct cpu *cpu, int seg, uint64_t off)
{
    return lin_read(cpu, seg_check(cpu, seg, off, 8, ACC_READ), 8, CPL_USER(cpu));
}
void cpu_wr64(struct cpu *cpu, int seg, uint64_t off, uint64_t v)
{
    lin_write(cpu, seg_check(cpu, seg, off, 8, ACC_WRITE), v, 8, CPL_USER(cpu));
}

uint32_t cpu_rd_slow(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    return (uint32_t)lin_read(cpu, seg_check(cpu, seg, off, size, ACC_READ), size,
                              CPL_USER(cpu));
}

void cpu_wr_slow(struct cpu *cpu, int seg, uint64_t off, uint32_t v, unsigned size)
{
    lin_write(cpu, seg_check(cpu, seg, off, size, ACC_WRITE), v, size, CPL_USER(cpu));
}

/* Write-intent read: the TLB write tag on the fast path, else the slow
 * path translating for ACC_WRITE (which also sets the dirty bit, as the
 * store that follows would). */
static inline uint64_t lin_read_rmw(struct cpu *cpu, uint64_t lin, unsigned size, int user)
{
    struct tlb_entry *e = tlb_slot(cpu, lin, user);
    if (likely(e->tag[ACC_WRITE] == ((lin & ~(uint64_t)0xfff) | 1u) &&
               (lin & 0xfffu) <= PAGE_SIZE - size))
        return host_load((const uint8_t *)(e->addend + lin), size);
    return lin_read_slow(cpu, lin, size, user, ACC_WRITE);
}

uint32_t cpu_rd_rmw_slow(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    return (uint32_t)lin_read_rmw(cpu, seg_check(cpu, seg, off, size, ACC_WRITE), size,
                                  CPL_USER(cpu));
}

uint64_t cpu_rd64_rmw(struct cpu *cpu, int seg, uint64_t off)
{
    return lin_read_rmw(cpu, seg_check(cpu, seg, off, 8, ACC_WRITE), 8, CPL_USER(cpu));
}

void cpu_check_write(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    lin_check(cpu, seg_check(cpu, seg, off, size, ACC_WRITE), size, ACC_WRITE,
              CPL_USER(cpu));
}

void cpu_check_read(struct cpu *cpu, int seg, uint64_t off, unsigned size)
{
    lin_check(cpu, seg_check(cpu, seg, off, size, ACC_READ), size, ACC_READ,
              CPL_USER(cpu));
}

/* ---- instruction fetch ---- */

/* A fetch from a non-canonical address in 64-bit mode: #GP(0), before
 * the instruction (one reached by falling through, or running across
 * the end of the lower half: SDM vol. 1 3.3.7.1, vol. 3A 6.15). The walk
 * would use bits 47:12 alone; only canonical pages get fast tags, so
 * every such fetch comes here. */
static void fetch_canonical(struct cpu *cpu, uint64_t lin)
{
    if (cpu->s.mode == MODE_LONG64 && !is_canonical(lin))
        except_gp(cpu, 0);
}

void mmu_fetch(struct cpu *cpu, uint64_t lin, uint8_t *buf, unsigned len)
{
    int user = CPL_USER(cpu);
    while (len) {
        unsigned off = lin & 0xfffu;
        unsigned n = PAGE_SIZE - off;
        if (n > len)
            n = len;
        fetch_canonical(cpu, lin);
        struct tlb_entry *e = translate(cpu, lin, ACC_EXEC, user);
        if (e->tag[ACC_EXEC] == ((lin & ~(uint64_t)0xfff) | 1u)) {
            memcpy(buf, (const uint8_t *)(e->addend + lin), n);
        } else {
            for (unsigned k = 0; k < n; k++)
                buf[k] = (uint8_t)physmem_read(cpu->mem, e->paddr | (off + k), 1);
        }
        buf += n;
        len -= n;
        lin += n;
    }
}

/* The page becomes a code page here: it is marked in physmem (so later
 * TLB fills keep writes on the slow path) and any write fast path already
 * cached for it is dropped, so every store to it reaches physmem_write and
 * the decode-cache invalidation. */
const uint8_t *mmu_code_page(struct cpu *cpu, uint64_t lin, uint64_t *phys)
{
    fetch_canonical(cpu, lin);
    struct tlb_entry *e = translate(cpu, lin, ACC_EXEC, CPL_USER(cpu));
    uint64_t page = lin & ~(uint64_t)0xfff;
    *phys = e->paddr;
    if (e->tag[ACC_EXEC] != (page | 1u))
        return NULL;
    if (physmem_mark(cpu->mem, e->paddr, PHYSMEM_MARK_CODE))
        tlb_drop_write_phys(cpu, e->paddr);
    return (const uint8_t *)(e->addend + page);
}

/* ---- stack ---- */

/* The stack pointer's width: RSP in 64-bit mode (SDM vol. 1 3.4.1.1 and
 * 6.2.5), else ESP or SP by SS.B. */
static inline uint64_t sp_mask(const struct cpu *cpu)
{
    if (cpu->s.stack_size == 8)
        return ~(uint64_t)0;
    return (cpu->s.seg[SEG_SS].attr & SEGA_DB) ? 0xffffffffu : 0xffffu;
}

uint64_t cpu_get_sp(const struct cpu *cpu)
{
    return cpu->s.gpr[R_ESP] & sp_mask(cpu);
}

void cpu_set_sp(struct cpu *cpu, uint64_t sp)
{
    if (cpu->s.stack_size == 8)
        set_reg64(cpu, R_ESP, sp);
    else if (cpu->s.seg[SEG_SS].attr & SEGA_DB)
        set_reg32(cpu, R_ESP, (uint32_t)sp);
    else
        set_reg16(cpu, R_ESP, (uint16_t)sp);
}

void cpu_push(struct cpu *cpu, unsigned size, uint64_t v)
{
    uint64_t sp = (cpu_get_sp(cpu) - size) & sp_mask(cpu);
    cpu_wr(cpu, SEG_SS, sp, v, size);
    cpu_set_sp(cpu, sp);
}

uint64_t cpu_pop(struct cpu *cpu, unsigned size)
{
    uint64_t sp = cpu_get_sp(cpu);
    uint64_t v = cpu_rd(cpu, SEG_SS, sp, size);
    cpu_set_sp(cpu, sp + size);
    return v;
}

void cpu_push16(struct cpu *cpu, uint16_t v) { cpu_push(cpu, 2, v); }
void cpu_push32(struct cpu *cpu, uint32_t v) { cpu_push(cpu, 4, v); }
uint16_t cpu_pop16(struct cpu *cpu) { return (uint16_t)cpu_pop(cpu, 2); }
uint32_t cpu_pop32(struct cpu *cpu) { return (uint32_t)cpu_pop(cpu, 4); }

uint64_t cpu_stack_peek(struct cpu *cpu, uint64_t off, unsigned size)
{
    return cpu_rd(cpu, SEG_SS, (cpu_get_sp(cpu) + off) & sp_mask(cpu), size);
}
