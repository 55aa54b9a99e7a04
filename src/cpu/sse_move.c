/* SSE/SSE2 data movement (SDM vol. 2 instruction pages; vol. 1 ch. 10-11):
 * the register/memory moves MOVUPS..MOVDQU, the scalar moves MOVSS/MOVSD/
 * MOVQ, the half moves MOVLPS/MOVHPS/MOVHLPS/MOVLHPS (and PD), MOVD/MOVQ
 * between XMM and general registers, the non-temporal stores, the shuffles
 * and unpacks of the library (UNPCK*PS/PD, SHUFPS/PD, PSHUFD/HW/LW, PSHUFW),
 * sign-mask moves, PINSRW/PEXTRW, MASKMOVQ/MASKMOVDQU and the MMX<->XMM
 * moves MOVQ2DQ/MOVDQ2Q.
 *
 * Check order of docs/simd.md: #UD (CPUID of the row, CR0.EM, CR4.OSFXSR
 * for the XMM forms), #NM (CR0.TS), #MF for forms touching an mm register,
 * then operands; every faulting access comes before any state change.
 *
 * Memory rules: a 16-byte operand of MOVAPS/MOVAPD/MOVDQA/MOVNT* and of
 * the shuffles must be 16-byte aligned (#GP(0)); MOVUPS/MOVUPD/MOVDQU take
 * any address; 4- and 8-byte operands have no alignment rule. Scalar
 * moves: a load from memory zeroes the rest of the register, a move
 * between registers changes only the low element (MOVSS/MOVSD); MOVQ
 * always zeroes bits 127:64 of an XMM destination. */
#include <string.h>
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/simd/mmx.h"
#include "cpu/simd/simd_ops.h"

/* #UD/#NM checks of an XMM form needing the row's CPUID feature. */
/* Register-only operand (Ux, Nq, and every Gv-destination form here):
 * the memory form is #UD (SDM vol. 2 A.2.1 "U"/"N"), before other checks. */
static void need_reg(struct cpu *cpu, const struct insn *i)
{
    if (i->mod != 3)
        except_ud(cpu);
}

/* ---- whole-register moves ---- */

/* MOVUPS/MOVUPD/MOVDQU (sub 1), MOVAPS/MOVAPD/MOVDQA (sub 16): xmm <- xmm/m128. */
void op_sse_mov_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm v;
    if (i->mod == 3)
        v = cpu->s.xmm[i->rm];
    else
        sse_read_m128(cpu, i, i->sub == 16, &v);
    cpu->s.xmm[i->reg] = v;
}

/* The stores: MOVUPS/MOVAPS... xmm/m128 <- xmm, and MOVNTPS/MOVNTPD/
 * MOVNTDQ (memory only, aligned; the non-temporal hint has no effect). */
void op_sse_mov_Wx_Vx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm v = cpu->s.xmm[i->reg];
    if (i->mod == 3)
        cpu->s.xmm[i->rm] = v;
    else
        sse_write_m128(cpu, i, i->sub == 16, &v);
}

/* ---- scalar moves: sub = bytes (4, 8) | 0x80 for MOVQ's zeroing ---- */

/* MOVSS/MOVSD xmm, xmm/m; MOVQ xmm, xmm/m64 (F3 0F 7E). */
void op_sse_movs_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    unsigned n = i->sub & 0x7f;
    union xmm v;
    if (i->mod != 3) {
        memset(&v, 0, sizeof v);
        if (n == 4)
            v.d[0] = cpu_rd32(cpu, i->seg, insn_ea(cpu, i));
        else
            v.q[0] = cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
        cpu->s.xmm[i->reg] = v;
    } else if (i->sub & 0x80) {
        v.q[0] = cpu->s.xmm[i->rm].q[0];
        v.q[1] = 0;
        cpu->s.xmm[i->reg] = v;
    } else if (n == 4) {
        cpu->s.xmm[i->reg].d[0] = cpu->s.xmm[i->rm].d[0];
    } else {
        cpu->s.xmm[i->reg].q[0] = cpu->s.xmm[i->rm].q[0];
    }
}

/* MOVSS/MOVSD xmm/m, xmm; MOVQ xmm/m64, xmm (66 0F D6). */
void op_sse_movs_Wx_Vx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    unsigned n = i->sub & 0x7f;
    union xmm s = cpu->s.xmm[i->reg];
    if (i->mod != 3) {
        if (n == 4)
            cpu_wr32(cpu, i->seg, insn_ea(cpu, i), s.d[0]);
        else
            cpu_wr64(cpu, i->seg, insn_ea(cpu, i), s.q[0]);
    } else if (i->sub & 0x80) {
        s.q[1] = 0;
        cpu->s.xmm[i->rm] = s;
    } else if (n == 4) {
        cpu->s.xmm[i->rm].d[0] = s.d[0];
    } else {
        cpu->s.xmm[i->rm].q[0] = s.q[0];
    }
}

/* ---- half moves: sub = quadword lane ---- */

