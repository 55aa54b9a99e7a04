/* Packed-integer arithmetic, compares, min/max and logic (MMX, SSE, SSE2,
 * SSSE3, SSE4.1, SSE4.2). SDM vol. 2, one entry per mnemonic; vol. 1 9.2.3
 * and 11.4.4 for the wraparound, signed-saturation and unsigned-saturation
 * rules. The lane loops run over len / lane-size lanes, so the MMX forms
 * (len 8) and the XMM forms (len 16) share the code. */
#include "cpu/simd/simd_int.h"

static inline int8_t sat8(int v)   { return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }
static inline uint8_t satu8(int v) { return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v); }
static inline int16_t sat16(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}
static inline uint16_t satu16(int32_t v) { return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v); }

/* One lane-wise op: d.F[i] = EXPR over the lanes of width sizeof(d->F[0]). */
#define LANES(name, F, EXPR)                                                 \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len)        \
    {                                                                        \
        for (unsigned i = 0; i < len / sizeof d->F[0]; i++)                  \
            d->F[i] = (EXPR);                                                \
    }

/* Wraparound add/sub on unsigned lanes (two's complement is the same). */
LANES(paddb, b, (uint8_t)(d->b[i] + s->b[i]))
LANES(paddw, w, (uint16_t)(d->w[i] + s->w[i]))
LANES(paddd, d, d->d[i] + s->d[i])
LANES(paddq, q, d->q[i] + s->q[i])
LANES(psubb, b, (uint8_t)(d->b[i] - s->b[i]))
LANES(psubw, w, (uint16_t)(d->w[i] - s->w[i]))
LANES(psubd, d, d->d[i] - s->d[i])
LANES(psubq, q, d->q[i] - s->q[i])

LANES(paddsb, sb, sat8(d->sb[i] + s->sb[i]))
LANES(paddsw, sw, sat16(d->sw[i] + s->sw[i]))
LANES(paddusb, b, satu8(d->b[i] + s->b[i]))
LANES(paddusw, w, satu16(d->w[i] + s->w[i]))
LANES(psubsb, sb, sat8(d->sb[i] - s->sb[i]))
LANES(psubsw, sw, sat16(d->sw[i] - s->sw[i]))
LANES(psubusb, b, satu8(d->b[i] - s->b[i]))
LANES(psubusw, w, satu16(d->w[i] - s->w[i]))

LANES(pmullw, w, (uint16_t)((int32_t)d->sw[i] * s->sw[i]))
LANES(pmulhw, w, (uint16_t)(((int32_t)d->sw[i] * s->sw[i]) >> 16))
LANES(pmulhuw, w, (uint16_t)(((uint32_t)d->w[i] * s->w[i]) >> 16))
LANES(pmulld, d, (uint32_t)((int64_t)d->sd[i] * s->sd[i]))

/* PMULUDQ/PMULDQ: the low doubleword of each quadword, 64-bit product. */
LANES(pmuludq, q, (uint64_t)(uint32_t)d->q[i] * (uint32_t)s->q[i])
LANES(pmuldq, q, (uint64_t)((int64_t)(int32_t)d->q[i] * (int32_t)s->q[i]))

/* PMADDWD: pairs of signed word products summed into a doubleword; the only
 * overflow (0x8000 * 0x8000 twice) wraps to 0x80000000 as the SDM says. */
LANES(pmaddwd, d, (uint32_t)((int32_t)d->sw[2 * i] * s->sw[2 * i]) +
                  (uint32_t)((int32_t)d->sw[2 * i + 1] * s->sw[2 * i + 1]))
/* PMADDUBSW: unsigned bytes of d times signed bytes of s, pairs summed with
 * signed saturation. */
LANES(pmaddubsw, sw, sat16(d->b[2 * i] * s->sb[2 * i] + d->b[2 * i + 1] * s->sb[2 * i + 1]))
/* PMULHRSW: (a * b >> 14) + 1 >> 1, bits 16:1 of the rounded product. */
LANES(pmulhrsw, w, (uint16_t)((((int32_t)d->sw[i] * s->sw[i] >> 14) + 1) >> 1))

LANES(pavgb, b, (uint8_t)((d->b[i] + s->b[i] + 1) >> 1))
LANES(pavgw, w, (uint16_t)(((uint32_t)d->w[i] + s->w[i] + 1) >> 1))

