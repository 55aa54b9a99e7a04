/* Bit and conditional instructions: BT/BTS/BTR/BTC (0F A3/AB/B3/BB with a
 * register bit offset, 0F BA /4../7 with an immediate), BSF/BSR (0F BC/BD),
 * BSWAP (0F C8+r), SETcc (0F 90-9F), CMOVcc (0F 40-4F), XADD (0F C0/C1),
 * CMPXCHG (0F B0/B1), CMPXCHG8B (0F C7 /1).
 *
 * Intel SDM vol. 2. A register bit offset addresses memory beyond the
 * operand: the offset is signed and selects the word/dword at
 * EA + (offset >> 4) * 2 (or >> 5, * 4), wrapped to the address size; an
 * immediate offset is taken modulo the operand width. P6 choices for what
 * the SDM leaves open (flags.c table): BT* change CF only; BSF/BSR with a
 * zero source set ZF and leave the destination and other flags alone;
 * BSWAP of a 16-bit register clears the low word; CMOVcc always reads its
 * source (a memory source can fault even when the condition is false);
 * CMPXCHG and CMPXCHG8B always write the destination (the old value when the
 * compare fails), as the bus-locked P6 implementation does.
 * LOCK validity is checked by the decoder.
 */
#include "cpu/alu.h"
#include "cpu/cpuid.h"

/* ---- BT / BTS / BTR / BTC ---- */

static inline uint64_t bt_apply(unsigned kind, uint64_t v, uint64_t bit)
{
    switch (kind) {
    case BT_BTS: return v | bit;
    case BT_BTR: return v & ~bit;
    case BT_BTC: return v ^ bit;
    default:     return v;
    }
}

/* `off` is the bit offset; `reg_offset` selects the signed memory
 * displacement rule of the register forms. */
static void bt_common(struct cpu *cpu, const struct insn *i, unsigned kind, uint64_t off,
                      int reg_offset)
{
    unsigned size = i->opsize, bits = size << 3;
    uint64_t v, bit, nv;

    if (i->mod == 3) {
        bit = (uint64_t)1 << (off & (bits - 1));
        v = reg_get(cpu, i->rm, size);
        if (kind != BT_BT)
            reg_set(cpu, i->rm, size, bt_apply(kind, v, bit));
    } else {
        uint64_t ea = insn_ea(cpu, i);
        if (reg_offset) {
            int64_t s = (int64_t)sz_sext(off, size);
            /* Arithmetic shift of a negative offset selects lower units. */
            int64_t unit = s >> (size == 2 ? 4 : size == 4 ? 5 : 6);
            ea += (uint64_t)unit * size;
            ea &= sz_mask(i->adsize);
        }
        bit = (uint64_t)1 << (off & (bits - 1));
        v = kind == BT_BT ? cpu_rd(cpu, i->seg, ea, size) : cpu_rd_rmw(cpu, i->seg, ea, size);
        if (kind != BT_BT) {
            nv = bt_apply(kind, v, bit);
            cpu_wr(cpu, i->seg, ea, nv, size);
        }
    }
    flags_set_bits(cpu, FL_CF, (v & bit) != 0);
}

void op_bt_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    bt_common(cpu, i, BT_BT, reg_get(cpu, i->reg, i->opsize), 1);
}
void op_bts_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    bt_common(cpu, i, BT_BTS, reg_get(cpu, i->reg, i->opsize), 1);
}
void op_btr_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    bt_common(cpu, i, BT_BTR, reg_get(cpu, i->reg, i->opsize), 1);
}
void op_btc_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    bt_common(cpu, i, BT_BTC, reg_get(cpu, i->reg, i->opsize), 1);
}
void op_bt_Ev_Ib(struct cpu *cpu, const struct insn *i) { bt_common(cpu, i, BT_BT, i->imm, 0); }
void op_bts_Ev_Ib(struct cpu *cpu, const struct insn *i) { bt_common(cpu, i, BT_BTS, i->imm, 0); }
void op_btr_Ev_Ib(struct cpu *cpu, const struct insn *i) { bt_common(cpu, i, BT_BTR, i->imm, 0); }
void op_btc_Ev_Ib(struct cpu *cpu, const struct insn *i) { bt_common(cpu, i, BT_BTC, i->imm, 0); }

/* ---- BSF / BSR ---- */

bool bitops_bsf(struct cpu *cpu, int rev, unsigned size, uint64_t src, uint32_t *idx)
{
    if (src == 0) {
        flags_set_bits(cpu, FL_ZF, true);
        return false;
    }
    *idx = rev ? 63u - (unsigned)__builtin_clzll(src) : (unsigned)__builtin_ctzll(src);
    /* LF_SZP takes ZF from res == 0; bit 8 keeps it clear for index 0
     * without touching PF (low byte) or SF (bit 15/31). */
    flags_lazy(cpu, LF_SZP, size, 0, 0, *idx | 0x100);
    return true;
}

static void bsf_common(struct cpu *cpu, const struct insn *i, int rev)
{
    unsigned size = i->opsize;
    uint32_t idx;
    uint64_t src = alu_rm_read(cpu, i, size);
    if (bitops_bsf(cpu, rev, size, src, &idx))
        reg_set(cpu, i->reg, size, idx);
}

void op_bsf_Gv_Ev(struct cpu *cpu, const struct insn *i) { bsf_common(cpu, i, 0); }
void op_bsr_Gv_Ev(struct cpu *cpu, const struct insn *i) { bsf_common(cpu, i, 1); }

/* ---- BSWAP ---- */

