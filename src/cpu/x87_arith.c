/* x87 basic arithmetic, comparisons and register moves.
 *
 * FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR in every form (ST(0) with m32/m64/m16int/
 * m32int, ST(0) with ST(i), ST(i) with ST(0), the P forms), FCOM/FCOMP/
 * FCOMPP/FUCOM(P)(P)/FICOM(P), FCOMI/FCOMIP/FUCOMI/FUCOMIP, FXCH, FCMOVcc, FLD and
 * FST/FSTP between registers, and the D9 E0..EF group (FCHS, FABS, FTST,
 * FXAM, FDECSTP/FINCSTP and the constants). Intel SDM vol. 2 instruction
 * pages; vol. 1 8.1.3 (condition codes), 8.5 (exceptions), 4.9.1.x.
 *
 * Every operation first checks for stack underflow/overflow (#IS), whose
 * masked response delivers the QNaN indefinite (or "unordered" for
 * compares); then computes on the host FPU (x87_host.c).
 */
#include <string.h>

#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/x87.h"

static void ld_copy(long double *dst, const long double *src)
{
    memset(dst, 0, sizeof *dst);
    memcpy(dst, src, 10);
}

static bool f80_denormal(struct f80 v)
{
    return (v.se & 0x7fff) == 0 && v.mant != 0;
}

bool x87_result(struct cpu *cpu, enum x87_hop op, struct x87_host *h)
{
    uint16_t cw = cpu->s.fpu.cw;
    unsigned exc = h->sw & FSW_EXC;
    int wrap = 0;

    if ((exc & FSW_OE) && !(cw & FSW_OE)) {
        wrap = -1;
    } else if (!(cw & FSW_UE) && !(exc & (FSW_IE | FSW_ZE)) &&
               ((exc & FSW_UE) || f80_denormal(f80_get(&h->r0)))) {
        /* Unmasked, underflow is reported on tininess even when exact. */
        exc |= FSW_UE;
        wrap = 1;
    }
    if (wrap && !(exc & ~cw & (FSW_IE | FSW_DE | FSW_ZE))) {
        /* #P then tells whether the wrapped result was rounded. */
        x87_host_wrapped(op, cw, h, wrap);
        exc = (exc & ~FSW_PE) | (h->sw & FSW_PE);
    }
    if (!x87_raise(cpu, exc))
        return false;
    cpu->s.fpu.sw = (uint16_t)((cpu->s.fpu.sw & ~FSW_C1) | (h->sw & FSW_C1));
    return true;
}

static const enum x87_hop arith_op[8] = {
    HOP_ADD, HOP_MUL, HOP_ADD, HOP_ADD, HOP_SUB, HOP_SUBR, HOP_DIV, HOP_DIVR,
};

/* dest <- ST(0) op y, where op by ModRM.reg: 0 add, 1 mul, 4 ST0-y,
 * 5 y-ST0, 6 ST0/y, 7 y/ST0. (The DC/DE register forms name their
 * mnemonics the other way round; the arithmetic is the same.) */
static void arith(struct cpu *cpu, unsigned reg, const long double *y, bool y_empty,
                  unsigned pre_exc, unsigned dst, bool pop)
{
    if (x87_empty(cpu, 0) || y_empty) {
        if (x87_stack_underflow(cpu)) {
            x87_set_st(cpu, dst, F80_INDEF);
            if (pop)
                x87_pop(cpu);
        }
        return;
    }
    if (!x87_raise(cpu, pre_exc))
        return;
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    ld_copy(&h.b, y);
    x87_host_run(arith_op[reg], cpu->s.fpu.cw, &h);
    if (!x87_result(cpu, arith_op[reg], &h))
        return;
    x87_set_st_ld(cpu, dst, &h.r0);
    if (pop)
        x87_pop(cpu);
}

void x87_arith_mem(struct cpu *cpu, unsigned reg, struct f80 src, unsigned exc)
{
    long double y;
    f80_put(&y, src);
    arith(cpu, reg, &y, false, exc, 0, false);
}

void x87_arith_reg(struct cpu *cpu, unsigned reg, unsigned sti, bool to_sti, bool pop)
{
    long double y;
    x87_st_ld(cpu, sti, &y);
    arith(cpu, reg, &y, x87_empty(cpu, sti), 0, to_sti ? sti : 0, pop);
}

/* ---- comparisons ---- */

static void pop_n(struct cpu *cpu, int n)
{
    while (n-- > 0)
        x87_pop(cpu);
}

