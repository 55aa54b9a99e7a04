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
void muldiv_mul(struct cpu *cpu, unsigned size, int sign, uint64_t src64)
{
    uint64_t a64 = reg_get(cpu, R_EAX, size);
    uint32_t lo, hi, a = (uint32_t)a64, src = (uint32_t)src64;
    bool over;

    if (size == 8) {
        /* RDX:RAX = RAX * src, a 128-bit product. */
        unsigned __int128 p = sign ? (unsigned __int128)((__int128)(int64_t)a64 * (int64_t)src64)
                                   : (unsigned __int128)a64 * src64;
        uint64_t lo64 = (uint64_t)p, hi64 = (uint64_t)(p >> 64);
        set_reg64(cpu, R_EAX, lo64);
        set_reg64(cpu, R_EDX, hi64);
        over = sign ? hi64 != (uint64_t)((int64_t)lo64 >> 63) : hi64 != 0;
        flags_lazy(cpu, LF_SZP, 8, 0, over ? FL_CF | FL_OF : 0, lo64);
        return;
    }
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
uint64_t muldiv_imul(struct cpu *cpu, unsigned size, uint64_t a, uint64_t b)
{
    if (size == 8) {
        __int128 p = (__int128)(int64_t)a * (int64_t)b;
        uint64_t r = (uint64_t)p;
        bool over = (__int128)(int64_t)r != p;
        flags_lazy(cpu, LF_SZP, 8, 0, over ? FL_CF | FL_OF : 0, r);
        return r;
    }
    int64_t p = (int64_t)(int32_t)sz_sext(a, size) * (int32_t)sz_sext(b, size);
    uint32_t r = (uint32_t)p & sz_mask(size);
    bool over = (int64_t)(int32_t)sz_sext(r, size) != p;
    flags_lazy(cpu, LF_SZP, size, 0, over ? FL_CF | FL_OF : 0, r);
    return r;
}

/* DIV (sign = 0) / IDIV (sign = 1) of AX, DX:AX or EDX:EAX by src.
 * Returns false (registers untouched) when the CPU raises #DE. */
/* 64-bit DIV/IDIV of RDX:RAX (SDM vol. 2A DIV, IDIV: #DE when the
 * quotient does not fit 64 bits). */
static bool div64(struct cpu *cpu, int sign, uint64_t src)
{
    unsigned __int128 n = ((unsigned __int128)cpu->s.gpr[R_EDX] << 64) | cpu->s.gpr[R_EAX];
    uint64_t q, rem;

    if (!sign) {
        unsigned __int128 uq = n / src;
        if (uq >> 64)
            return false;
        q = (uint64_t)uq;
        rem = (uint64_t)(n % src);
    } else {
        /* Magnitudes, so neither the most negative dividend nor -1 as
         * divisor reaches a signed host division. */
        int nneg = (int64_t)cpu->s.gpr[R_EDX] < 0, dneg = (int64_t)src < 0;
        unsigned __int128 un = nneg ? -n : n;
        uint64_t ud = dneg ? 0 - src : src;
        unsigned __int128 uq = un / ud;
        uint64_t ur = (uint64_t)(un % ud);
        if (nneg != dneg) {
            if (uq > ((unsigned __int128)1 << 63))
                return false;
            q = 0 - (uint64_t)uq;
        } else {
            if (uq >= ((unsigned __int128)1 << 63))
                return false;
            q = (uint64_t)uq;
        }
        rem = nneg ? 0 - ur : ur;
    }
    set_reg64(cpu, R_EAX, q);
    set_reg64(cpu, R_EDX, rem);
    return true;
}

bool muldiv_div(struct cpu *cpu, unsigned size, int sign, uint64_t src64)
{
    unsigned bits = size << 3;
    uint32_t src = (uint32_t)src64;
    uint64_t n;

    if (src64 == 0)
        return false;
    if (size == 8)
        return div64(cpu, sign, src64);
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
