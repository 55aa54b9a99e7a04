/* Shifts and rotates: group 2 (C0/C1 Ib, D0/D1 by 1, D2/D3 by CL: ROL ROR
 * RCL RCR SHL SHR SAL(/6) SAR) and the double shifts SHLD/SHRD (0F A4/A5,
 * 0F AC/AD).
 *
 * Intel SDM vol. 2B: SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD. The count
 * is masked to 5 bits; a masked count of 0 changes no flags. RCL/RCR on 8-
 * and 16-bit operands rotate through CF modulo 9 and 17. Flags the SDM
 * leaves undefined follow the P6 table in flags.c (OF for counts other than
 * 1, AF, CF for counts past the operand width, SHLD/SHRD 16-bit counts
 * above 16: a P6 shifts dest:src:dest).
 *
 * Shifts record lazy flags; rotates change only CF and OF, so they
 * materialise the other flags and set those two bits directly. Every
 * handler stores its result before it commits flags (a store can fault).
 */
#include "cpu/alu.h"

/* Rotates set CF and OF directly (see shift_calc). */
static void rot_pend(struct cpu *cpu, struct shift_pend *p, unsigned cf, unsigned of)
{
    flags_materialize(cpu);
    p->lf.op = LF_NONE;
    p->bits = (cf ? FL_CF : 0) | (of ? FL_OF : 0);
}

/* 64-bit operands: the count is masked to 6 bits and RCL/RCR rotate 65
 * bits (SDM vol. 2B SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR "IA-32e mode"). */
static uint64_t shift_calc64(struct cpu *cpu, unsigned kind, uint64_t a, unsigned count,
                             struct shift_pend *p)
{
    uint64_t r;
    unsigned c = count & 0x3f;
    unsigned __int128 v, w, m65 = ((unsigned __int128)1 << 65) - 1;

    if (c == 0) {
        p->lf.op = SHP_KEEP;
        p->bits = 0;
        return a;
    }
    switch (kind & 7) {
    case SH_SHL:
    case SH_SAL:
        r = a << c;
        flags_lazy_rec(&p->lf, LF_SHL, 8, a, c, r);
        return r;
    case SH_SHR:
        r = a >> c;
        flags_lazy_rec(&p->lf, LF_SHR, 8, a, c, r);
        return r;
    case SH_SAR:
        r = (uint64_t)((int64_t)a >> c);
        flags_lazy_rec(&p->lf, LF_SAR, 8, a, c, r);
        return r;
    case SH_ROL:
        r = (a << c) | (a >> (64 - c));
        rot_pend(cpu, p, r & 1, (unsigned)((r >> 63) ^ (r & 1)));
        return r;
    case SH_ROR:
        r = (a >> c) | (a << (64 - c));
        rot_pend(cpu, p, (unsigned)(r >> 63), (unsigned)(((r >> 63) ^ (r >> 62)) & 1));
        return r;
    case SH_RCL:
        v = ((unsigned __int128)flag_cf(cpu) << 64) | a;
        w = ((v << c) | (v >> (65 - c))) & m65;
        r = (uint64_t)w;
        rot_pend(cpu, p, (unsigned)(w >> 64), (unsigned)((r >> 63) ^ (uint64_t)(w >> 64)));
        return r;
    default: /* SH_RCR */
        v = ((unsigned __int128)flag_cf(cpu) << 64) | a;
        w = ((v >> c) | (v << (65 - c))) & m65;
        r = (uint64_t)w;
        rot_pend(cpu, p, (unsigned)(w >> 64), (unsigned)(((r >> 63) ^ (r >> 62)) & 1));
        return r;
    }
}

