/* Multiply and divide: MUL/IMUL/DIV/IDIV F6/F7 /4../7, IMUL Gv,Ev (0F AF),
 * IMUL Gv,Ev,Iz (69) and IMUL Gv,Ev,Ibs (6B).
 *
 * Intel SDM vol. 2A: DIV, IDIV, IMUL, MUL. #DE on a zero divisor and on a
 * quotient that does not fit (including the most negative dividend divided
 * by -1, which must not reach the host's divide). Flags: CF=OF as the SDM
 * defines; the undefined SF/ZF/PF come from the low half of the product and
 * AF is 0; DIV/IDIV leave every flag unchanged (the P6 choices in flags.c).
 * The source operand is read first, so a fault changes nothing.
 */
#include "cpu/alu.h"

/* One-operand MUL (sign = 0) / IMUL (sign = 1): AL/AX/EAX times src into
 * AX, DX:AX or EDX:EAX. */
void muldiv_mul(struct cpu *cpu, unsigned size, int sign, uint32_t src)
{
    uint32_t lo, hi, a = reg_get(cpu, R_EAX, size);
    bool over;

    if (size == 1) {
        uint16_t p = sign ? (uint16_t)((int8_t)a * (int8_t)src) : (uint16_t)(a * src);
        lo = p & 0xff;
        hi = p >> 8;
        set_reg16(cpu, R_EAX, p);
        over = sign ? (uint16_t)(int8_t)lo != p : hi != 0;
    } else if (size == 2) {
        uint32_t p = sign ? (uint32_t)((int16_t)a * (int16_t)src) : a * src;
        lo = p & 0xffff;
        hi = p >> 16;
        set_reg16(cpu, R_EAX, (uint16_t)lo);
        set_reg16(cpu, R_EDX, (uint16_t)hi);
        over = sign ? (uint32_t)(int16_t)lo != p : hi != 0;
    } else {
        uint64_t p = sign ? (uint64_t)((int64_t)(int32_t)a * (int32_t)src)
                          : (uint64_t)a * src;
        lo = (uint32_t)p;
        hi = (uint32_t)(p >> 32);
        set_reg32(cpu, R_EAX, lo);
        set_reg32(cpu, R_EDX, hi);
        over = sign ? (uint64_t)(int64_t)(int32_t)lo != p : hi != 0;
    }
    flags_lazy(cpu, LF_SZP, size, 0, over ? FL_CF | FL_OF : 0, lo);
}

/* Two/three-operand IMUL: a * b truncated to size, flags recorded. */
uint32_t muldiv_imul(struct cpu *cpu, unsigned size, uint32_t a, uint32_t b)
{
    int64_t p = (int64_t)(int32_t)sz_sext(a, size) * (int32_t)sz_sext(b, size);
    uint32_t r = (uint32_t)p & sz_mask(size);
    bool over = (int64_t)(int32_t)sz_sext(r, size) != p;
    flags_lazy(cpu, LF_SZP, size, 0, over ? FL_CF | FL_OF : 0, r);
    return r;
}

/* DIV (sign = 0) / IDIV (sign = 1) of AX, DX:AX or EDX:EAX by src.
 * Returns false (registers untouched) when the CPU raises #DE. */
bool muldiv_div(struct cpu *cpu, unsigned size, int sign, uint32_t src)
{
    unsigned bits = size << 3;
    uint64_t n;

    if (src == 0)
        return false;
    if (size == 1)
        n = reg16(cpu, R_EAX);
    else if (size == 2)
        n = ((uint32_t)reg16(cpu, R_EDX) << 16) | reg16(cpu, R_EAX);
    else
        n = ((uint64_t)reg32(cpu, R_EDX) << 32) | reg32(cpu, R_EAX);

    uint32_t q, rem;
    if (!sign) {
        uint64_t uq = n / src;
        if (uq > sz_mask(size))
            return false;
        q = (uint32_t)uq;
        rem = (uint32_t)(n % src);
    } else {
        /* Dividend is 2*bits wide, signed. */
        int64_t sn = bits == 32 ? (int64_t)n : (int64_t)(n << (64 - 2 * bits)) >> (64 - 2 * bits);
        int64_t sd = (int32_t)sz_sext(src, size);
        int64_t sq, sr;
        if (sd == -1) {
            if (sn == INT64_MIN)
                return false;
            sq = -sn;
            sr = 0;
        } else {
            sq = sn / sd;
            sr = sn % sd;
        }
        int64_t lim = (int64_t)1 << (bits - 1);
        if (sq >= lim || sq < -lim)
            return false;
        q = (uint32_t)sq & sz_mask(size);
        rem = (uint32_t)sr & sz_mask(size);
    }
    if (size == 1) {
        set_reg16(cpu, R_EAX, (uint16_t)((rem << 8) | q));
    } else {
        reg_set(cpu, R_EAX, size, q);
        reg_set(cpu, R_EDX, size, rem);
    }
    return true;
}