/* MOVLPS/MOVLPD xmm, m64 (lane 0), MOVHPS/MOVHPD xmm, m64 (lane 1); the
 * NP register forms are MOVHLPS (0F 12: low <- source high) and MOVLHPS
 * (0F 16: high <- source low). The 66 rows are memory only (Mq). */
void op_sse_ldq_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    if (i->mod != 3) {
        uint64_t q = cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
        cpu->s.xmm[i->reg].q[i->sub & 1] = q;
        return;
    }
    union xmm d = cpu->s.xmm[i->reg], s = cpu->s.xmm[i->rm];
    if (i->sub & 1)
        simd_movlhps(&d, &s, 16);
    else
        simd_movhlps(&d, &s, 16);
    cpu->s.xmm[i->reg] = d;
}

/* MOVLPS/MOVLPD/MOVHPS/MOVHPD m64, xmm (memory only). */
void op_sse_stq_Mq_Vx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    cpu_wr64(cpu, i->seg, insn_ea(cpu, i), cpu->s.xmm[i->reg].q[i->sub & 1]);
}

/* ---- library shuffles ---- */

/* UNPCK*PS/PD run op_sse_int_Vx_Wx (sse_int.c); SHUFPS/SHUFPD and
 * PSHUFD/PSHUFHW/PSHUFLW op_sse_int_Vx_Wx_Ib (sse_ext.c): the same checks
 * (the row's CPUID bit) and the aligned m128 source. */

/* ---- XMM <-> general registers ---- */

/* A general-register destination of these forms is written whole: the
 * 32-bit result zero-extended to 64 bits (SDM vol. 2 PMOVMSKB, PEXTRW,
 * MOVMSKPS: "the upper bits are filled with zeros"). */
static void set_gpr_zx(struct cpu *cpu, unsigned r, uint32_t v)
{
    cpu->s.gpr[r] = v;
}

/* MOVMSKPS (sub 4), MOVMSKPD (8), PMOVMSKB xmm (1): r32/r64 <- sign bits. */
void op_sse_movmsk_Gv_Ux(struct cpu *cpu, const struct insn *i)
{
    need_reg(cpu, i);
    sse_check_row(cpu, i);
    const union xmm *s = &cpu->s.xmm[i->rm];
    uint32_t m = i->sub == 4 ? simd_movmskps(s) : i->sub == 8 ? simd_movmskpd(s)
                                                              : simd_pmovmskb(s, 16);
    set_gpr_zx(cpu, i->reg, m);
}

/* MOVD xmm, r/m32 (zero-extended); MOVQ xmm, r/m64 with REX.W. */
void op_sse_movd_Vx_Ey(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm v;
    memset(&v, 0, sizeof v);
    if (i->rex & REX_W)
        v.q[0] = i->mod == 3 ? cpu->s.gpr[i->rm] : cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
    else
        v.d[0] = (uint32_t)rm_read(cpu, i, 4);
    cpu->s.xmm[i->reg] = v;
}

/* MOVD r/m32, xmm (a register is zero-extended); MOVQ r/m64, xmm with REX.W. */
void op_sse_movd_Ey_Vx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    const union xmm *s = &cpu->s.xmm[i->reg];
    if (!(i->rex & REX_W))
        rm_write(cpu, i, 4, s->d[0]);
    else if (i->mod == 3)
        cpu->s.gpr[i->rm] = s->q[0];
    else
        cpu_wr64(cpu, i->seg, insn_ea(cpu, i), s->q[0]);
}

/* PINSRW xmm, r32/m16, imm8 (66 0F C4). */
void op_sse_pinsrw_Vx_Ew_Ib(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    uint32_t v = (uint32_t)rm_read(cpu, i, 2);
    union xmm d = cpu->s.xmm[i->reg];
    simd_pinsrw(&d, v, 16, (uint8_t)i->imm);
    cpu->s.xmm[i->reg] = d;
}

/* PEXTRW r32/r64, xmm, imm8 (66 0F C5; the memory form is SSE4.1's 0F 3A 15). */
void op_sse_pextrw_Gv_Ux_Ib(struct cpu *cpu, const struct insn *i)
{
    need_reg(cpu, i);
    sse_check_row(cpu, i);
    set_gpr_zx(cpu, i->reg, simd_pextrw(&cpu->s.xmm[i->rm], 16, (uint8_t)i->imm));
}

/* MOVNTI m32/m64, r32/r64 (NP 0F C3, SSE2): a plain store of 32 bits, 64
 * with REX.W, in 16-bit code too (there is no 16-bit form). It has no XMM
 * operand, so CR0.EM/TS and CR4.OSFXSR do not matter (SDM vol. 2 MOVNTI:
 * #UD only without SSE2 or with LOCK); 66/F3/F2 are #UD ("NP"). */
void op_movnti_M_Gv(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_EDX, CPUID_SSE2) ||
        (i->pfx & (PFX_OPSZ | PFX_REP | PFX_REPNE)))
        except_ud(cpu);
    rm_write(cpu, i, i->rex & REX_W ? 8 : 4, cpu->s.gpr[i->reg]);
}

/* ---- masked stores ---- */

