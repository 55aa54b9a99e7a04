/* Integer ALU computation helpers (src/cpu/alu.c and the other arithmetic
 * families: shift.c, muldiv.c, bcd.c, bitops.c; string.c may use them for
 * CMPS/SCAS).
 *
 * Each alu_xxx() computes a result of `size` bytes (1, 2, 4), records the
 * lazy flags (flags.h) and returns the result. Handlers that write memory
 * must not record flags before the write can fault: they use alu_calc()
 * which returns the result and the lazy op without recording, write, then
 * call flags_lazy(). Operands passed in must already be truncated to size. */
#ifndef RAWBOX_CPU_ALU_H
#define RAWBOX_CPU_ALU_H

#include <stdint.h>
#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"
#include "cpu/except.h"

/* ALU operation numbers: the ModRM.reg field of group 1 and bits 3..5 of
 * opcodes 00..3F. */
enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

static inline uint64_t sz_mask(unsigned size)
{
    return ~(uint64_t)0 >> (64 - (size << 3));
}

/* Sign-extend a size-byte value to 64 bits. */
static inline uint64_t sz_sext(uint64_t v, unsigned size)
{
    unsigned sh = 64 - (size << 3);
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

/* Fill a lazy record that is committed later (after a store). */
static inline void flags_lazy_rec(struct lazyflags *lf, unsigned op, unsigned size,
                                  uint64_t src1, uint64_t src2, uint64_t res)
{
    lf->op = (uint8_t)op;
    lf->size = (uint8_t)size;
    lf->src1 = src1;
    lf->src2 = src2;
    lf->res = res;
}

/* Compute one of the eight group-1 operations; *lop gets the lazy op.
 * Reads CF for ADC/SBB (before anything is written). */
static inline __attribute__((always_inline))
uint64_t alu_calc(struct cpu *cpu, unsigned op, unsigned size, uint64_t a, uint64_t b,
                  unsigned *lop)
{
    uint64_t m = sz_mask(size);
    switch (op & 7) {
    case ALU_ADD: *lop = LF_ADD; return (a + b) & m;
    case ALU_OR:  *lop = LF_LOGIC; return a | b;
    case ALU_ADC: *lop = LF_ADC; return (a + b + flag_cf(cpu)) & m;
    case ALU_SBB: *lop = LF_SBB; return (a - b - flag_cf(cpu)) & m;
    case ALU_AND: *lop = LF_LOGIC; return a & b;
    case ALU_SUB:
    case ALU_CMP: *lop = LF_SUB; return (a - b) & m;
    default:      *lop = LF_LOGIC; return a ^ b;
    }
}

/* Compute, record flags, return the result (register destinations). */
static inline __attribute__((always_inline))
uint64_t alu_op(struct cpu *cpu, unsigned op, unsigned size, uint64_t a, uint64_t b)
{
    unsigned lop;
    uint64_t r = alu_calc(cpu, op, size, a, b, &lop);
    flags_lazy(cpu, (enum lazy_op)lop, size, a, b, r);
    return r;
}

static inline uint64_t alu_add(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_ADD, size, a, b); }
static inline uint64_t alu_adc(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_ADC, size, a, b); }
static inline uint64_t alu_sub(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_SUB, size, a, b); }
static inline uint64_t alu_sbb(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_SBB, size, a, b); }
static inline uint64_t alu_and(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_AND, size, a, b); }
static inline uint64_t alu_or(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_OR, size, a, b); }
static inline uint64_t alu_xor(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ return alu_op(cpu, ALU_XOR, size, a, b); }
/* CMP: flags of a - b, nothing written. */
static inline void alu_cmp(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{ (void)alu_op(cpu, ALU_CMP, size, a, b); }

static inline uint64_t alu_inc(struct cpu *cpu, unsigned size, uint64_t a)
{
    uint64_t r = (a + 1) & sz_mask(size);
    flags_lazy(cpu, LF_INC, size, a, flag_cf(cpu), r);
    return r;
}
static inline uint64_t alu_dec(struct cpu *cpu, unsigned size, uint64_t a)
{
    uint64_t r = (a - 1) & sz_mask(size);
    flags_lazy(cpu, LF_DEC, size, a, flag_cf(cpu), r);
    return r;
}
static inline uint64_t alu_neg(struct cpu *cpu, unsigned size, uint64_t a)
{
    uint64_t r = (0 - a) & sz_mask(size);
    flags_lazy(cpu, LF_SUB, size, 0, a, r);
    return r;
}

/* Pending flag update of a shift or rotate, applied after the result was
 * stored (shift.c). op: SHP_KEEP = count was 0, no change; LF_NONE = set
 * CF and OF in the (already materialised) eflags from `bits`; otherwise a
 * lazy record. */
#define SHP_KEEP 0xff
struct shift_pend {
    struct lazyflags lf;
    uint32_t bits;
};
static inline void shift_commit(struct cpu *cpu, const struct shift_pend *p)
{
    if (p->lf.op == LF_NONE)
        cpu->s.rflags = (cpu->s.rflags & ~(FL_CF | FL_OF)) | p->bits;
    else if (p->lf.op != SHP_KEEP)
        cpu->s.lf = p->lf;
}

/* Shift/rotate kinds: the ModRM.reg field of group 2 (6 = SAL alias). */
enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

/* Compute a group-2 operation on a size-byte value with the raw count
 * (masked to 5 bits inside, 6 for size 8); fills *p, returns the result. */
uint64_t shift_calc(struct cpu *cpu, unsigned kind, unsigned size, uint64_t a,
                    unsigned count, struct shift_pend *p);
/* SHLD (left = 1) / SHRD (left = 0) of dest by count with bits from src. */
uint64_t shiftd_calc(struct cpu *cpu, int left, unsigned size, uint64_t dst, uint64_t src,
                     unsigned count, struct shift_pend *p);

/* muldiv.c */
void muldiv_mul(struct cpu *cpu, unsigned size, int sign, uint64_t src);
uint64_t muldiv_imul(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b);
bool muldiv_div(struct cpu *cpu, unsigned size, int sign, uint64_t src);

/* bcd.c: operate on AL/AH and the flags; bcd_aam returns false for #DE. */
void bcd_daa(struct cpu *cpu);
void bcd_das(struct cpu *cpu);
void bcd_aaa(struct cpu *cpu);
void bcd_aas(struct cpu *cpu);
bool bcd_aam(struct cpu *cpu, uint8_t base);
void bcd_aad(struct cpu *cpu, uint8_t base);

/* bitops.c */
enum { BT_BT, BT_BTS, BT_BTR, BT_BTC };
/* BSF (rev = 0) / BSR (rev = 1): returns false (ZF=1, dest unchanged) for
 * a zero source, else true with *idx set; flags recorded. */
bool bitops_bsf(struct cpu *cpu, int rev, unsigned size, uint64_t src, uint32_t *idx);

/* ---- operand access for ModRM forms ---- */

static inline uint64_t alu_rm_read(struct cpu *cpu, const struct insn *i, unsigned size)
{
    if (i->mod == 3)
        return reg_get(cpu, i->rm, size);
    return cpu_rd(cpu, i->seg, insn_ea(cpu, i), size);
}

/* LOCK: the decoder (decode.c) turns LOCK on a form without F_LOCKABLE, or
 * with a register destination, into #UD, so handlers need no check. */

#endif
