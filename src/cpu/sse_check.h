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
#include "cpu/x87.h"

/* MMX form: returns false when the processor froze on FERR# (CR0.NE=0):
 * the instruction is not executed. A 66 prefix selects the SSE2 XMM form
 * of the same opcode, which does not exist yet: #UD (TODO(sse): 66 rows). */
static inline bool sse_check_mmx(struct cpu *cpu, const struct insn *i)
{
    if (!cpuid_has(&cpu->model, CPUID_1_EDX, CPUID_MMX) || (cpu->s.cr0 & CR0_EM) ||
        (i->pfx & PFX_OPSZ))
        except_ud(cpu);
    if (cpu->s.cr0 & CR0_TS)
        except_raise(cpu, EXC_NM, EXC_NO_CODE);
    return x87_check_pending(cpu);
}

#endif