uint64_t shift_calc(struct cpu *cpu, unsigned kind, unsigned size, uint64_t a64,
                    unsigned count, struct shift_pend *p)
{
    if (size == 8)
        return shift_calc64(cpu, kind, a64, count, p);
    uint32_t a = (uint32_t)a64;
    unsigned bits = size << 3, top = bits - 1;
    uint32_t m = sz_mask(size), r, cf, of;
    uint64_t v, wide;
    unsigned c;

    count &= 0x1f;
    if (count == 0) {
        p->lf.op = SHP_KEEP;
        p->bits = 0;
        return a;
    }
    switch (kind & 7) {
    case SH_SHL:
    case SH_SAL:
        r = (uint32_t)((uint64_t)a << count) & m;
        flags_lazy_rec(&p->lf, LF_SHL, size, a, count, r);
        return r;
    case SH_SHR:
        r = a >> count;
        flags_lazy_rec(&p->lf, LF_SHR, size, a, count, r);
        return r;
    case SH_SAR:
        r = (uint32_t)((int32_t)sz_sext(a, size) >> count) & m;
        flags_lazy_rec(&p->lf, LF_SAR, size, a, count, r);
        return r;
    case SH_ROL:
        c = count & top;
        r = c ? ((a << c) | (a >> (bits - c))) & m : a;
        cf = r & 1;
        of = ((r >> top) & 1) ^ cf;
        break;
    case SH_ROR:
        c = count & top;
        r = c ? ((a >> c) | (a << (bits - c))) & m : a;
        cf = (r >> top) & 1;
        of = ((r >> top) ^ (r >> (top - 1))) & 1;
        break;
    case SH_RCL:
        c = size == 1 ? count % 9 : size == 2 ? count % 17 : count;
        v = ((uint64_t)flag_cf(cpu) << bits) | a;     /* bits+1 wide */
        wide = c ? ((v << c) | (v >> (bits + 1 - c))) : v;
        r = (uint32_t)wide & m;
        cf = (uint32_t)(wide >> bits) & 1;
        of = ((r >> top) & 1) ^ cf;
        break;
    default: /* SH_RCR */
        c = size == 1 ? count % 9 : size == 2 ? count % 17 : count;
        v = ((uint64_t)flag_cf(cpu) << bits) | a;
        wide = c ? ((v >> c) | (v << (bits + 1 - c))) : v;
        r = (uint32_t)wide & m;
        cf = (uint32_t)(wide >> bits) & 1;
        of = ((r >> top) ^ (r >> (top - 1))) & 1;
        break;
    }
    /* Rotates: materialising changes no architectural state, so it may
     * happen before the store. */
    flags_materialize(cpu);
    p->lf.op = LF_NONE;
    p->bits = (cf ? FL_CF : 0) | (of ? FL_OF : 0);
    return r;
}

uint64_t shiftd_calc(struct cpu *cpu, int left, unsigned size, uint64_t dst64, uint64_t src64,
                     unsigned count, struct shift_pend *p)
{
    uint32_t r, cf, of, dst = (uint32_t)dst64, src = (uint32_t)src64;

    if (size == 8) {
        /* SHLD/SHRD 64: count masked to 6 bits (SDM vol. 2B SHLD, SHRD). */
        uint64_t r64;
        count &= 0x3f;
        if (count == 0) {
            p->lf.op = SHP_KEEP;
            p->bits = 0;
            return dst64;
        }
        if (left) {
            r64 = (dst64 << count) | (src64 >> (64 - count));
            cf = (uint32_t)(dst64 >> (64 - count)) & 1;
            of = (uint32_t)(r64 >> 63) ^ cf;
        } else {
            r64 = (dst64 >> count) | (src64 << (64 - count));
            cf = (uint32_t)(dst64 >> (count - 1)) & 1;
            of = (uint32_t)((r64 >> 63) ^ (r64 >> 62)) & 1;
        }
        flags_lazy_rec(&p->lf, LF_SZP, 8, 0, (cf ? FL_CF : 0) | (of ? FL_OF : 0), r64);
        return r64;
    }
    count &= 0x1f;
    if (count == 0) {
        p->lf.op = SHP_KEEP;
        p->bits = 0;
        return dst;
    }
    if (size == 4) {
        if (left) {
            r = (dst << count) | (uint32_t)((uint64_t)src >> (32 - count));
            cf = (dst >> (32 - count)) & 1;
            of = (r >> 31) ^ cf;
        } else {
            r = (dst >> count) | (uint32_t)((uint64_t)src << (32 - count));
            cf = (dst >> (count - 1)) & 1;
            of = ((r >> 31) ^ (r >> 30)) & 1;
        }
    } else {
        /* 16-bit: a P6 shifts the 48-bit dest:src:dest, which for counts
         * up to 16 is the architectural dest:src (SHLD) / src:dest (SHRD). */
        uint64_t v = ((uint64_t)dst << 32) | ((uint64_t)src << 16) | dst;
        if (left) {
            r = (uint32_t)((v << count) >> 32) & 0xffff;
            cf = (uint32_t)(v >> (48 - count)) & 1;
            of = ((r >> 15) & 1) ^ cf;
        } else {
            r = (uint32_t)(v >> count) & 0xffff;
            cf = (uint32_t)(v >> (count - 1)) & 1;
            of = ((r >> 15) ^ (r >> 14)) & 1;
        }
    }
    flags_lazy_rec(&p->lf, LF_SZP, size, 0, (cf ? FL_CF : 0) | (of ? FL_OF : 0), r);
    return r;
}

