/* Data movement and small flag instructions: MOV (88-8B, A0-A3 moffs,
 * B0-BF, C6/C7), MOVZX/MOVSX, LEA, XCHG (86/87, 90+r; 90 = NOP and F3 90 =
 * PAUSE), CBW/CWDE/CWD/CDQ, LAHF/SAHF, XLAT, CLC/STC/CMC/CLD/STD, SALC,
 * the multi-byte NOP 0F 1F /0 and BOUND.
 *
 * Leaves out: MOV to/from segment, control and debug registers (8C/8E,
 * 0F 20-23; src/cpu/system.c), PUSHF/POPF (system.c).
 *
 * Follows the Intel SDM vol. 2 entries of each instruction. Every memory
 * access that can fault is done before a register or flag changes, so a
 * fault leaves the state as before the instruction.
 *
 * Undocumented choices, as P6-family CPUs behave:
 *  - SALC (D6) sets AL to FFh when CF=1 and to 00h otherwise, flags kept.
 *  - LAHF stores bit 1 as 1 and bits 3 and 5 as 0; SAHF ignores AH bits
 *    1, 3 and 5.
 */
#include "cpu/cpu.h"
#include "cpu/cpuid.h"
#include "cpu/except.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mmu.h"

/* Segment of a memory operand that defaults to DS without ModRM (moffs,
 * XLAT): the override when one was given. */
static inline int ds_seg(const struct insn *i)
{
    return (i->pfx & PFX_SEG) ? i->seg : SEG_DS;
}

/* ---- MOV 88-8B ---- */

void op_mov_Eb_Gb(struct cpu *cpu, const struct insn *i)
{
    rm_write(cpu, i, 1, reg8(cpu, i->reg));
}

void op_mov_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    if (i->mod == 3) {
        reg_set(cpu, i->rm, i->opsize, cpu->s.gpr[i->reg]);
        return;
    }
    cpu_wr(cpu, i->seg, insn_ea(cpu, i), cpu->s.gpr[i->reg], i->opsize);
}

void op_mov_Gb_Eb(struct cpu *cpu, const struct insn *i)
{
    set_reg8(cpu, i->reg, (uint8_t)rm_read(cpu, i, 1));
}

void op_mov_Gv_Ev(struct cpu *cpu, const struct insn *i)
{
    uint64_t v = i->mod == 3 ? cpu->s.gpr[i->rm]
                             : cpu_rd(cpu, i->seg, insn_ea(cpu, i), i->opsize);
    reg_set(cpu, i->reg, i->opsize, v);
}

/* ---- MOV A0-A3: the offset (address-size wide) is in i->disp ---- */

/* In 64-bit mode the decoder puts the whole 8-byte (or, with 67, 4-byte)
 * offset in i->imm (SDM vol. 2 MOV, A0-A3). */
static inline uint64_t moffs(const struct insn *i)
{
    if (i->adsize == 8)
        return i->imm;
    return i->adsize == 2 ? (uint32_t)(i->disp & 0xffff) : (uint32_t)i->disp;
}

void op_mov_AL_Ob(struct cpu *cpu, const struct insn *i)
{
    set_reg8(cpu, R_EAX, cpu_rd8(cpu, ds_seg(i), moffs(i)));
}

void op_mov_eAX_Ov(struct cpu *cpu, const struct insn *i)
{
    reg_set(cpu, R_EAX, i->opsize, cpu_rd(cpu, ds_seg(i), moffs(i), i->opsize));
}

void op_mov_Ob_AL(struct cpu *cpu, const struct insn *i)
{
    cpu_wr8(cpu, ds_seg(i), moffs(i), (uint8_t)cpu->s.gpr[R_EAX]);
}

void op_mov_Ov_eAX(struct cpu *cpu, const struct insn *i)
{
    cpu_wr(cpu, ds_seg(i), moffs(i), cpu->s.gpr[R_EAX], i->opsize);
}

/* ---- MOV B0-BF: register in the low three opcode bits ---- */

void op_mov_Zb_Ib(struct cpu *cpu, const struct insn *i)
{
    set_reg8(cpu, i->rm, (uint8_t)i->imm);
}

void op_mov_Zv_Iv(struct cpu *cpu, const struct insn *i)
{
    reg_set(cpu, i->rm, i->opsize, i->imm);
}

/* ---- MOV C6 /0, C7 /0 ---- */

