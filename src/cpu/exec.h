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
void exec_begin(struct cpu *cpu, const struct insn *i, uint32_t eip)
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
 * #GP(0), SDM vol. 3 5.3). */
static inline __attribute__((always_inline))
bool exec_in_cs_limit(const struct cpu *cpu, uint32_t eip, const struct insn *i)
{
    return (uint64_t)eip + i->len - 1 <= cpu->s.seg[SEG_CS].limit;
}

/* A near branch to `t`, already truncated to the operand size: #GP(0) if
 * it lies beyond the CS limit, checked before the instruction changes
 * anything (SDM vol. 2 JMP, Jcc, CALL, RET). TODO(long-mode): in 64-bit
 * mode the check is canonicality instead, here. */
static inline __attribute__((always_inline)) void branch_near(struct cpu *cpu, uint32_t t)
{
    if (__builtin_expect(t > cpu->s.seg[SEG_CS].limit, 0))
        except_gp(cpu, 0);
    cpu->next_rip = t;
}

#endif