LANES(pminub, b, d->b[i] < s->b[i] ? d->b[i] : s->b[i])
LANES(pmaxub, b, d->b[i] > s->b[i] ? d->b[i] : s->b[i])
LANES(pminsw, sw, d->sw[i] < s->sw[i] ? d->sw[i] : s->sw[i])
LANES(pmaxsw, sw, d->sw[i] > s->sw[i] ? d->sw[i] : s->sw[i])
LANES(pminsb, sb, d->sb[i] < s->sb[i] ? d->sb[i] : s->sb[i])
LANES(pmaxsb, sb, d->sb[i] > s->sb[i] ? d->sb[i] : s->sb[i])
LANES(pminsd, sd, d->sd[i] < s->sd[i] ? d->sd[i] : s->sd[i])
LANES(pmaxsd, sd, d->sd[i] > s->sd[i] ? d->sd[i] : s->sd[i])
LANES(pminuw, w, d->w[i] < s->w[i] ? d->w[i] : s->w[i])
LANES(pmaxuw, w, d->w[i] > s->w[i] ? d->w[i] : s->w[i])
LANES(pminud, d, d->d[i] < s->d[i] ? d->d[i] : s->d[i])
LANES(pmaxud, d, d->d[i] > s->d[i] ? d->d[i] : s->d[i])

LANES(pcmpeqb, b, d->b[i] == s->b[i] ? 0xffu : 0)
LANES(pcmpeqw, w, d->w[i] == s->w[i] ? 0xffffu : 0)
LANES(pcmpeqd, d, d->d[i] == s->d[i] ? ~0u : 0)
LANES(pcmpeqq, q, d->q[i] == s->q[i] ? ~0ull : 0)
LANES(pcmpgtb, b, d->sb[i] > s->sb[i] ? 0xffu : 0)
LANES(pcmpgtw, w, d->sw[i] > s->sw[i] ? 0xffffu : 0)
LANES(pcmpgtd, d, d->sd[i] > s->sd[i] ? ~0u : 0)
LANES(pcmpgtq, q, d->sq[i] > s->sq[i] ? ~0ull : 0)

LANES(pand, q, d->q[i] & s->q[i])
LANES(pandn, q, ~d->q[i] & s->q[i])
LANES(por, q, d->q[i] | s->q[i])
LANES(pxor, q, d->q[i] ^ s->q[i])

/* PSIGN: negate, keep or zero each lane of d by the sign of s's lane. */
LANES(psignb, b, s->sb[i] < 0 ? (uint8_t)-d->b[i] : s->sb[i] ? d->b[i] : 0)
LANES(psignw, w, s->sw[i] < 0 ? (uint16_t)-d->w[i] : s->sw[i] ? d->w[i] : 0)
LANES(psignd, d, s->sd[i] < 0 ? -d->d[i] : s->sd[i] ? d->d[i] : 0)
/* PABS: unsigned result, so -(-128) is 128 (0x80). */
LANES(pabsb, b, s->sb[i] < 0 ? (uint8_t)-s->b[i] : s->b[i])
LANES(pabsw, w, s->sw[i] < 0 ? (uint16_t)-s->w[i] : s->w[i])
LANES(pabsd, d, s->sd[i] < 0 ? -s->d[i] : s->d[i])

/* PSADBW: per 8-byte group, the sum of absolute byte differences in the
 * group's low word, the rest of the quadword zero. */
void simd_psadbw(union xmm *d, const union xmm *s, unsigned len)
{
    for (unsigned g = 0; g < len / 8; g++) {
        unsigned sum = 0;
        for (unsigned i = 8 * g; i < 8 * g + 8; i++)
            sum += d->b[i] > s->b[i] ? d->b[i] - s->b[i] : s->b[i] - d->b[i];
        d->q[g] = sum;
    }
}

/* Horizontal add/sub (SSSE3): the low half of the result holds the pair
 * results of d, the high half those of s. */
#define HORIZ(name, F, T, EXPR)                                              \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len)        \
    {                                                                        \
        unsigned n = len / sizeof d->F[0], h = n / 2;                        \
        union xmm r = *d;                                                    \
        for (unsigned i = 0; i < h; i++) {                                   \
            T a = d->F[2 * i], b = d->F[2 * i + 1];                          \
            r.F[i] = (EXPR);                                                 \
            a = s->F[2 * i], b = s->F[2 * i + 1];                            \
            r.F[h + i] = (EXPR);                                             \
        }                                                                    \
        for (unsigned i = 0; i < n; i++)                                     \
            d->F[i] = r.F[i];                                                \
    }
HORIZ(phaddw, w, uint16_t, (uint16_t)(a + b))
HORIZ(phaddd, d, uint32_t, a + b)
HORIZ(phsubw, w, uint16_t, (uint16_t)(a - b))
HORIZ(phsubd, d, uint32_t, a - b)
HORIZ(phaddsw, sw, int16_t, sat16(a + b))
HORIZ(phsubsw, sw, int16_t, sat16(a - b))

/* PHMINPOSUW (SSE4.1): the minimum unsigned word of s in bits 15:0, the
 * lowest index holding it in bits 18:16, the rest zero. */
void simd_phminposuw(union xmm *d, const union xmm *s, unsigned len)
{
    unsigned idx = 0;
    for (unsigned i = 1; i < 8; i++)
        if (s->w[i] < s->w[idx])
            idx = i;
    uint16_t min = s->w[idx];
    d->q[0] = min | (uint64_t)idx << 16;
    d->q[1] = 0;
}
