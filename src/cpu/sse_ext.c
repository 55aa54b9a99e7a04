/* SSE3, SSSE3 and SSE4.1 forms on XMM registers whose signatures SSE2's
 * binary ops (sse_int.c) do not cover: imm8 ops, floating point with
 * MXCSR, m64/m32/m16 sources, the XMM0-masked blends, PTEST, element
 * inserts and extracts, and the unaligned/non-temporal loads. Checks in
 * sse_check.h order (#UD for the row's CPUID bit, CR0.EM, CR4.OSFXSR; #NM
 * for CR0.TS), then the operands (every fault before any state changes),
 * then the library (src/cpu/simd/) on copies, then the destination. */
#include <string.h>
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/simd/simd_ops.h"

/* The source operand as the row's second operand kind names it: Wx a
 * register or an aligned m128; Wq/Wd/Ww a register or m64/m32/m16 with no
 * alignment rule (sse_read_w, sse_fp.c). */
static void read_src(struct cpu *cpu, const struct insn *i, union xmm *v)
{
    switch (optable_rows[i->row].o[1]) {
    case O_Wq: sse_read_w(cpu, i, 8, v); break;
    case O_Wd: sse_read_w(cpu, i, 4, v); break;
    case O_Ww: sse_read_w(cpu, i, 2, v); break;
    default: sse_read_w(cpu, i, 16, v); break;
    }
}

/* d = d OP s with s = xmm/m64, m32 or m16 (PMOVSX/PMOVZX, MOVDDUP): the
 * memory form reads only the bytes used, unaligned (SDM vol. 2 PMOVSX). */
void op_sse_int_Vx_Wn(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    read_src(cpu, i, &s);
    simd_int_bin[i->sub](&d, &s, 16);
    cpu->s.xmm[i->reg] = d;
}

/* d = f(d, s, imm8): PALIGNR, PBLENDW, BLENDPS/PD, MPSADBW. */
void op_sse_int_Vx_Wx_Ib(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    read_src(cpu, i, &s);
    simd_int_imm[i->sub](&d, &s, 16, (uint8_t)i->imm);
    cpu->s.xmm[i->reg] = d;
}

/* Floating point d = d OP s on xmm/m128 (ADDSUBPS/PD, HADDPS/PD, HSUBPS/PD)
 * is op_sse_fp_Vx_Wx of sse_fp.c. */

/* Floating point d = f(d, s, imm8): ROUNDPS/PD (m128), ROUNDSS (m32),
 * ROUNDSD (m64), DPPS, DPPD. */
void op_sse_fp_Vx_Wx_Ib(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    read_src(cpu, i, &s);
    sse_fp_status(cpu, simd_fp_imm[i->sub](&d, &s, (uint8_t)i->imm, cpu->s.mxcsr));
    cpu->s.xmm[i->reg] = d;
}

/* PBLENDVB, BLENDVPS, BLENDVPD: the mask is XMM0 (read before the
 * destination, which may be XMM0 itself, is written). */
void op_sse_blendv_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg], m = cpu->s.xmm[0];
    read_src(cpu, i, &s);
    simd_blendv[i->sub](&d, &s, &m);
    cpu->s.xmm[i->reg] = d;
}

/* Set ZF and CF as `zf`/`cf` say and clear OF, SF, AF and PF. */
static void set_zc(struct cpu *cpu, bool zf, bool cf)
{
    flags_set_bits(cpu, FL_ARITH, false);
    flags_set_bits(cpu, (zf ? FL_ZF : 0) | (cf ? FL_CF : 0), true);
}

/* PTEST: ZF = (d AND s) == 0, CF = (NOT d AND s) == 0 (SDM vol. 2 PTEST). */
void op_ptest_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    read_src(cpu, i, &s);
    unsigned f = simd_ptest(&d, &s);
    set_zc(cpu, f & SIMD_PTEST_ZF, f & SIMD_PTEST_CF);
}

/* MOVNTDQA xmm, m128 (aligned; the non-temporal hint means nothing here)
 * and LDDQU xmm, m128 (any alignment, SDM vol. 2 LDDQU). Memory only: the
 * register form is #UD from the table (operand M). */