void x87_compare(struct cpu *cpu, struct f80 src, bool src_empty, bool unordered, int pops,
                 unsigned exc)
{
    if (x87_empty(cpu, 0) || src_empty) {
        if (x87_stack_underflow(cpu)) {
            x87_set_cc(cpu, FSW_C0 | FSW_C2 | FSW_C3);
            pop_n(cpu, pops);
        }
        return;
    }
    if (!x87_raise(cpu, exc))
        return;
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    f80_put(&h.b, src);
    x87_host_run(unordered ? HOP_UCOM : HOP_COM, cpu->s.fpu.cw, &h);
    if (!x87_raise(cpu, h.sw & FSW_EXC))
        return;                     /* unmasked #IA: condition codes unchanged */
    x87_set_cc(cpu, h.sw & (FSW_C0 | FSW_C2 | FSW_C3));
    pop_n(cpu, pops);
}

static void set_comi_flags(struct cpu *cpu, bool zf, bool pf, bool cf)
{
    flags_materialize(cpu);
    uint32_t f = cpu->s.rflags & ~FL_ARITH;
    if (zf) f |= FL_ZF;
    if (pf) f |= FL_PF;
    if (cf) f |= FL_CF;
    cpu->s.rflags = f;
}

void x87_comi(struct cpu *cpu, unsigned sti, bool unordered, bool pop)
{
    if (x87_empty(cpu, 0) || x87_empty(cpu, sti)) {
        if (x87_stack_underflow(cpu)) {
            set_comi_flags(cpu, true, true, true);
            if (pop)
                x87_pop(cpu);
        }
        return;
    }
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    x87_st_ld(cpu, sti, &h.b);
    x87_host_run(unordered ? HOP_UCOM : HOP_COM, cpu->s.fpu.cw, &h);
    if (!x87_raise(cpu, h.sw & FSW_EXC))
        return;                     /* unmasked #IA: EFLAGS unchanged */
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    set_comi_flags(cpu, h.sw & FSW_C3, h.sw & FSW_C2, h.sw & FSW_C0);
    if (pop)
        x87_pop(cpu);
}

/* ---- register moves ---- */

void x87_fxch(struct cpu *cpu, unsigned sti)
{
    if (x87_empty(cpu, 0) || x87_empty(cpu, sti)) {
        if (!x87_stack_underflow(cpu))
            return;
        /* Masked response: empty operands become the QNaN indefinite. */
        if (x87_empty(cpu, 0))
            x87_set_st(cpu, 0, F80_INDEF);
        if (x87_empty(cpu, sti))
            x87_set_st(cpu, sti, F80_INDEF);
    } else {
        cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    }
    struct f80 a = x87_st(cpu, 0), b = x87_st(cpu, sti);
    x87_set_st(cpu, 0, b);
    x87_set_st(cpu, sti, a);
}

void x87_fcmov(struct cpu *cpu, unsigned cc, bool negate, unsigned sti)
{
    /* DA/DB C0, C8, D0, D8: B, E, BE, U and their negations. */
    static const unsigned cond[4] = { 0x2, 0x4, 0x6, 0xa };
    if (x87_empty(cpu, 0) || x87_empty(cpu, sti)) {
        if (x87_stack_underflow(cpu))
            x87_set_st(cpu, 0, F80_INDEF);
        return;
    }
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    if (cpu_cond(cpu, cond[cc] | (negate ? 1u : 0u)))
        x87_set_st(cpu, 0, x87_st(cpu, sti));
}

void x87_fst_reg(struct cpu *cpu, unsigned sti, bool pop)
{
    if (x87_empty(cpu, 0)) {
        if (x87_stack_underflow(cpu)) {
            x87_set_st(cpu, sti, F80_INDEF);
            if (pop)
                x87_pop(cpu);
        }
        return;
    }
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    x87_set_st(cpu, sti, x87_st(cpu, 0));
    if (pop)
        x87_pop(cpu);
}

/* Room for a push? Raises the masked/unmasked overflow response if not. */
bool x87_push_check(struct cpu *cpu)
{
    if (x87_empty(cpu, 7))
        return true;
    if (x87_stack_overflow(cpu))
        x87_push(cpu, F80_INDEF);
    return false;
}

void x87_fld_reg(struct cpu *cpu, unsigned sti)
{
    struct f80 v = x87_st(cpu, sti);
    bool empty = x87_empty(cpu, sti);
    if (!x87_push_check(cpu))
        return;
    if (empty) {
        if (x87_stack_underflow(cpu))
            x87_push(cpu, F80_INDEF);
        return;
    }
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    x87_push(cpu, v);
}

