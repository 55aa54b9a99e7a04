/* SSE/SSE2 conversions with a general register or an MMX register
 * (0F 2A, 2C, 2D): CVTSI2SS/SD, CVT(T)SS2SI/SD2SI (REX.W: 64-bit integer),
 * CVTPI2PS/PD, CVT(T)PS2PI, CVT(T)PD2PI. Same order as sse_fp.c; the MMX
 * forms add the x87 side of an MMX instruction (docs/simd.md, SDM vol. 3
 * 12.2, simd/mmx.h) when they touch an mm register:
 *   - #MF for a pending unmasked x87 exception, after #UD/#NM;
 *   - after the operand fetch, TOP=0 and all tags valid, also when the
 *     conversion then raises #XM (measured on the host: FSW.TOP and the
 *     abridged tag word in the signal frame of the #XM);
 *   - the written mm register gets bits 79:64 all ones.
 * CVTPI2PS/PD with a memory source touch no mm register: no #MF, no x87
 * change (the host raises neither; CVTPS2PI with a memory source, which
 * writes an mm register, does take #MF). */
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/simd/mmx.h"
#include "cpu/simd/simd_ops.h"

/* CVTSI2SS/CVTSI2SD xmm, r/m32 (r/m64 with REX.W); sub 0 = SS, 1 = SD.
 * Lane 0 only. */
void op_sse_cvtsi2s_Vx_Ey(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    int w64 = (i->rex & REX_W) != 0;
    uint64_t v;
    if (!w64)
        v = rm_read(cpu, i, 4);
    else if (i->mod == 3)
        v = cpu->s.gpr[i->rm];
    else
        v = cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
    union xmm d = cpu->s.xmm[i->reg];
    uint32_t r = i->sub ? simd_cvtsi2sd(&d, v, w64, cpu->s.mxcsr)
                        : simd_cvtsi2ss(&d, v, w64, cpu->s.mxcsr);
    sse_fp_status(cpu, r);
    cpu->s.xmm[i->reg] = d;
}

/* CVT(T)SS2SI r, xmm/m32 and CVT(T)SD2SI r, xmm/m64 (sub: bit 0 rounds
 * by MXCSR.RC, clear truncates; bit 1 double). A 32-bit result is
 * zero-extended into the 64-bit register. */
static void cvt2si(struct cpu *cpu, const struct insn *i, unsigned size)
{
    typedef uint32_t (*to_int_fn)(uint64_t *, const union xmm *, int, uint32_t);
    static const to_int_fn fn[4] = { simd_cvttss2si, simd_cvtss2si, simd_cvttsd2si, simd_cvtsd2si };
    sse_check_row(cpu, i);
    int w64 = (i->rex & REX_W) != 0;
    union xmm s;
    uint64_t v = 0;
    sse_read_w(cpu, i, size, &s);
    sse_fp_status(cpu, fn[i->sub & 3](&v, &s, w64, cpu->s.mxcsr));
    if (w64)
        set_reg64(cpu, i->reg, v);
    else
        set_reg32(cpu, i->reg, (uint32_t)v);
}

void op_sse_cvt2si_Gy_Wd(struct cpu *cpu, const struct insn *i) { cvt2si(cpu, i, 4); }
void op_sse_cvt2si_Gy_Wq(struct cpu *cpu, const struct insn *i) { cvt2si(cpu, i, 8); }

/* CVTPI2PS xmm, mm/m64 (keeps bits 127:64) and CVTPI2PD xmm, mm/m64. */
void op_sse_cvt_Vx_Qq(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    s.q[1] = 0;
    if (i->mod == 3) {
        if (!x87_check_pending(cpu))
            return;
        mmx_read(&cpu->s.fpu, i->rm, &s);
        mmx_enter(&cpu->s.fpu);
    } else {
        s.q[0] = cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
    }
    sse_fp_status(cpu, simd_fp[i->sub](&d, &s, cpu->s.mxcsr));
    cpu->s.xmm[i->reg] = d;
}

/* CVT(T)PS2PI mm, xmm/m64 and CVT(T)PD2PI mm, xmm/m128 (aligned). */
static void cvt_to_mm(struct cpu *cpu, const struct insn *i, unsigned size)
{
    sse_check_row(cpu, i);
    if (!x87_check_pending(cpu))
        return;
    union xmm s, d;
    sse_read_w(cpu, i, size, &s);
    mmx_enter(&cpu->s.fpu);
    d.q[1] = 0;
    mmx_read(&cpu->s.fpu, i->reg, &d);
    sse_fp_status(cpu, simd_fp[i->sub](&d, &s, cpu->s.mxcsr));
    mmx_write(&cpu->s.fpu, i->reg, &d);
}

void op_sse_cvt_Pq_Wq(struct cpu *cpu, const struct insn *i) { cvt_to_mm(cpu, i, 8); }
void op_sse_cvt_Pq_Wx(struct cpu *cpu, const struct insn *i) { cvt_to_mm(cpu, i, 16); }