void op_bswap_Zv(struct cpu *cpu, const struct insn *i)
{
    unsigned n = i->rm;
    if (i->opsize == 8)
        set_reg64(cpu, n, __builtin_bswap64(reg64(cpu, n)));
    else if (i->opsize == 4)
        set_reg32(cpu, n, __builtin_bswap32(reg32(cpu, n)));
    else
        set_reg16(cpu, n, 0);   /* undefined; a P6 zeroes the low word */
}

/* ---- SETcc / CMOVcc ---- */

void op_setcc_Eb(struct cpu *cpu, const struct insn *i)
{
    uint8_t v = cpu_cond(cpu, i->sub);
    if (i->mod == 3)
        set_reg8(cpu, i->rm, v);
    else
        cpu_wr8(cpu, i->seg, insn_ea(cpu, i), v);
}

void op_cmov_Gv_Ev(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t v = alu_rm_read(cpu, i, size);
    if (cpu_cond(cpu, i->sub))
        reg_set(cpu, i->reg, size, v);
    else if (size == 4)
        set_reg32(cpu, i->reg, reg32(cpu, i->reg));  /* written even when false */
}

/* ---- XADD / CMPXCHG / CMPXCHG8B ---- */

static void xadd_common(struct cpu *cpu, const struct insn *i, unsigned size)
{
    uint64_t b = reg_get(cpu, i->reg, size), a, r;

    if (i->mod == 3) {
        a = reg_get(cpu, i->rm, size);
        r = (a + b) & sz_mask(size);
        reg_set(cpu, i->reg, size, a);
        reg_set(cpu, i->rm, size, r);   /* DEST last: same register gets the sum */
    } else {
        uint64_t ea = insn_ea(cpu, i);
        a = cpu_rd_rmw(cpu, i->seg, ea, size);
        r = (a + b) & sz_mask(size);
        cpu_wr(cpu, i->seg, ea, r, size);
        reg_set(cpu, i->reg, size, a);
    }
    flags_lazy(cpu, LF_ADD, size, a, b, r);
}

void op_xadd_Eb_Gb(struct cpu *cpu, const struct insn *i) { xadd_common(cpu, i, 1); }
void op_xadd_Ev_Gv(struct cpu *cpu, const struct insn *i) { xadd_common(cpu, i, i->opsize); }

static void cmpxchg_common(struct cpu *cpu, const struct insn *i, unsigned size)
{
    uint64_t acc = reg_get(cpu, R_EAX, size), src = reg_get(cpu, i->reg, size), d;
    bool eq;

    if (i->mod == 3) {
        d = reg_get(cpu, i->rm, size);
        eq = d == acc;
        if (eq)
            reg_set(cpu, i->rm, size, src);
        else
            reg_set(cpu, R_EAX, size, d);
    } else {
        uint64_t ea = insn_ea(cpu, i);
        d = cpu_rd_rmw(cpu, i->seg, ea, size);
        eq = d == acc;
        cpu_wr(cpu, i->seg, ea, eq ? src : d, size);
        if (!eq)
            reg_set(cpu, R_EAX, size, d);
    }
    flags_lazy(cpu, LF_SUB, size, acc, d, (acc - d) & sz_mask(size));
}

void op_cmpxchg_Eb_Gb(struct cpu *cpu, const struct insn *i) { cmpxchg_common(cpu, i, 1); }
void op_cmpxchg_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    cmpxchg_common(cpu, i, i->opsize);
}

/* CMPXCHG16B (REX.W): RDX:RAX against m128, RCX:RBX stored on equality;
 * #GP(0) unless the operand is 16-byte aligned (SDM vol. 2 CMPXCHG8B/
 * CMPXCHG16B). Both halves are read for writing before anything changes. */
static void cmpxchg16b(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_ECX, 1u << 13))     /* CX16 */
        except_ud(cpu);
    uint64_t ea = insn_ea(cpu, i);
    if (ea & 15)
        except_gp(cpu, 0);
    uint64_t lo = cpu_rd64_rmw(cpu, i->seg, ea);
    uint64_t hi = cpu_rd64_rmw(cpu, i->seg, ea + 8);
    bool eq = lo == cpu->s.gpr[R_EAX] && hi == cpu->s.gpr[R_EDX];

    if (eq) {
        cpu_wr64(cpu, i->seg, ea, cpu->s.gpr[R_EBX]);
        cpu_wr64(cpu, i->seg, ea + 8, cpu->s.gpr[R_ECX]);
    } else {
        cpu_wr64(cpu, i->seg, ea, lo);
        cpu_wr64(cpu, i->seg, ea + 8, hi);
        cpu->s.gpr[R_EAX] = lo;
        cpu->s.gpr[R_EDX] = hi;
    }
    flags_set_bits(cpu, FL_ZF, eq);
}

void op_cmpxchg8b_Mq(struct cpu *cpu, const struct insn *i)
{
    if (i->mod == 3)
        except_ud(cpu);
    if (i->opsize == 8) {
        cmpxchg16b(cpu, i);
        return;
    }
    uint64_t ea = insn_ea(cpu, i);
    uint64_t m = cpu_rd64_rmw(cpu, i->seg, ea);
    uint64_t cmp = ((uint64_t)reg32(cpu, R_EDX) << 32) | reg32(cpu, R_EAX);
    bool eq = m == cmp;

    if (eq) {
        cpu_wr64(cpu, i->seg, ea, ((uint64_t)reg32(cpu, R_ECX) << 32) | reg32(cpu, R_EBX));
    } else {
        cpu_wr64(cpu, i->seg, ea, m);
        set_reg32(cpu, R_EAX, (uint32_t)m);
        set_reg32(cpu, R_EDX, (uint32_t)(m >> 32));
    }
    flags_set_bits(cpu, FL_ZF, eq);
}
