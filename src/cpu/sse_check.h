/* The checks every MMX/SSE handler makes before touching an operand, in
 * the order of docs/simd.md (SDM vol. 2A 2.4 exception classes; vol. 3
 * table 2-2 for CR0.EM/MP/TS; vol. 3 12.5.1 for #MF before MMX):
 *   1. #UD if the CPU model lacks the extension or CR0.EM=1
 *      (SSE forms also #UD with CR4.OSFXSR=0; MMX forms do not look at it);
 *   2. #NM if CR0.TS=1;
 *   3. MMX only: a pending unmasked x87 exception is reported (#MF).
 * Operands are fetched afterwards, faults before any state changes. */
#ifndef RAWBOX_CPU_SSE_CHECK_H
#define RAWBOX_CPU_SSE_CHECK_H

#include <stdbool.h>
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/optable.h"
#include "cpu/x87.h"
#include "cpu/xmm.h"

/* The CPUID bit of a row's feature column (optable.h enum feat) for the
 * MMX, SSE ... SSE4.2 and POPCNT rows; anything else reads as MMX. */
static inline uint32_t sse_feat_bit(unsigned feat, enum cpuid_word *word)
{
    *word = CPUID_1_ECX;
    switch (feat) {
    case FEAT_SSE3: return CPUID_C_SSE3;
    case FEAT_SSSE3: return CPUID_C_SSSE3;
    case FEAT_SSE41: return CPUID_C_SSE41;
    case FEAT_SSE42: return CPUID_C_SSE42;
    case FEAT_POPCNT: return CPUID_C_POPCNT;
    default: break;
    }
    *word = CPUID_1_EDX;
    return feat == FEAT_SSE ? CPUID_SSE : feat == FEAT_SSE2 ? CPUID_SSE2 : CPUID_MMX;
}

/* Whether the CPU model claims the feature of the row `i` decoded to. */
static inline bool sse_row_has(const struct cpu *cpu, const struct insn *i)
{
    enum cpuid_word word;
    uint32_t bit = sse_feat_bit(optable_rows[i->row].feat, &word);
    return cpuid_has(&cpu->model, word, bit);
}

/* MMX form: returns false when the processor froze on FERR# (CR0.NE=0):
 * the instruction is not executed. The CPUID bit is the row's feature: MMX,
 * or SSE/SSE2/SSSE3 for the mm forms those added (PAVGB mm, PADDQ mm,
 * PSHUFB mm). A 66 prefix that reaches an MMX handler has no XMM form
 * there: #UD. */
static inline bool sse_check_mmx(struct cpu *cpu, const struct insn *i)
{
    if (!sse_row_has(cpu, i) || (cpu->s.cr0 & CR0_EM) || (i->pfx & PFX_OPSZ))
        except_ud(cpu);
    if (cpu->s.cr0 & CR0_TS)
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
    return x87_check_pending(cpu);
}

/* SSE form needing CPUID bit `bit` of CPUID.1:EDX (or ECX with word). */
static inline void sse_check_sse(struct cpu *cpu, enum cpuid_word word, uint32_t bit)
{
    if (!cpuid_has(&cpu->model, word, bit) || (cpu->s.cr0 & CR0_EM) ||
        !(cpu->s.cr4 & CR4_OSFXSR))
        except_ud(cpu);
    if (cpu->s.cr0 & CR0_TS)
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
}

/* SSE form needing the CPUID bit of its row's feature column. */
static inline void sse_check_row(struct cpu *cpu, const struct insn *i)
{
    enum cpuid_word word;
    uint32_t bit = sse_feat_bit(optable_rows[i->row].feat, &word);
    sse_check_sse(cpu, word, bit);
}

/* The 16-byte memory operand of a legacy SSE form: #GP(0) when `aligned`
 * and the linear address is not 16-byte aligned (SDM vol. 2A 2.4, table
 * 2-18 class 1); both halves are checked before either is read or written,
 * so a fault in the second page comes before any byte is stored. */
void sse_read_m128(struct cpu *cpu, const struct insn *i, bool aligned, union xmm *v);
void sse_write_m128(struct cpu *cpu, const struct insn *i, bool aligned, const union xmm *v);

void op_sse_Ux_Ib(struct cpu *cpu, const struct insn *i);

/* Floating-point forms (sse_fp.c). sse_read_w: the xmm or memory source
 * of `size` bytes (16: aligned m128; 8, 4, 2: m64/m32/m16 into the low bytes, the
 * rest zero). sse_fp_status: ORs a library result's flags into MXCSR and
 * on SIMD_FP_FAULT raises #XM (CR4.OSXMMEXCPT=1) or #UD. */
void sse_read_w(struct cpu *cpu, const struct insn *i, unsigned size, union xmm *s);
void sse_fp_status(struct cpu *cpu, uint32_t ret);

#endif