/* Store the bytes of `v` whose byte in `mask` has bit 7 set to
 * seg:rDI (DS unless overridden; rDI of the address size). Every selected
 * byte is checked before the first is written; an all-zero mask touches
 * no memory (SDM vol. 2 MASKMOVDQU leaves that case to the implementation). */
static void masked_store(struct cpu *cpu, const struct insn *i, const union xmm *v,
                         const union xmm *mask, unsigned len)
{
    uint64_t amask = i->adsize == 8 ? ~(uint64_t)0 : i->adsize == 4 ? 0xffffffffu : 0xffffu;
    uint64_t di = cpu->s.gpr[R_EDI];
    for (unsigned k = 0; k < len; k++)
        if (mask->b[k] & 0x80)
            cpu_check_write(cpu, i->seg, (di + k) & amask, 1);
    for (unsigned k = 0; k < len; k++)
        if (mask->b[k] & 0x80)
            cpu_wr8(cpu, i->seg, (di + k) & amask, v->b[k]);
}

/* MASKMOVDQU xmm1, xmm2 (66 0F F7). */
void op_maskmovdqu_Vx_Ux(struct cpu *cpu, const struct insn *i)
{
    need_reg(cpu, i);
    sse_check_row(cpu, i);
    union xmm v = cpu->s.xmm[i->reg], m = cpu->s.xmm[i->rm];
    masked_store(cpu, i, &v, &m, 16);
}

/* ---- forms on mm registers (SSE's MMX additions): sse_check_mmx, then
 * the x87 state changes of an MMX instruction (simd/mmx.h) ---- */

/* PSHUFW mm, mm/m64, imm8 is op_mmx_Pq_Qq_Ib (sse_mmx.c). */

/* PINSRW mm, r32/m16, imm8. */
void op_mmx_pinsrw_Pq_Ew_Ib(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    uint32_t v = (uint32_t)rm_read(cpu, i, 2);
    union xmm d;
    memset(&d, 0, sizeof d);
    mmx_read(&cpu->s.fpu, i->reg, &d);
    simd_pinsrw(&d, v, 8, (uint8_t)i->imm);
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->reg, &d);
}

/* The register-only mm source of PEXTRW/PMOVMSKB into *s; false when the
 * processor froze on FERR# (the instruction is not executed). */
static bool mm_source(struct cpu *cpu, const struct insn *i, union xmm *s)
{
    need_reg(cpu, i);
    if (!sse_check_mmx(cpu, i))
        return false;
    memset(s, 0, sizeof *s);
    mmx_read(&cpu->s.fpu, i->rm, s);
    mmx_enter(&cpu->s.fpu);
    return true;
}

/* PEXTRW r32/r64, mm, imm8. */
void op_mmx_pextrw_Gv_Nq_Ib(struct cpu *cpu, const struct insn *i)
{
    union xmm s;
    if (mm_source(cpu, i, &s))
        set_gpr_zx(cpu, i->reg, simd_pextrw(&s, 8, (uint8_t)i->imm));
}

/* PMOVMSKB r32/r64, mm. */
void op_mmx_pmovmskb_Gv_Nq(struct cpu *cpu, const struct insn *i)
{
    union xmm s;
    if (mm_source(cpu, i, &s))
        set_gpr_zx(cpu, i->reg, simd_pmovmskb(&s, 8));
}

/* MOVNTQ m64, mm. */
void op_movntq_Mq_Pq(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm s;
    mmx_read(&cpu->s.fpu, i->reg, &s);
    cpu_wr64(cpu, i->seg, insn_ea(cpu, i), s.q[0]);
    mmx_enter(&cpu->s.fpu);
}

/* MASKMOVQ mm1, mm2. */
void op_maskmovq_Pq_Nq(struct cpu *cpu, const struct insn *i)
{
    need_reg(cpu, i);
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm v, m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    mmx_read(&cpu->s.fpu, i->reg, &v);
    mmx_read(&cpu->s.fpu, i->rm, &m);
    masked_store(cpu, i, &v, &m, 8);
    mmx_enter(&cpu->s.fpu);
}

/* MOVQ2DQ xmm, mm (F3 0F D6) and MOVDQ2Q mm, xmm (F2 0F D6): SSE2 forms
 * (#UD with CR4.OSFXSR=0) that touch an mm register, so a pending x87
 * exception is reported first (#MF) and the MMX state change follows
 * (SDM vol. 2 MOVQ2DQ/MOVDQ2Q "x87 FPU ... TOP=0, tags valid"). */
void op_movq2dq_Vx_Nq(struct cpu *cpu, const struct insn *i)
{
    need_reg(cpu, i);
    sse_check_row(cpu, i);
    if (!x87_check_pending(cpu))
        return;
    union xmm v;
    memset(&v, 0, sizeof v);
    mmx_read(&cpu->s.fpu, i->rm, &v);
    mmx_enter(&cpu->s.fpu);
    cpu->s.xmm[i->reg] = v;
}

void op_movdq2q_Pq_Ux(struct cpu *cpu, const struct insn *i)
{
    need_reg(cpu, i);
    sse_check_row(cpu, i);
    if (!x87_check_pending(cpu))
        return;
    union xmm v = cpu->s.xmm[i->rm];
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->reg, &v);
}
