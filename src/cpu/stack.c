/* Stack instructions: PUSH/POP of general registers (50-5F), immediates
 * (68, 6A), r/m operands (FF /6, 8F /0), segment registers (PUSH ES/CS/SS/
 * DS/FS/GS), PUSHA/POPA (60/61), ENTER (C8) and LEAVE (C9).
 *
 * Leaves out: PUSHF/POPF and POP of segment registers (system.c, which
 * owns segment loads and EFLAGS privilege rules).
 *
 * Follows the Intel SDM vol. 2 entries PUSH, POP, PUSHA/PUSHAD,
 * POPA/POPAD, ENTER and LEAVE:
 *  - The operand size picks the width pushed; the stack size (SS.B, kept
 *    in cpu->s.stack_size) picks SP or ESP, and with a 16-bit stack only SP
 *    moves (wrapping at 64 KiB).
 *  - PUSH SP/ESP pushes the value before the push (286 and later).
 *  - POP to memory computes an ESP-based address after ESP is incremented.
 *  - PUSH of a segment register with a 32-bit operand size moves ESP by 4
 *    and writes only the low 16 bits, as P6 and later Intel CPUs do
 *    ("a 16-bit move" in the SDM's PUSH entry); QEMU writes 32 bits.
 * Registers change only after every access that can fault has succeeded.
 */
#include "cpu/cpu.h"
#include "cpu/except.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"

/* Stack-size mask of SP/ESP. */
static inline uint64_t sp_mask(const struct cpu *cpu)
{
    return cpu->s.stack_size == 2 ? 0xffffu : cpu->s.stack_size == 4 ? 0xffffffffu : ~(uint64_t)0;
}

/* Write RSP after a stack-size-masked update: all 64 bits in 64-bit mode,
 * else as a 32-bit write (the mask kept ESP's upper half where it must). */
static inline void set_rsp(struct cpu *cpu, uint64_t v)
{
    if (cpu->s.stack_size == 8)
        set_reg64(cpu, R_ESP, v);
    else
        set_reg32(cpu, R_ESP, (uint32_t)v);
}

/* In 64-bit mode the operand size is 8 (D64 rows) or 2 with 66; the
 * decoder never gives 4 there (SDM vol. 2 PUSH). */
static inline void push_v(struct cpu *cpu, unsigned size, uint64_t v)
{
    cpu_push(cpu, size, v);
}

/* ---- PUSH/POP general registers ---- */

void op_push_Zv(struct cpu *cpu, const struct insn *i)
{
    push_v(cpu, i->opsize, cpu->s.gpr[i->rm]);
}

void op_pop_Zv(struct cpu *cpu, const struct insn *i)
{
    /* POP ESP: the popped value replaces the incremented stack pointer. */
    uint64_t v = cpu_pop(cpu, i->opsize);
    reg_set(cpu, i->rm, i->opsize, v);
}

void op_push_Iz(struct cpu *cpu, const struct insn *i)
{
    push_v(cpu, i->opsize, i->imm);
}

void op_push_Ibs(struct cpu *cpu, const struct insn *i)
{
    push_v(cpu, i->opsize, i->imm);
}

void op_push_Ev(struct cpu *cpu, const struct insn *i)
{
    push_v(cpu, i->opsize, rm_read(cpu, i, i->opsize));
}

/* POP Ev: the value is read first; a memory destination whose address uses
 * ESP as base sees ESP after the increment (SDM POP). ESP is written last,
 * so a faulting store leaves it unchanged. */
void op_pop_Ev(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t v = cpu_stack_peek(cpu, 0, size);
    uint64_t m = sp_mask(cpu);
    uint64_t esp = cpu->s.gpr[R_ESP];
    uint64_t new_esp = (esp & ~m) | ((esp + size) & m);
    if (cpu->s.stack_size != 8)
        new_esp = (uint32_t)new_esp;
    if (i->mod == 3) {
        cpu->s.gpr[R_ESP] = new_esp;
        reg_set(cpu, i->rm, size, v);
        return;
    }
    uint64_t saved = cpu->s.gpr[R_ESP];
    cpu->s.gpr[R_ESP] = new_esp;        /* the EA sees the incremented RSP */
    uint64_t ea = insn_ea(cpu, i);
    cpu->s.gpr[R_ESP] = saved;
    cpu_wr(cpu, i->seg, ea, v, size);
    cpu->s.gpr[R_ESP] = new_esp;
}

/* ---- PUSH segment register: 06 0E 16 1E, 0F A0, 0F A8 ---- */

static void push_sreg(struct cpu *cpu, const struct insn *i, int s)
{
    uint16_t sel = cpu->s.seg[s].sel;
    if (i->opsize == 2) {
        cpu_push16(cpu, sel);
        return;
    }
    /* 4 or 8 bytes (FS/GS in 64-bit mode), written as a 16-bit move. */
    unsigned size = i->opsize;
    uint64_t m = sp_mask(cpu);
    uint64_t esp = cpu->s.gpr[R_ESP];
    uint64_t sp = (esp - size) & m;
    cpu_check_write(cpu, SEG_SS, sp, size);
    cpu_wr16(cpu, SEG_SS, sp, sel);
    set_rsp(cpu, (esp & ~m) | sp);
}