/* ---- D9 E0..FF ---- */

static void fxam(struct cpu *cpu)
{
    struct f80 v = x87_st(cpu, 0);
    unsigned e = v.se & 0x7fff;
    bool j = v.mant >> 63;
    uint64_t frac = v.mant << 1;
    uint16_t cc;

    if (x87_empty(cpu, 0))
        cc = FSW_C3 | FSW_C0;
    else if (e == 0x7fff)
        cc = !j ? 0 : frac ? FSW_C0 : (FSW_C2 | FSW_C0);   /* unsupported/NaN/inf */
    else if (e == 0)
        cc = v.mant ? (FSW_C3 | FSW_C2) : FSW_C3;           /* denormal / zero */
    else
        cc = j ? FSW_C2 : 0;                                /* normal / unnormal */
    if (v.se & 0x8000)
        cc |= FSW_C1;
    x87_set_cc(cpu, cc);
}

static void ftst(struct cpu *cpu)
{
    if (x87_empty(cpu, 0)) {
        if (x87_stack_underflow(cpu))
            x87_set_cc(cpu, FSW_C0 | FSW_C2 | FSW_C3);
        return;
    }
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_st_ld(cpu, 0, &h.a);
    x87_host_run(HOP_TST, cpu->s.fpu.cw, &h);
    if (!x87_raise(cpu, h.sw & FSW_EXC))
        return;
    x87_set_cc(cpu, h.sw & (FSW_C0 | FSW_C2 | FSW_C3));
}

static void fchs_fabs(struct cpu *cpu, bool abs)
{
    if (x87_empty(cpu, 0)) {
        if (x87_stack_underflow(cpu))
            x87_set_st(cpu, 0, F80_INDEF);
        return;
    }
    struct f80 v = x87_st(cpu, 0);
    v.se = abs ? (uint16_t)(v.se & 0x7fff) : (uint16_t)(v.se ^ 0x8000);
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    x87_set_st(cpu, 0, v);
}

static void fld_const(struct cpu *cpu, enum x87_hop op)
{
    if (!x87_push_check(cpu))
        return;
    struct x87_host h;
    memset(&h, 0, sizeof h);
    x87_host_run(op, cpu->s.fpu.cw, &h);
    cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
    x87_push(cpu, f80_get(&h.r0));
}

void x87_d9_special(struct cpu *cpu, uint8_t modrm)
{
    static const enum x87_hop consts[7] = {
        HOP_LD1, HOP_LDL2T, HOP_LDL2E, HOP_LDPI, HOP_LDLG2, HOP_LDLN2, HOP_LDZ,
    };
    switch (modrm) {
    case 0xe0: fchs_fabs(cpu, false); break;
    case 0xe1: fchs_fabs(cpu, true); break;
    case 0xe4: ftst(cpu); break;
    case 0xe5: fxam(cpu); break;
    case 0xe8: case 0xe9: case 0xea: case 0xeb: case 0xec: case 0xed: case 0xee:
        fld_const(cpu, consts[modrm - 0xe8]);
        break;
    case 0xf0: x87_unary_host(cpu, HOP_F2XM1); break;
    case 0xf1: x87_trans(cpu, HOP_YL2X); break;
    case 0xf2: x87_trans(cpu, HOP_PTAN); break;
    case 0xf3: x87_trans(cpu, HOP_PATAN); break;
    case 0xf4: x87_trans(cpu, HOP_XTRACT); break;
    case 0xf5: x87_trans(cpu, HOP_PREM1); break;
    case 0xf6:                                          /* FDECSTP */
        cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
        x87_set_top(cpu, x87_top(cpu) - 1);
        break;
    case 0xf7:                                          /* FINCSTP */
        cpu->s.fpu.sw &= (uint16_t)~FSW_C1;
        x87_set_top(cpu, x87_top(cpu) + 1);
        break;
    case 0xf8: x87_trans(cpu, HOP_PREM); break;
    case 0xf9: x87_trans(cpu, HOP_YL2XP1); break;
    case 0xfa: x87_unary_host(cpu, HOP_SQRT); break;
    case 0xfb: x87_trans(cpu, HOP_SINCOS); break;
    case 0xfc: x87_unary_host(cpu, HOP_RNDINT); break;
    case 0xfd: x87_trans(cpu, HOP_SCALE); break;
    case 0xfe: x87_unary_host(cpu, HOP_SIN); break;
    case 0xff: x87_unary_host(cpu, HOP_COS); break;
    default: except_ud(cpu);
    }
}
