/* SSE/SSE2 floating point on XMM registers: arithmetic, SQRT/RCP/RSQRT,
 * MIN/MAX, the XMM-only conversions (0F 51-5F, E6), the logic ops
 * ANDPS..XORPD (54-57), CMPPS..CMPSD (C2) and COMISS..UCOMISD (2E/2F).
 * The semantics are src/cpu/simd/ (simd_fp[], simd_fp_imm[], simd_comis*);
 * what a handler adds is docs/simd.md "What a handler does, in order":
 *   1. #UD (CPUID bit of the row's feature, CR0.EM, CR4.OSFXSR), #NM;
 *   2. the source: xmm, m128 (16-byte aligned, else #GP(0): SDM vol. 2A
 *      2.4, exception class 2), or m32/m64 for scalar forms and the
 *      conversions that read half a register (no alignment rule);
 *   3. the op on copies; its flags ORed into MXCSR; an unmasked exception
 *      is #XM, or #UD with CR4.OSXMMEXCPT=0 (SDM vol. 3 6.15, interrupt
 *      19), the destination untouched;
 *   4. the destination written (a scalar op changes lane 0 only: the
 *      library keeps the other lanes of its d). */
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/simd/simd_ops.h"

/* Step 2: the W operand of `size` bytes (16, 8, 4 or 2) into s; a register
 * source is the whole register (the op reads the lanes it needs), a short
 * memory source fills the low bytes and zeroes the rest. */
void sse_read_w(struct cpu *cpu, const struct insn *i, unsigned size, union xmm *s)
{
    if (i->mod == 3) {
        *s = cpu->s.xmm[i->rm];
        return;
    }
    if (size == 16) {
        sse_read_m128(cpu, i, true, s);
        return;
    }
    uint64_t ea = insn_ea(cpu, i);
    s->q[0] = s->q[1] = 0;
    if (size == 8)
        s->q[0] = cpu_rd64(cpu, i->seg, ea);
    else if (size == 4)
        s->d[0] = cpu_rd32(cpu, i->seg, ea);
    else
        s->w[0] = cpu_rd16(cpu, i->seg, ea);
}

/* Step 3: the flags go into MXCSR whether or not the exception is masked
 * (the host shows the faulting instruction's flags in the saved MXCSR). */
void sse_fp_status(struct cpu *cpu, uint32_t ret)
{
    cpu->s.mxcsr |= ret & MXCSR_FLAGS;
    if (ret & SIMD_FP_FAULT) {
        if (cpu->s.cr4 & CR4_OSXMMEXCPT)
            except_raise(cpu, EXC_XM, EXC_NO_CODE);
        except_ud(cpu);
    }
}

static void fp_op(struct cpu *cpu, const struct insn *i, unsigned size)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    sse_read_w(cpu, i, size, &s);
    sse_fp_status(cpu, simd_fp[i->sub](&d, &s, cpu->s.mxcsr));
    cpu->s.xmm[i->reg] = d;
}

/* d = d OP s (or OP(s)): packed with xmm/m128, scalar or half-register
 * conversions with xmm/m64 and xmm/m32. */
void op_sse_fp_Vx_Wx(struct cpu *cpu, const struct insn *i) { fp_op(cpu, i, 16); }
void op_sse_fp_Vx_Wq(struct cpu *cpu, const struct insn *i) { fp_op(cpu, i, 8); }
void op_sse_fp_Vx_Wd(struct cpu *cpu, const struct insn *i) { fp_op(cpu, i, 4); }

/* CMPPS/CMPPD/CMPSS/CMPSD: imm8 bits 2:0 pick the predicate; bits 7:3 are
 * ignored by the legacy encodings (measured on the host, which the
 * differential test compares with for every imm8). */
static void fp_imm_op(struct cpu *cpu, const struct insn *i, unsigned size)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    sse_read_w(cpu, i, size, &s);
    sse_fp_status(cpu, simd_fp_imm[i->sub](&d, &s, (uint8_t)i->imm, cpu->s.mxcsr));
    cpu->s.xmm[i->reg] = d;
}

void op_sse_fpimm_Vx_Wx_Ib(struct cpu *cpu, const struct insn *i) { fp_imm_op(cpu, i, 16); }
void op_sse_fpimm_Vx_Wq_Ib(struct cpu *cpu, const struct insn *i) { fp_imm_op(cpu, i, 8); }
void op_sse_fpimm_Vx_Wd_Ib(struct cpu *cpu, const struct insn *i) { fp_imm_op(cpu, i, 4); }

/* ANDPS/ANDNPS/ORPS/XORPS and the PD forms: bit operations on the whole
 * register (the integer pand/pandn/por/pxor), no MXCSR involvement; the
 * PS forms are SSE, so the row's feature is checked, not SSE2. */
void op_sse_bit_Vx_Wx(struct cpu *cpu, const struct insn *i)
{
    sse_check_row(cpu, i);
    union xmm s, d = cpu->s.xmm[i->reg];
    sse_read_w(cpu, i, 16, &s);
    simd_int_bin[i->sub](&d, &s, 16);
    cpu->s.xmm[i->reg] = d;
}

/* COMISS/UCOMISS/COMISD/UCOMISD (sub: bit 0 signalling COMI, bit 1
 * double): ZF PF CF from the compare, OF SF AF cleared (SDM vol. 2
 * COMISS); on #XM/#UD EFLAGS is left as it was. */
static void comis(struct cpu *cpu, const struct insn *i, unsigned size)
{
    typedef uint32_t (*comi_fn)(unsigned *, const union xmm *, const union xmm *, uint32_t);
    static const comi_fn fn[4] = { simd_ucomiss, simd_comiss, simd_ucomisd, simd_comisd };
    sse_check_row(cpu, i);
    union xmm s;
    unsigned ef = 0;
    sse_read_w(cpu, i, size, &s);
    sse_fp_status(cpu, fn[i->sub & 3](&ef, &cpu->s.xmm[i->reg], &s, cpu->s.mxcsr));
    flags_materialize(cpu);
    cpu->s.rflags = (cpu->s.rflags & ~(uint64_t)FL_ARITH) | (ef & (FL_ZF | FL_PF | FL_CF));
}

void op_sse_comis_Vx_Wd(struct cpu *cpu, const struct insn *i) { comis(cpu, i, 4); }
void op_sse_comis_Vx_Wq(struct cpu *cpu, const struct insn *i) { comis(cpu, i, 8); }
