/* Near control transfers: JMP rel8/rel16/rel32 (EB, E9), JMP near indirect
 * (FF /4), CALL rel (E8) and near indirect (FF /2), RET near (C3) and
 * RET imm16 (C2), Jcc rel8 (70-7F) and rel16/32 (0F 80-8F), LOOP/LOOPE/
 * LOOPNE (E0-E2) and JCXZ/JECXZ (E3).
 *
 * Leaves out: far transfers (JMP/CALL ptr and m16:xx, RETF, IRET, INT;
 * src/cpu/seg.c and system.c).
 *
 * Follows the Intel SDM vol. 2 entries JMP, CALL, RET, Jcc, LOOPcc and
 * JCXZ: the new EIP is computed from the address of the next instruction,
 * truncated to 16 bits when the operand size is 16, and checked against the
 * CS limit (#GP(0)) before any state changes, so a failed branch leaves
 * ESP and ECX as they were. LOOP and JCXZ count with CX or ECX according
 * to the address size.
 */
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/exec.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"

/* Truncate a near branch target to the operand size, validate and commit
 * it (exec.h). */
static inline void near_target(struct cpu *cpu, const struct insn *i, uint64_t t)
{
    if (i->opsize == 2)
        t &= 0xffff;
    else if (i->opsize == 4)
        t = (uint32_t)t;
    branch_near(cpu, t);
}

/* ---- JMP ---- */

void op_jmp_Jb(struct cpu *cpu, const struct insn *i)
{
    near_target(cpu, i, cpu->next_rip + i->imm);
}

void op_jmp_Jz(struct cpu *cpu, const struct insn *i)
{
    near_target(cpu, i, cpu->next_rip + i->imm);
}

void op_jmp_Ev(struct cpu *cpu, const struct insn *i)
{
    near_target(cpu, i, rm_read(cpu, i, i->opsize));
}

/* ---- Jcc: the condition is the low nibble of the opcode ---- */

void op_jcc_Jb(struct cpu *cpu, const struct insn *i)
{
    if (cpu_cond(cpu, i->sub))
        near_target(cpu, i, cpu->next_rip + i->imm);
}

void op_jcc_Jz(struct cpu *cpu, const struct insn *i)
{
    if (cpu_cond(cpu, i->sub))
        near_target(cpu, i, cpu->next_rip + i->imm);
}

/* ---- CALL: the target is checked, then the return address pushed (a
 * push fault leaves ESP unchanged), then EIP changes ---- */

static inline void call_near(struct cpu *cpu, const struct insn *i, uint64_t t)
{
    uint64_t ret = cpu->next_rip;
    near_target(cpu, i, t);
    cpu_push(cpu, i->opsize, ret);
}

void op_call_Jz(struct cpu *cpu, const struct insn *i)
{
    call_near(cpu, i, cpu->next_rip + i->imm);
}

void op_call_Ev(struct cpu *cpu, const struct insn *i)
{
    call_near(cpu, i, rm_read(cpu, i, i->opsize));
}

/* ---- RET near: pop EIP (opsize wide), then release imm16 bytes ---- */

static inline void ret_near(struct cpu *cpu, const struct insn *i, uint32_t extra)
{
    unsigned size = i->opsize;
    uint64_t t = cpu_stack_peek(cpu, 0, size);
    near_target(cpu, i, t);
    if (cpu->s.stack_size == 8) {
        cpu->s.gpr[R_ESP] += size + extra;
        return;
    }
    uint32_t m = cpu->s.stack_size == 2 ? 0xffffu : 0xffffffffu;
    uint32_t esp = (uint32_t)cpu->s.gpr[R_ESP];
    set_reg32(cpu, R_ESP, (esp & ~m) | ((esp + size + extra) & m));
}

void op_ret(struct cpu *cpu, const struct insn *i)
{
    ret_near(cpu, i, 0);
}

void op_ret_Iw(struct cpu *cpu, const struct insn *i)
{
    ret_near(cpu, i, i->imm & 0xffff);
}

/* ---- LOOP family and JCXZ: the counter is CX or ECX by address size.
 * The counter is written only after the target passed its check. ---- */

static inline uint64_t count_get(const struct cpu *cpu, const struct insn *i)
{
    return reg_get(cpu, R_ECX, i->adsize);
}

static inline void count_set(struct cpu *cpu, const struct insn *i, uint64_t c)
{
    reg_set(cpu, R_ECX, i->adsize, c);
}

static inline void loop_common(struct cpu *cpu, const struct insn *i, bool cond)
{
    uint64_t c = (count_get(cpu, i) - 1) & (~(uint64_t)0 >> (64 - 8 * i->adsize));
    if (c != 0 && cond)
        near_target(cpu, i, cpu->next_rip + i->imm);
    count_set(cpu, i, c);
}

void op_loop_Jb(struct cpu *cpu, const struct insn *i)
{
    loop_common(cpu, i, true);
}

void op_loope_Jb(struct cpu *cpu, const struct insn *i)
{
    loop_common(cpu, i, flag_zf(cpu));
}

void op_loopne_Jb(struct cpu *cpu, const struct insn *i)
{
    loop_common(cpu, i, !flag_zf(cpu));
}

void op_jcxz_Jb(struct cpu *cpu, const struct insn *i)
{
    if (count_get(cpu, i) == 0)
        near_target(cpu, i, cpu->next_rip + i->imm);
}
