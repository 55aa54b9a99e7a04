/* SSE4.2 string compares (PCMPESTRI/M, PCMPISTRI/M), CRC32 and POPCNT:
 * the handlers around src/cpu/simd/str.c and crc32_popcnt.c.
 *
 * The string compares are SSE instructions (sse_check.h: CPUID SSE4.2,
 * CR0.EM, CR4.OSFXSR, CR0.TS) whose m128 operand has no alignment rule
 * (SDM vol. 2A 4.1.1); they write ECX (zero-extended into RCX in 64-bit
 * mode) or XMM0, and CF ZF SF OF with AF and PF cleared. CRC32 and POPCNT
 * are general-register instructions: only their CPUID bit can make them
 * #UD (SDM vol. 2 CRC32, POPCNT), CR0 and CR4 do not matter. */
#include <string.h>
#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/sse_check.h"
#include "cpu/simd/simd_str.h"

/* The operands of a string compare: a = xmm1 (ModRM.reg), b = xmm2/m128. */
static void str_operands(struct cpu *cpu, const struct insn *i, union xmm *a, union xmm *b)
{
    sse_check_row(cpu, i);
    *a = cpu->s.xmm[i->reg];
    if (i->mod == 3)
        *b = cpu->s.xmm[i->rm];
    else
        sse_read_m128(cpu, i, false, b);
}

/* Explicit lengths: EAX and EDX, or RAX and RDX with REX.W (SDM vol. 2
 * PCMPESTRI: "the length of the string is in EAX/RAX"), signed. */
static int64_t len_reg(const struct cpu *cpu, const struct insn *i, unsigned r)
{
    return (i->rex & REX_W) ? (int64_t)cpu->s.gpr[r] : (int64_t)(int32_t)cpu->s.gpr[r];
}

/* The library's CF ZF SF OF image into EFLAGS; AF and PF cleared. */
static void set_str_flags(struct cpu *cpu, unsigned f)
{
    flags_set_bits(cpu, FL_ARITH, false);
    flags_set_bits(cpu, f & (FL_CF | FL_ZF | FL_SF | FL_OF), true);
}

void op_pcmpestri(struct cpu *cpu, const struct insn *i)
{
    union xmm a, b;
    unsigned f;
    str_operands(cpu, i, &a, &b);
    uint32_t idx = simd_pcmpestri(&a, &b, len_reg(cpu, i, R_EAX), len_reg(cpu, i, R_EDX),
                                  (uint8_t)i->imm, &f);
    set_reg32(cpu, R_ECX, idx);
    set_str_flags(cpu, f);
}

void op_pcmpestrm(struct cpu *cpu, const struct insn *i)
{
    union xmm a, b, m;
    unsigned f;
    str_operands(cpu, i, &a, &b);
    simd_pcmpestrm(&m, &a, &b, len_reg(cpu, i, R_EAX), len_reg(cpu, i, R_EDX),
                   (uint8_t)i->imm, &f);
    cpu->s.xmm[0] = m;
    set_str_flags(cpu, f);
}

void op_pcmpistri(struct cpu *cpu, const struct insn *i)
{
    union xmm a, b;
    unsigned f;
    str_operands(cpu, i, &a, &b);
    set_reg32(cpu, R_ECX, simd_pcmpistri(&a, &b, (uint8_t)i->imm, &f));
    set_str_flags(cpu, f);
}

void op_pcmpistrm(struct cpu *cpu, const struct insn *i)
{
    union xmm a, b, m;
    unsigned f;
    str_operands(cpu, i, &a, &b);
    simd_pcmpistrm(&m, &a, &b, (uint8_t)i->imm, &f);
    cpu->s.xmm[0] = m;
    set_str_flags(cpu, f);
}

/* The CPUID check of CRC32/POPCNT (the row's feature). */
static void gpr_check(struct cpu *cpu, const struct insn *i)
{
    if (!sse_row_has(cpu, i))
        except_ud(cpu);
}

/* CRC32 r32/r64, r/m8 (F2 0F 38 F0) and r/m16/32/64 (F2 0F 38 F1, 66 for
 * 16 bits, REX.W for 64): the CRC is the low 32 bits of the destination;
 * the result is written zero-extended to 64 bits, with REX.W too (SDM
 * vol. 2 CRC32). Flags are not affected. */
void op_crc32_Gy_Eb(struct cpu *cpu, const struct insn *i)
{
    gpr_check(cpu, i);
    uint64_t data = rm_read(cpu, i, 1);
    cpu->s.gpr[i->reg] = simd_crc32(reg32(cpu, i->reg), data, 1);
}

void op_crc32_Gy_Ev(struct cpu *cpu, const struct insn *i)
{
    gpr_check(cpu, i);
    uint64_t data = rm_read(cpu, i, i->opsize);
    cpu->s.gpr[i->reg] = simd_crc32(reg32(cpu, i->reg), data, i->opsize);
}

/* POPCNT r, r/m (F3 0F B8; 16, 32 or 64 bits): ZF = (source == 0), OF SF
 * AF CF PF cleared (SDM vol. 2 POPCNT). */
void op_popcnt_Gv_Ev(struct cpu *cpu, const struct insn *i)
{
    gpr_check(cpu, i);
    uint64_t v = rm_read(cpu, i, i->opsize);
    reg_set(cpu, i->reg, i->opsize, simd_popcnt(v));
    flags_set_bits(cpu, FL_ARITH, false);
    flags_set_bits(cpu, v ? 0 : FL_ZF, true);
}