/* The segment register is the row's sub-op. */
void op_push_sreg(struct cpu *cpu, const struct insn *i)
{
    push_sreg(cpu, i, i->sub);
}

/* ---- PUSHA/PUSHAD (60), POPA/POPAD (61) ---- */

/* PUSHA: EAX ECX EDX EBX (original) ESP EBP ESI EDI, 8 slots below SP.
 * Both ends of the block are checked first: the block is at most 32 bytes,
 * so it spans at most two pages and, unless SP wraps, one limit check per
 * end covers it. */
void op_pusha(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint32_t m = sp_mask(cpu);
    uint32_t esp = (uint32_t)cpu->s.gpr[R_ESP];
    uint32_t top = (esp - size) & m;
    uint32_t bottom = (esp - 8 * size) & m;
    cpu_check_write(cpu, SEG_SS, top, size);
    cpu_check_write(cpu, SEG_SS, bottom, size);
    for (unsigned r = 0; r < 8; r++)
        cpu_wr(cpu, SEG_SS, (esp - (r + 1) * size) & m, (uint32_t)cpu->s.gpr[r], size);
    set_reg32(cpu, R_ESP, (esp & ~m) | bottom);
}

/* POPA: the reverse; the saved SP/ESP slot is skipped. */
void op_popa(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint32_t v[8];
    for (unsigned r = 0; r < 8; r++)
        if (r != R_ESP)
            v[r] = cpu_stack_peek(cpu, (7 - r) * size, size);
    for (unsigned r = 0; r < 8; r++)
        if (r != R_ESP)
            reg_set(cpu, r, size, v[r]);
    uint32_t m = sp_mask(cpu);
    uint32_t esp = (uint32_t)cpu->s.gpr[R_ESP];
    set_reg32(cpu, R_ESP, (esp & ~m) | ((esp + 8 * size) & m));
}

/* ---- ENTER Iw, Ib (C8) ----
 * SDM ENTER: push (E)BP; FrameTemp = (E)SP; for levels 1..L-1 copy the
 * enclosing frame pointers from [(E)BP - k*size] (the stack size picks BP or
 * EBP); push FrameTemp; (E)BP = FrameTemp; (E)SP -= AllocSize. The level is
 * taken modulo 32. Work is done on copies and the registers are written at
 * the end; a write at the new stack pointer is checked (#SS, #PF). */
void op_enter_Iw_Ib(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    unsigned level = i->imm2 & 31;
    uint64_t alloc = i->imm & 0xffff;
    uint64_t m = sp_mask(cpu);
    uint64_t esp = cpu->s.gpr[R_ESP];
    uint64_t ebp = cpu->s.gpr[R_EBP];
    uint64_t sp = esp & m;
    uint64_t bp = ebp & m;

    sp = (sp - size) & m;
    cpu_wr(cpu, SEG_SS, sp, ebp, size);
    /* FrameTemp is ESP by operand size: with a 32-bit operand size on a
     * 16-bit stack it keeps ESP's upper half, pushed and loaded into EBP. */
    uint64_t frame = size >= 4 ? (esp & ~m) | sp : sp;
    if (level > 0) {
        for (unsigned k = 1; k < level; k++) {
            bp = (bp - size) & m;
            uint64_t v = cpu_rd(cpu, SEG_SS, bp, size);
            sp = (sp - size) & m;
            cpu_wr(cpu, SEG_SS, sp, v, size);
        }
        sp = (sp - size) & m;
        cpu_wr(cpu, SEG_SS, sp, frame, size);
    }
    sp = (sp - alloc) & m;
    /* SDM ENTER: #SS/#PF if a write at the final stack pointer would fault. */
    cpu_check_write(cpu, SEG_SS, sp, 1);

    /* The new (E)BP is FrameTemp, the stack pointer after the first push
     * (with a 16-bit operand size only BP changes). */
    reg_set(cpu, R_EBP, size, frame);
    set_rsp(cpu, (esp & ~m) | sp);
}

/* ---- LEAVE (C9): (E)SP = (E)BP by stack size, then pop (E)BP ---- */
void op_leave(struct cpu *cpu, const struct insn *i)
{
    unsigned size = i->opsize;
    uint64_t m = sp_mask(cpu);
    uint64_t esp = cpu->s.gpr[R_ESP];
    uint64_t bp = cpu->s.gpr[R_EBP] & m;
    uint64_t v = cpu_rd(cpu, SEG_SS, bp, size);
    set_rsp(cpu, (esp & ~m) | ((bp + size) & m));
    reg_set(cpu, R_EBP, size, v);
}