/* ---- handlers ---- */

static inline __attribute__((always_inline))
void shift_rm(struct cpu *cpu, const struct insn *i, unsigned size, unsigned count)
{
    struct shift_pend p;
    uint64_t a, r;

    if (i->mod == 3) {
        a = reg_get(cpu, i->rm, size);
        r = shift_calc(cpu, i->sub, size, a, count, &p);
        reg_set(cpu, i->rm, size, r);
    } else {
        uint64_t ea = insn_ea(cpu, i);
        a = cpu_rd_rmw(cpu, i->seg, ea, size);
        r = shift_calc(cpu, i->sub, size, a, count, &p);
        if (p.lf.op != SHP_KEEP)
            cpu_wr(cpu, i->seg, ea, r, size);
    }
    shift_commit(cpu, &p);
}

void op_shift_Eb_Ib(struct cpu *cpu, const struct insn *i) { shift_rm(cpu, i, 1, i->imm); }
void op_shift_Ev_Ib(struct cpu *cpu, const struct insn *i) { shift_rm(cpu, i, i->opsize, i->imm); }
void op_shift_Eb_1(struct cpu *cpu, const struct insn *i) { shift_rm(cpu, i, 1, 1); }
void op_shift_Ev_1(struct cpu *cpu, const struct insn *i) { shift_rm(cpu, i, i->opsize, 1); }
void op_shift_Eb_CL(struct cpu *cpu, const struct insn *i)
{
    shift_rm(cpu, i, 1, reg8(cpu, R_ECX));
}
void op_shift_Ev_CL(struct cpu *cpu, const struct insn *i)
{
    shift_rm(cpu, i, i->opsize, reg8(cpu, R_ECX));
}

static void shiftd_rm(struct cpu *cpu, const struct insn *i, int left, unsigned count)
{
    unsigned size = i->opsize;
    uint64_t src = reg_get(cpu, i->reg, size), a, r;
    struct shift_pend p;

    if (i->mod == 3) {
        a = reg_get(cpu, i->rm, size);
        r = shiftd_calc(cpu, left, size, a, src, count, &p);
        reg_set(cpu, i->rm, size, r);
    } else {
        uint64_t ea = insn_ea(cpu, i);
        a = cpu_rd_rmw(cpu, i->seg, ea, size);
        r = shiftd_calc(cpu, left, size, a, src, count, &p);
        if (p.lf.op != SHP_KEEP)
            cpu_wr(cpu, i->seg, ea, r, size);
    }
    shift_commit(cpu, &p);
}

void op_shld_Ev_Gv_Ib(struct cpu *cpu, const struct insn *i) { shiftd_rm(cpu, i, 1, i->imm); }
void op_shld_Ev_Gv_CL(struct cpu *cpu, const struct insn *i)
{
    shiftd_rm(cpu, i, 1, reg8(cpu, R_ECX));
}
void op_shrd_Ev_Gv_Ib(struct cpu *cpu, const struct insn *i) { shiftd_rm(cpu, i, 0, i->imm); }
void op_shrd_Ev_Gv_CL(struct cpu *cpu, const struct insn *i)
{
    shiftd_rm(cpu, i, 0, reg8(cpu, R_ECX));
}