void op_mov_Eb_Ib(struct cpu *cpu, const struct insn *i)
{
    rm_write(cpu, i, 1, i->imm);
}

void op_mov_Ev_Iz(struct cpu *cpu, const struct insn *i)
{
    rm_write(cpu, i, i->opsize, i->imm);
}

/* ---- MOVZX / MOVSX (0F B6, B7, BE, BF) ---- */

void op_movzx_Gv_Eb(struct cpu *cpu, const struct insn *i)
{
    reg_set(cpu, i->reg, i->opsize, rm_read(cpu, i, 1));
}

void op_movzx_Gv_Ew(struct cpu *cpu, const struct insn *i)
{
    reg_set(cpu, i->reg, i->opsize, rm_read(cpu, i, 2));
}

void op_movsx_Gv_Eb(struct cpu *cpu, const struct insn *i)
{
    reg_set(cpu, i->reg, i->opsize, (uint64_t)(int64_t)(int8_t)rm_read(cpu, i, 1));
}

void op_movsx_Gv_Ew(struct cpu *cpu, const struct insn *i)
{
    reg_set(cpu, i->reg, i->opsize, (uint64_t)(int64_t)(int16_t)rm_read(cpu, i, 2));
}

/* ---- LEA 8D: the offset only, wrapped to the address size, then
 * truncated to the operand size. A register operand is #UD. ---- */

void op_lea_Gv_M(struct cpu *cpu, const struct insn *i)
{
    if (i->mod == 3)
        except_ud(cpu);
    reg_set(cpu, i->reg, i->opsize, insn_ea(cpu, i));
}

/* ---- XCHG 86, 87, 90+r ---- */

void op_xchg_Eb_Gb(struct cpu *cpu, const struct insn *i)
{
    uint8_t a = i->mod == 3 ? reg8(cpu, i->rm)
                            : (uint8_t)cpu_rd_rmw(cpu, i->seg, insn_ea(cpu, i), 1);
    rm_write(cpu, i, 1, reg8(cpu, i->reg));
    set_reg8(cpu, i->reg, a);
}

void op_xchg_Ev_Gv(struct cpu *cpu, const struct insn *i)
{
    uint64_t a = i->mod == 3 ? reg_get(cpu, i->rm, i->opsize)
                             : cpu_rd_rmw(cpu, i->seg, insn_ea(cpu, i), i->opsize);
    rm_write(cpu, i, i->opsize, cpu->s.gpr[i->reg]);
    reg_set(cpu, i->reg, i->opsize, a);
}

void op_xchg_Zv_eAX(struct cpu *cpu, const struct insn *i)
{
    unsigned r = i->rm;
    uint64_t a = cpu->s.gpr[R_EAX];
    reg_set(cpu, R_EAX, i->opsize, cpu->s.gpr[r]);
    reg_set(cpu, r, i->opsize, a);
}

/* 90: NOP; with F3 it is PAUSE, which an interpreter also runs as a NOP.
 * 0F 1F /0: the multi-byte NOP; its memory operand is never accessed. */
void op_nop(struct cpu *cpu, const struct insn *i)
{
    (void)cpu;
    (void)i;
}

void op_nop_Ev(struct cpu *cpu, const struct insn *i)
{
    (void)cpu;
    (void)i;
}

/* ---- CBW/CWDE (98), CWD/CDQ (99) ---- */

void op_cbw(struct cpu *cpu, const struct insn *i)
{
    if (i->opsize == 2)
        set_reg16(cpu, R_EAX, (uint16_t)(int16_t)(int8_t)cpu->s.gpr[R_EAX]);
    else if (i->opsize == 4)
        set_reg32(cpu, R_EAX, (uint32_t)(int32_t)(int16_t)cpu->s.gpr[R_EAX]);
    else
        set_reg64(cpu, R_EAX, (uint64_t)(int64_t)(int32_t)cpu->s.gpr[R_EAX]);
}

void op_cwd(struct cpu *cpu, const struct insn *i)
{
    if (i->opsize == 2)
        set_reg16(cpu, R_EDX, (cpu->s.gpr[R_EAX] & 0x8000) ? 0xffff : 0);
    else if (i->opsize == 4)
        set_reg32(cpu, R_EDX, (cpu->s.gpr[R_EAX] & 0x80000000u) ? 0xffffffffu : 0);
    else
        set_reg64(cpu, R_EDX, (uint64_t)((int64_t)cpu->s.gpr[R_EAX] >> 63));
}