void op_movntdqa_Vx_M(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm v;
    sse_read_m128(cpu, i, true, &v);
    cpu->s.xmm[i->reg] = v;
}

void op_lddqu_Vx_M(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm v;
    sse_read_m128(cpu, i, false, &v);
    cpu->s.xmm[i->reg] = v;
}

/* An extracted element to a general register (zero-extended to 64 bits
 * whatever the operand size: a 32-bit destination is zero-extended in
 * 64-bit mode, SDM vol. 2 PEXTRB) or `size` bytes of memory. */
static void put_elem(struct cpu *cpu, const struct insn *i, unsigned size, uint64_t v)
{
    if (i->mod == 3)
        cpu->s.gpr[i->rm] = (i->rex & REX_W) ? v : (uint32_t)v;
    else
        cpu_wr(cpu, i->seg, insn_ea(cpu, i), v, size);
}

/* PEXTRB r32/r64/m8, xmm, imm8 (imm[3:0]). */
void op_pextrb(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    put_elem(cpu, i, 1, simd_pextrb(&cpu->s.xmm[i->reg], (uint8_t)i->imm));
}

/* PEXTRW r32/r64/m16, xmm, imm8 (66 0F 3A 15, the SSE4.1 form with a
 * memory destination; imm[2:0]). */
void op_pextrw_RyMw(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    put_elem(cpu, i, 2, simd_pextrw(&cpu->s.xmm[i->reg], 16, (uint8_t)i->imm));
}

/* PEXTRD r/m32, xmm, imm8 (imm[1:0]); PEXTRQ r/m64 with REX.W (imm[0]). */
void op_pextrd(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    const union xmm *s = &cpu->s.xmm[i->reg];
    if (i->rex & REX_W)
        put_elem(cpu, i, 8, simd_pextrq(s, (uint8_t)i->imm));
    else
        put_elem(cpu, i, 4, simd_pextrd(s, (uint8_t)i->imm));
}

/* EXTRACTPS r32/r64/m32, xmm, imm8: the dword imm[1:0], as PEXTRD but
 * with REX.W naming a 64-bit register that gets it zero-extended (the
 * memory form stays 32 bits; SDM vol. 2 EXTRACTPS). */
void op_extractps(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    put_elem(cpu, i, 4, simd_pextrd(&cpu->s.xmm[i->reg], (uint8_t)i->imm));
}

/* PINSRB xmm, r32/m8, imm8: the low byte of the register. */
void op_pinsrb(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    uint32_t v = i->mod == 3 ? (uint8_t)cpu->s.gpr[i->rm] : cpu_rd8(cpu, i->seg, insn_ea(cpu, i));
    simd_pinsrb(&cpu->s.xmm[i->reg], v, (uint8_t)i->imm);
}

/* PINSRD xmm, r/m32, imm8; PINSRQ xmm, r/m64, imm8 with REX.W. */
void op_pinsrd(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    if (i->rex & REX_W) {
        uint64_t v = i->mod == 3 ? cpu->s.gpr[i->rm] : cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
        simd_pinsrq(&cpu->s.xmm[i->reg], v, (uint8_t)i->imm);
    } else {
        simd_pinsrd(&cpu->s.xmm[i->reg], (uint32_t)rm_read(cpu, i, 4), (uint8_t)i->imm);
    }
}

/* INSERTPS xmm, xmm/m32, imm8: a memory source is the dword itself, so
 * imm[7:6] (the source lane) does not apply (SDM vol. 2 INSERTPS): the
 * m32 goes into that lane of the library's source. */
void op_insertps(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    uint8_t imm = (uint8_t)i->imm;
    if (i->mod == 3) {
        s = cpu->s.xmm[i->rm];
    } else {
        memset(&s, 0, sizeof s);
        s.d[imm >> 6] = cpu_rd32(cpu, i->seg, insn_ea(cpu, i));
    }
    simd_int_imm[i->sub](&d, &s, 16, imm);
    cpu->s.xmm[i->reg] = d;
}
