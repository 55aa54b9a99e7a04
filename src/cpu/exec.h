/* How the interpreter starts and retires an instruction, and the near-branch
 * rule: one copy, shared by the loop (exec.c), the chained fast handlers
 * (fastops.c), the generic branch handlers (control.c) and later the JIT's
 * helpers, so the 64-bit port changes each rule in one place.
 *
 * The contract (cpu.h): while a handler runs, cpu->s.rip is its own EIP,
 * cpu->next_rip the fall-through (a branch overwrites it), cpu->insn_rsp
 * the stack pointer a fault rolls back to and cpu->cur its record. */
#ifndef RAWBOX_CPU_EXEC_H
#define RAWBOX_CPU_EXEC_H

#include <stdbool.h>
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/insn.h"

/* Before record i runs at `eip`. */
static inline __attribute__((always_inline))
void exec_begin(struct cpu *cpu, const struct insn *i, uint64_t eip)
{
    cpu->next_rip = eip + i->len;
    cpu->insn_rsp = cpu->s.gpr[R_ESP];
    cpu->cur = i;
}

/* After it ran to completion: EIP moves to the fall-through or the branch
 * target, and the instruction counts. */
static inline __attribute__((always_inline)) void exec_retire(struct cpu *cpu)
{
    cpu->s.rip = cpu->next_rip;
    cpu->icount++;
}

/* Whether record i at `eip` lies within the CS limit (else fetching it is
 * #GP(0), SDM vol. 3 5.3). 64-bit mode has no limit (SDM vol. 3A 5.3.1);
 * that test comes second, so 32-bit code pays nothing for it. */
static inline __attribute__((always_inline))
bool exec_in_cs_limit(const struct cpu *cpu, uint64_t eip, const struct insn *i)
{
    return eip + i->len - 1 <= cpu->s.seg[SEG_CS].limit || cpu->s.code_size == 8;
}

/* A near branch to `t`, already truncated to the operand size: #GP(0) if
 * it lies beyond the CS limit, checked before the instruction changes
 * anything (SDM vol. 2 JMP, Jcc, CALL, RET). In 64-bit mode there is no
 * limit check but a canonical one, #GP(0) at the branch (SDM vol. 2 JMP
 * "64-bit mode"); targets within CS.limit (below 4 GiB) are canonical, so
 * the check sits behind the limit compare and costs 32-bit code nothing. */
static inline __attribute__((always_inline)) void branch_near(struct cpu *cpu, uint64_t t)
{
    if (__builtin_expect(t > cpu->s.seg[SEG_CS].limit, 0)) {
        if (cpu->s.code_size != 8 || (uint64_t)((int64_t)(t << 16) >> 16) != t)
            except_gp(cpu, 0);
    }
    cpu->next_rip = t;
}

#endif
