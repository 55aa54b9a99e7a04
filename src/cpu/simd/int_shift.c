/* Packed shifts (MMX, SSE2): by a count in an mm/xmm register or memory
 * operand (its whole low quadword is the count, SDM vol. 2 PSLLW etc.) or
 * by an 8-bit immediate, and the SSE2 byte shifts PSLLDQ/PSRLDQ. A count
 * above the lane width minus one gives zero for logical shifts and the
 * sign in every bit for arithmetic ones. */
#include "cpu/simd/simd_int.h"

#define SHIFTS(name, F, W, EXPR_IN, EXPR_OUT)                                       \
    static void name##_by(union xmm *d, uint64_t c, unsigned len)                   \
    {                                                                               \
        for (unsigned i = 0; i < len / sizeof d->F[0]; i++)                         \
            d->F[i] = c < W ? (EXPR_IN) : (EXPR_OUT);                               \
    }                                                                               \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len)               \
    {                                                                               \
        name##_by(d, s->q[0], len);                                                 \
    }                                                                               \
    void simd_##name##_imm(union xmm *d, const union xmm *s, unsigned len, uint8_t imm) \
    {                                                                               \
        name##_by(d, imm, len);                                                     \
    }

SHIFTS(psllw, w, 16, (uint16_t)(d->w[i] << c), 0)
SHIFTS(pslld, d, 32, d->d[i] << c, 0)
SHIFTS(psllq, q, 64, d->q[i] << c, 0)
SHIFTS(psrlw, w, 16, (uint16_t)(d->w[i] >> c), 0)
SHIFTS(psrld, d, 32, d->d[i] >> c, 0)
SHIFTS(psrlq, q, 64, d->q[i] >> c, 0)
/* Arithmetic right shifts of negative values: gcc and clang shift in the
 * sign (implementation-defined in C11, documented by both compilers). */
SHIFTS(psraw, sw, 16, (int16_t)(d->sw[i] >> c), (int16_t)(d->sw[i] >> 15))
SHIFTS(psrad, sd, 32, d->sd[i] >> c, d->sd[i] >> 31)

/* PSLLDQ/PSRLDQ: the whole register by imm8 bytes; above 15 it clears. */
void simd_pslldq(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = { .q = { 0, 0 } };
    for (unsigned i = imm; i < 16; i++)
        r.b[i] = d->b[i - imm];
    *d = r;
}

void simd_psrldq(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = { .q = { 0, 0 } };
    for (unsigned i = 0; imm < 16 && i < 16u - imm; i++)
        r.b[i] = d->b[i + imm];
    *d = r;
}