/* ---- LAHF (9F), SAHF (9E) ---- */

#define AH_FLAGS (FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF)

/* In 64-bit mode LAHF and SAHF exist only if CPUID.80000001H:ECX.LAHF-SAHF[0]
 * says so, else #UD (SDM vol. 2 LAHF, SAHF). */
static void lahf_sahf_check(struct cpu *cpu)
{
    if (cpu->s.mode == MODE_LONG64 && !cpuid_has(&cpu->model, CPUID_80000001_ECX, 1u))
        except_ud(cpu);
}

void op_lahf(struct cpu *cpu, const struct insn *i)
{
    lahf_sahf_check(cpu);
    set_reg8(cpu, 4, (uint8_t)((flags_get(cpu) & AH_FLAGS) | 0x02));
}

void op_sahf(struct cpu *cpu, const struct insn *i)
{
    lahf_sahf_check(cpu);
    uint32_t ah = reg8(cpu, 4);
    flags_materialize(cpu);
    cpu->s.rflags = (cpu->s.rflags & ~AH_FLAGS) | (ah & AH_FLAGS) | 0x02;
}

/* ---- XLAT (D7): AL = [seg:(E)BX + AL], DS default, overridable ---- */

void op_xlat(struct cpu *cpu, const struct insn *i)
{
    uint64_t off = cpu->s.gpr[R_EBX] + (uint8_t)cpu->s.gpr[R_EAX];
    off &= i->adsize == 8 ? ~(uint64_t)0 : i->adsize == 4 ? 0xffffffffu : 0xffffu;
    set_reg8(cpu, R_EAX, cpu_rd8(cpu, ds_seg(i), off));
}

/* ---- flag instructions F5, F8-F9, FC-FD; SALC D6 ---- */

void op_clc(struct cpu *cpu, const struct insn *i)
{
    flags_set_bits(cpu, FL_CF, false);
}

void op_stc(struct cpu *cpu, const struct insn *i)
{
    flags_set_bits(cpu, FL_CF, true);
}

void op_cmc(struct cpu *cpu, const struct insn *i)
{
    flags_set_bits(cpu, FL_CF, !flag_cf(cpu));
}

void op_cld(struct cpu *cpu, const struct insn *i)
{
    cpu->s.rflags &= ~FL_DF;
}

void op_std(struct cpu *cpu, const struct insn *i)
{
    cpu->s.rflags |= FL_DF;
}

void op_salc(struct cpu *cpu, const struct insn *i)
{
    set_reg8(cpu, R_EAX, flag_cf(cpu) ? 0xff : 0x00);
}

/* ---- BOUND Gv, Ma (62): signed bounds pair at the memory operand;
 * out of range raises #BR (vector 5, a fault). Register form is #UD. ---- */

void op_bound_Gv_Ma(struct cpu *cpu, const struct insn *i)
{
    if (i->mod == 3)
        except_ud(cpu);
    uint32_t ea = insn_ea(cpu, i);
    uint32_t ea2 = ea + i->opsize;
    if (i->adsize == 2)
        ea2 &= 0xffff;
    int32_t lo, hi, idx;
    if (i->opsize == 2) {
        lo = (int16_t)cpu_rd16(cpu, i->seg, ea);
        hi = (int16_t)cpu_rd16(cpu, i->seg, ea2);
        idx = (int16_t)cpu->s.gpr[i->reg];
    } else {
        lo = (int32_t)cpu_rd32(cpu, i->seg, ea);
        hi = (int32_t)cpu_rd32(cpu, i->seg, ea2);
        idx = (int32_t)cpu->s.gpr[i->reg];
    }
    if (idx < lo || idx > hi)
        except_raise(cpu, EXC_BR, EXC_NO_CODE);
}

/* ---- MOVSXD (63 in 64-bit mode): sign-extend a doubleword; without
 * REX.W it moves 32 bits (zero-extended as any 32-bit write), and with 66
 * 16 bits (SDM vol. 2 MOVSX/MOVSXD). ---- */

void op_movsxd_Gv_Ed(struct cpu *cpu, const struct insn *i)
{
    uint64_t v = rm_read(cpu, i, i->opsize == 8 ? 4 : i->opsize);
    if (i->opsize == 8)
        v = (uint64_t)(int64_t)(int32_t)v;
    reg_set(cpu, i->reg, i->opsize, v);
}
