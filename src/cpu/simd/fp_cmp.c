/* Floating-point compares: CMPPS/CMPSS/CMPPD/CMPSD with the eight legacy
 * predicates (imm8 bits 2:0: EQ LT LE UNORD NEQ NLT NLE ORD; LT, LE, NLT,
 * NLE signal IE on a QNaN, the others only on an SNaN) and COMISS/UCOMISS/
 * COMISD/UCOMISD (COMI signals IE on any NaN, UCOMI only on an SNaN).
 * SDM vol. 2 CMPPS, COMISS, UCOMISS; vol. 1 11.5.2.1. */
#include "cpu/simd/fp_lanes.h"

uint32_t simd_cmpps(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return fp_lanes32((enum fp_hop)(FP_CMPSS0 + (imm & 7)), d, s, 4, mx);
}

uint32_t simd_cmpss(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return fp_lanes32((enum fp_hop)(FP_CMPSS0 + (imm & 7)), d, s, 1, mx);
}

uint32_t simd_cmppd(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return fp_lanes64((enum fp_hop)(FP_CMPSD0 + (imm & 7)), d, s, 2, mx);
}

uint32_t simd_cmpsd(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return fp_lanes64((enum fp_hop)(FP_CMPSD0 + (imm & 7)), d, s, 1, mx);
}

/* EFLAGS bits the (U)COMI instructions define: ZF, PF, CF. */
#define COMI_FLAGS 0x45u

static uint32_t comi(enum fp_hop op, unsigned *eflags, uint64_t a, uint64_t b, uint32_t mx)
{
    uint64_t r;
    uint32_t f = fp_lane(op, a, b, &r, mx);
    uint32_t st = fp_decide(&f, 1, mx);
    if (!(st & SIMD_FP_FAULT))
        *eflags = (unsigned)r & COMI_FLAGS;
    return st;
}

uint32_t simd_comiss(unsigned *ef, const union xmm *d, const union xmm *s, uint32_t mx)
{
    return comi(FP_COMISS, ef, d->d[0], s->d[0], mx);
}

uint32_t simd_ucomiss(unsigned *ef, const union xmm *d, const union xmm *s, uint32_t mx)
{
    return comi(FP_UCOMISS, ef, d->d[0], s->d[0], mx);
}

uint32_t simd_comisd(unsigned *ef, const union xmm *d, const union xmm *s, uint32_t mx)
{
    return comi(FP_COMISD, ef, d->q[0], s->q[0], mx);
}

uint32_t simd_ucomisd(unsigned *ef, const union xmm *d, const union xmm *s, uint32_t mx)
{
    return comi(FP_UCOMISD, ef, d->q[0], s->q[0], mx);
}

/* DPPS/DPPD (SSE4.1, SDM vol. 2 DPPS): products of the lanes selected by
 * imm8[7:4] (+0.0 for the others, not computed), summed pairwise as
 * (p0 + p1) + (p2 + p3) with each step rounded, the sum broadcast to the
 * lanes selected by imm8[3:0] and +0.0 elsewhere. Each step is checked by
 * the exception model in turn; an unmasked exception in a step ends the
 * instruction there with the flags gathered so far, d unwritten. */
uint32_t simd_dpps(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    uint64_t p[4];
    uint32_t f[4] = { 0, 0, 0, 0 };
    for (unsigned i = 0; i < 4; i++) {
        p[i] = 0;
        if (imm >> (4 + i) & 1)
            f[i] = fp_lane(FP_MULSS, d->d[i], s->d[i], &p[i], mx);
    }
    uint32_t st = fp_decide(f, 4, mx);
    if (st & SIMD_FP_FAULT)
        return st;
    uint64_t t[2];
    f[0] = fp_lane(FP_ADDSS, p[0], p[1], &t[0], mx);
    f[1] = fp_lane(FP_ADDSS, p[2], p[3], &t[1], mx);
    st |= fp_decide(f, 2, mx);
    if (st & SIMD_FP_FAULT)
        return st;
    uint64_t sum;
    f[0] = fp_lane(FP_ADDSS, t[0], t[1], &sum, mx);
    st |= fp_decide(f, 1, mx);
    if (st & SIMD_FP_FAULT)
        return st;
    for (unsigned i = 0; i < 4; i++)
        d->d[i] = imm >> i & 1 ? (uint32_t)sum : 0;
    return st;
}

uint32_t simd_dppd(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    uint64_t p[2];
    uint32_t f[2] = { 0, 0 };
    for (unsigned i = 0; i < 2; i++) {
        p[i] = 0;
        if (imm >> (4 + i) & 1)
            f[i] = fp_lane(FP_MULSD, d->q[i], s->q[i], &p[i], mx);
    }
    uint32_t st = fp_decide(f, 2, mx);
    if (st & SIMD_FP_FAULT)
        return st;
    uint64_t sum;
    f[0] = fp_lane(FP_ADDSD, p[0], p[1], &sum, mx);
    st |= fp_decide(f, 1, mx);
    if (st & SIMD_FP_FAULT)
        return st;
    for (unsigned i = 0; i < 2; i++)
        d->q[i] = imm >> i & 1 ? sum : 0;
    return st;
}
