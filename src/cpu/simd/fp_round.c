/* ROUNDPS/ROUNDSS/ROUNDPD/ROUNDSD (SSE4.1): round to an integral value in
 * floating-point format. imm8[1:0] is the rounding mode unless imm8[2] says
 * "use MXCSR.RC"; imm8[3] suppresses the precision exception. IE only for
 * an SNaN (the result is it quieted), no DE: SDM vol. 2 ROUNDPS. A
 * denormal input under MXCSR.DAZ is a zero of its sign.
 *
 * Computed in integer arithmetic on the bit pattern (ROUND* is not in
 * baseline x86-64, so the host's is not used): clear the fraction bits
 * below the binary point and step the magnitude up by one unit when the
 * mode and the discarded bits say so; a carry out of the fraction field
 * moves into the exponent, which is exactly the next integer. */
#include "cpu/simd/fp_lanes.h"

struct fmt { unsigned mant; uint64_t sign; int bias; };
static const struct fmt F32 = { 23, 1ull << 31, 127 };
static const struct fmt F64 = { 52, 1ull << 63, 1023 };

static uint64_t round_one(const struct fmt *t, uint64_t x, unsigned rc, int daz, uint32_t *f)
{
    uint64_t sign = x & t->sign, mag = x & (t->sign - 1);
    uint64_t mant_mask = (1ull << t->mant) - 1;
    uint64_t exp_all = (t->sign - 1) & ~mant_mask;
    int e = (int)(mag >> t->mant) - t->bias;

    if ((mag & exp_all) == exp_all) {                 /* Inf or NaN */
        if ((mag & mant_mask) && !(mag >> (t->mant - 1) & 1))
            *f |= MXCSR_IE;                           /* SNaN: quiet it */
        return (mag & mant_mask) ? x | 1ull << (t->mant - 1) : x;
    }
    if (daz && !(mag & exp_all))
        return sign;                                  /* denormal as zero */
    if (e >= (int)t->mant || mag == 0)
        return x;                                     /* already integral */

    uint64_t one = (uint64_t)t->bias << t->mant;      /* 1.0 */
    uint64_t r;
    int up;
    if (e < 0) {                                      /* 0 < |x| < 1 */
        switch (rc) {
        case 0: up = e == -1 && mag != ((uint64_t)(t->bias - 1) << t->mant); break;
        case 1: up = sign != 0; break;
        case 2: up = sign == 0; break;
        default: up = 0; break;
        }
        r = up ? one : 0;
    } else {
        unsigned frac = t->mant - (unsigned)e;        /* fraction bits */
        uint64_t fmask = (1ull << frac) - 1, rest = mag & fmask, half = 1ull << (frac - 1);
        switch (rc) {
        case 0: up = rest > half || (rest == half && (mag >> frac & 1)); break;
        case 1: up = sign && rest; break;
        case 2: up = !sign && rest; break;
        default: up = 0; break;
        }
        if (!rest)
            return x;
        r = (mag & ~fmask) + (up ? 1ull << frac : 0);
    }
    *f |= MXCSR_PE;                                   /* x was not integral */
    return sign | r;
}

static uint32_t round_lanes(const struct fmt *t, union xmm *d, const union xmm *s, unsigned n,
                            uint8_t imm, uint32_t mx)
{
    unsigned rc = imm & 4 ? (mx & MXCSR_RC) >> MXCSR_RC_SHIFT : imm & 3u;
    int daz = (mx & MXCSR_DAZ) != 0;
    uint32_t f[4] = { 0 };
    uint64_t r[4] = { 0 };
    for (unsigned i = 0; i < n; i++) {
        uint64_t x = t == &F32 ? s->d[i] : s->q[i];
        f[i] = 0;
        r[i] = round_one(t, x, rc, daz, &f[i]);
        if (imm & 8)
            f[i] &= ~MXCSR_PE;
    }
    uint32_t st = fp_decide(f, n, mx);
    if (!(st & SIMD_FP_FAULT))
        for (unsigned i = 0; i < n; i++) {
            if (t == &F32)
                d->d[i] = (uint32_t)r[i];
            else
                d->q[i] = r[i];
        }
    return st;
}

uint32_t simd_roundps(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return round_lanes(&F32, d, s, 4, imm, mx);
}

uint32_t simd_roundss(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return round_lanes(&F32, d, s, 1, imm, mx);
}

uint32_t simd_roundpd(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return round_lanes(&F64, d, s, 2, imm, mx);
}

uint32_t simd_roundsd(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx)
{
    return round_lanes(&F64, d, s, 1, imm, mx);
}
