/* Decimal adjust instructions: DAA (27), DAS (2F), AAA (37), AAS (3F),
 * AAM Ib (D4), AAD Ib (D5).
 *
 * Intel SDM vol. 2A pseudo-code for each, with these P6 facts for what it
 * leaves open (see the table in flags.c): AAA/AAS adjust AX as a whole
 * (AX +/- 106h, so a carry/borrow out of AL reaches AH), and set SF/ZF/PF
 * from the final AL with OF=0; DAA/DAS set OF=0; AAM/AAD set SF/ZF/PF from
 * AL and clear OF/AF/CF. AAM with an immediate of 0 raises #DE. AAM/AAD
 * take any immediate base, not only 10 (undocumented but architectural on
 * every Intel CPU since the 8086).
 */
#include "cpu/alu.h"

static inline void bcd_flags(struct cpu *cpu, uint8_t al, bool cf, bool af)
{
    flags_lazy(cpu, LF_SZP, 1, 0, (cf ? FL_CF : 0) | (af ? FL_AF : 0), al);
}

void bcd_daa(struct cpu *cpu)
{
    uint8_t al = reg8(cpu, R_EAX), old = al;
    bool cf = flag_cf(cpu), af = false;

    if ((al & 0x0f) > 9 || flag_af(cpu)) {
        al = (uint8_t)(al + 6);
        af = true;
    }
    if (old > 0x99 || cf) {
        al = (uint8_t)(al + 0x60);
        cf = true;
    } else {
        cf = false;
    }
    set_reg8(cpu, R_EAX, al);
    bcd_flags(cpu, al, cf, af);
}

void bcd_das(struct cpu *cpu)
{
    uint8_t al = reg8(cpu, R_EAX), old = al;
    bool old_cf = flag_cf(cpu), cf = false, af = false;

    if ((al & 0x0f) > 9 || flag_af(cpu)) {
        cf = old_cf || al < 6;      /* borrow from AL - 6 */
        al = (uint8_t)(al - 6);
        af = true;
    }
    if (old > 0x99 || old_cf) {
        al = (uint8_t)(al - 0x60);
        cf = true;
    }
    set_reg8(cpu, R_EAX, al);
    bcd_flags(cpu, al, cf, af);
}

void bcd_aaa(struct cpu *cpu)
{
    uint16_t ax = reg16(cpu, R_EAX);
    bool adj = (ax & 0x0f) > 9 || flag_af(cpu);

    if (adj)
        ax = (uint16_t)(ax + 0x106);
    ax &= 0xff0f;
    set_reg16(cpu, R_EAX, ax);
    bcd_flags(cpu, (uint8_t)ax, adj, adj);
}

void bcd_aas(struct cpu *cpu)
{
    uint16_t ax = reg16(cpu, R_EAX);
    bool adj = (ax & 0x0f) > 9 || flag_af(cpu);

    if (adj)
        ax = (uint16_t)(ax - 0x106);
    ax &= 0xff0f;
    set_reg16(cpu, R_EAX, ax);
    bcd_flags(cpu, (uint8_t)ax, adj, adj);
}

bool bcd_aam(struct cpu *cpu, uint8_t base)
{
    uint8_t al = reg8(cpu, R_EAX);

    if (base == 0)
        return false;
    set_reg16(cpu, R_EAX, (uint16_t)(((al / base) << 8) | (al % base)));
    bcd_flags(cpu, al % base, false, false);
    return true;
}

void bcd_aad(struct cpu *cpu, uint8_t base)
{
    uint16_t ax = reg16(cpu, R_EAX);
    uint8_t al = (uint8_t)((ax & 0xff) + (ax >> 8) * base);

    set_reg16(cpu, R_EAX, al);
    bcd_flags(cpu, al, false, false);
}

/* ---- handlers ---- */

void op_daa(struct cpu *cpu, const struct insn *i)
{
    bcd_daa(cpu);
}

void op_das(struct cpu *cpu, const struct insn *i)
{
    bcd_das(cpu);
}

void op_aaa(struct cpu *cpu, const struct insn *i)
{
    bcd_aaa(cpu);
}

void op_aas(struct cpu *cpu, const struct insn *i)
{
    bcd_aas(cpu);
}

void op_aam_Ib(struct cpu *cpu, const struct insn *i)
{
    if (!bcd_aam(cpu, (uint8_t)i->imm))
        except_raise(cpu, EXC_DE, EXC_NO_CODE);
}

void op_aad_Ib(struct cpu *cpu, const struct insn *i)
{
    bcd_aad(cpu, (uint8_t)i->imm);
}
