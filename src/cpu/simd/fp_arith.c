/* SSE/SSE2/SSE3 floating-point arithmetic: ADD SUB MUL DIV MIN MAX SQRT
 * RCP RSQRT in packed and scalar forms, ADDSUB, HADD, HSUB. Each lane is
 * the host's scalar instruction under the guest's MXCSR (fp_host.h); the
 * special cases of vol. 2 (MIN/MAX return the second operand for NaNs and
 * for a pair of zeros, SQRT of a negative number is the QNaN indefinite
 * with IE, the NaN propagation rules of vol. 1 4.8.3.5) are the host's.
 * RCP/RSQRT are approximations whose exact bits are model-specific (SDM:
 * relative error <= 1.5 * 2^-12): rawbox gives the host CPU's. */
#include "cpu/simd/fp_lanes.h"

#define PS(name, hop) \
    uint32_t simd_##name(union xmm *d, const union xmm *s, uint32_t mx) { return fp_lanes32(FP_##hop, d, s, 4, mx); }
#define SS(name, hop) \
    uint32_t simd_##name(union xmm *d, const union xmm *s, uint32_t mx) { return fp_lanes32(FP_##hop, d, s, 1, mx); }
#define PD(name, hop) \
    uint32_t simd_##name(union xmm *d, const union xmm *s, uint32_t mx) { return fp_lanes64(FP_##hop, d, s, 2, mx); }
#define SD(name, hop) \
    uint32_t simd_##name(union xmm *d, const union xmm *s, uint32_t mx) { return fp_lanes64(FP_##hop, d, s, 1, mx); }
#define ALL4(op, HOP) PS(op##ps, HOP##SS) SS(op##ss, HOP##SS) PD(op##pd, HOP##SD) SD(op##sd, HOP##SD)

ALL4(add, ADD)
ALL4(sub, SUB)
ALL4(mul, MUL)
ALL4(div, DIV)
ALL4(min, MIN)
ALL4(max, MAX)
ALL4(sqrt, SQRT)
PS(rcpps, RCPSS)
SS(rcpss, RCPSS)
PS(rsqrtps, RSQRTSS)
SS(rsqrtss, RSQRTSS)

/* ADDSUBPS/PD: even lanes subtract, odd lanes add. */
uint32_t simd_addsubps(union xmm *d, const union xmm *s, uint32_t mx)
{
    enum fp_hop ops[4] = { FP_SUBSS, FP_ADDSS, FP_SUBSS, FP_ADDSS };
    uint64_t a[4] = { 0 }, b[4] = { 0 }, r[4] = { 0 };
    for (unsigned i = 0; i < 4; i++)
        a[i] = d->d[i], b[i] = s->d[i];
    uint32_t st = fp_run(ops, a, b, r, 4, mx);
    if (!(st & SIMD_FP_FAULT))
        for (unsigned i = 0; i < 4; i++)
            d->d[i] = (uint32_t)r[i];
    return st;
}

uint32_t simd_addsubpd(union xmm *d, const union xmm *s, uint32_t mx)
{
    enum fp_hop ops[2] = { FP_SUBSD, FP_ADDSD };
    uint64_t r[2] = { 0 };
    uint32_t st = fp_run(ops, d->q, s->q, r, 2, mx);
    if (!(st & SIMD_FP_FAULT))
        d->q[0] = r[0], d->q[1] = r[1];
    return st;
}

/* HADD/HSUB: result lanes are (d0 op d1, d2 op d3, s0 op s1, s2 op s3) with
 * the lower element as the first operand (SDM vol. 2 HADDPS, HSUBPS). */
static uint32_t horiz32(enum fp_hop op, union xmm *d, const union xmm *s, uint32_t mx)
{
    enum fp_hop ops[4] = { op, op, op, op };
    uint64_t a[4] = { d->d[0], d->d[2], s->d[0], s->d[2] };
    uint64_t b[4] = { d->d[1], d->d[3], s->d[1], s->d[3] };
    uint64_t r[4] = { 0 };
    uint32_t st = fp_run(ops, a, b, r, 4, mx);
    if (!(st & SIMD_FP_FAULT))
        for (unsigned i = 0; i < 4; i++)
            d->d[i] = (uint32_t)r[i];
    return st;
}

static uint32_t horiz64(enum fp_hop op, union xmm *d, const union xmm *s, uint32_t mx)
{
    enum fp_hop ops[2] = { op, op };
    uint64_t a[2] = { d->q[0], s->q[0] }, b[2] = { d->q[1], s->q[1] }, r[2];
    uint32_t st = fp_run(ops, a, b, r, 2, mx);
    if (!(st & SIMD_FP_FAULT))
        d->q[0] = r[0], d->q[1] = r[1];
    return st;
}

uint32_t simd_haddps(union xmm *d, const union xmm *s, uint32_t mx) { return horiz32(FP_ADDSS, d, s, mx); }
uint32_t simd_hsubps(union xmm *d, const union xmm *s, uint32_t mx) { return horiz32(FP_SUBSS, d, s, mx); }
uint32_t simd_haddpd(union xmm *d, const union xmm *s, uint32_t mx) { return horiz64(FP_ADDSD, d, s, mx); }
uint32_t simd_hsubpd(union xmm *d, const union xmm *s, uint32_t mx) { return horiz64(FP_SUBSD, d, s, mx); }
