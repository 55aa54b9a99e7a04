/* SSE2 packed-integer forms on XMM registers (66 0F rows): the same
 * library ops as MMX with len 16 (docs/simd.md). Checks in sse_check.h
 * order: #UD (CPUID SSE2, CR0.EM, CR4.OSFXSR), #NM (CR0.TS), then the
 * operand (#GP(0) for a misaligned m128, SDM vol. 2A table 2-18). */
#include <string.h>
#include "cpu/sse_check.h"
#include "cpu/simd/simd_ops.h"

/* d = d OP s, s = xmm/m128 (aligned). The CPUID bit is the row's: SSE2,
 * or SSSE3/SSE4.1/SSE4.2 for the 66 0F 38 forms. */
void op_sse_int_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    if (i->mod == 3)
        s = cpu->s.xmm[i->rm];
    else
        sse_read_m128(cpu, i, true, &s);
    simd_int_bin[i->sub](&d, &s, 16);
    cpu->s.xmm[i->reg] = d;
}

/* Shifts of an XMM register by imm8: 66 0F 71-73 (PSRLW ... PSLLQ through
 * op_mmx_Nq_Ib) and PSRLDQ/PSLLDQ (66 0F 73 /3 /7, which have no MMX form). */
void op_sse_Ux_Ib(struct cpu *cpu, const struct insn *i)
{
    if (!(i->pfx & PFX_OPSZ))
        except_ud(cpu);
    sse_check_sse(cpu, CPUID_1_EDX, CPUID_SSE2);
    union xmm d = cpu->s.xmm[i->rm];
    simd_int_imm[i->sub](&d, &d, 16, (uint8_t)i->imm);
    cpu->s.xmm[i->rm] = d;
}
