/* MMX instructions (SDM vol. 1 ch. 9, vol. 2 instruction pages): the
 * packed-integer ops of src/cpu/simd/ on mm registers, MOVD/MOVQ and EMMS.
 * Every form checks #UD/#NM/#MF first (sse_check.h), reads its operands
 * (a memory fault leaves the x87 state alone), then makes the x87 state
 * changes of an MMX instruction (simd/mmx.h: TOP=0, tags valid, bits 79:64
 * of a written register all ones) and writes the result. */
#include <string.h>
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/simd/mmx.h"
#include "cpu/simd/simd_ops.h"

/* The Qq/Qd operand: mm register ModRM.rm (REX.B does not extend mm
 * registers), or `size` (8 or 4) bytes of memory into the low bytes. */
static void read_q(struct cpu *cpu, const struct insn *i, unsigned size, union xmm *v)
{
    memset(v, 0, sizeof *v);
    if (i->mod == 3)
        mmx_read(&cpu->s.fpu, i->rm, v);
    else if (size == 8)
        v->q[0] = cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
    else
        v->d[0] = cpu_rd32(cpu, i->seg, insn_ea(cpu, i));
}

static void binop(struct cpu *cpu, const struct insn *i, unsigned size)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm d, s;
    read_q(cpu, i, size, &s);
    memset(&d, 0, sizeof d);
    mmx_read(&cpu->s.fpu, i->reg, &d);
    simd_int_bin[i->sub](&d, &s, 8);
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->reg, &d);
}

/* d = d OP s, s = mm/m64. */
void op_mmx_Pq_Qq(struct cpu *cpu, const struct insn *i) { binop(cpu, i, 8); }
/* PUNPCKL*: the memory form reads 32 bits (SDM vol. 2 PUNPCKLBW). */
void op_mmx_Pq_Qd(struct cpu *cpu, const struct insn *i) { binop(cpu, i, 4); }

/* d = f(d, s, imm8), s = mm/m64: PALIGNR mm (SSSE3). */
void op_mmx_Pq_Qq_Ib(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm d, s;
    read_q(cpu, i, 8, &s);
    memset(&d, 0, sizeof d);
    mmx_read(&cpu->s.fpu, i->reg, &d);
    simd_int_imm[i->sub](&d, &s, 8, (uint8_t)i->imm);
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->reg, &d);
}

/* Shifts by an immediate (groups 12-14, register forms only); with 66
 * the same rows are the SSE2 XMM shifts (groups carry no prefix rows). */
void op_mmx_Nq_Ib(struct cpu *cpu, const struct insn *i)
{
    if (i->pfx & PFX_OPSZ) {
        op_sse_Ux_Ib(cpu, i);
        return;
    }
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm d;
    memset(&d, 0, sizeof d);
    mmx_read(&cpu->s.fpu, i->rm, &d);
    simd_int_imm[i->sub](&d, &d, 8, (uint8_t)i->imm);
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->rm, &d);
}

/* MOVD mm, r/m32 zero-extends; MOVQ mm, r/m64 with REX.W. */
void op_movd_Pq_Ey(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm d;
    memset(&d, 0, sizeof d);
    if (i->rex & REX_W)
        d.q[0] = i->mod == 3 ? cpu->s.gpr[i->rm] : cpu_rd64(cpu, i->seg, insn_ea(cpu, i));
    else
        d.d[0] = rm_read(cpu, i, 4);
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->reg, &d);
}

/* MOVD r/m32, mm (a 32-bit register destination is zero-extended in
 * 64-bit mode); MOVQ r/m64, mm with REX.W. Reading an mm register is an
 * MMX instruction too: TOP=0, tags valid. */
void op_movd_Ey_Pq(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm s;
    mmx_read(&cpu->s.fpu, i->reg, &s);
    if (!(i->rex & REX_W))
        rm_write(cpu, i, 4, s.d[0]);
    else if (i->mod == 3)
        cpu->s.gpr[i->rm] = s.q[0];
    else
        cpu_wr64(cpu, i->seg, insn_ea(cpu, i), s.q[0]);
    mmx_enter(&cpu->s.fpu);
}

void op_movq_Pq_Qq(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm s;
    read_q(cpu, i, 8, &s);
    mmx_enter(&cpu->s.fpu);
    mmx_write(&cpu->s.fpu, i->reg, &s);
}

void op_movq_Qq_Pq(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    union xmm s;
    mmx_read(&cpu->s.fpu, i->reg, &s);
    if (i->mod == 3) {
        mmx_enter(&cpu->s.fpu);
        mmx_write(&cpu->s.fpu, i->rm, &s);
        return;
    }
    cpu_wr64(cpu, i->seg, insn_ea(cpu, i), s.q[0]);
    mmx_enter(&cpu->s.fpu);
}

/* EMMS: all tags empty (SDM vol. 2 EMMS; #NM with CR0.TS, #MF pending). */
void op_emms(struct cpu *cpu, const struct insn *i)
{
    if (!sse_check_mmx(cpu, i))
        return;
    mmx_emms(&cpu->s.fpu);
}
