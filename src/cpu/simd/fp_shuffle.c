/* Floating-point data shuffles (SSE, SSE2, SSE3): SHUFPS/SHUFPD,
 * UNPCKL/H PS/PD, MOVHLPS/MOVLHPS, MOVSLDUP/MOVSHDUP/MOVDDUP. They move
 * bits only and raise no SIMD floating-point exceptions (SDM vol. 2), so
 * they live with the integer shuffles' signature. ANDPS/ANDNPS/ORPS/XORPS
 * (and the PD forms) are PAND/PANDN/POR/PXOR on the same bits. */
#include "cpu/simd/simd_int.h"

void simd_shufps(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r;
    r.d[0] = d->d[imm & 3];
    r.d[1] = d->d[imm >> 2 & 3];
    r.d[2] = s->d[imm >> 4 & 3];
    r.d[3] = s->d[imm >> 6 & 3];
    *d = r;
}

void simd_shufpd(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r;
    r.q[0] = d->q[imm & 1];
    r.q[1] = s->q[imm >> 1 & 1];
    *d = r;
}

void simd_unpcklps(union xmm *d, const union xmm *s, unsigned len)
{
    union xmm r = { .d = { d->d[0], s->d[0], d->d[1], s->d[1] } };
    *d = r;
}

void simd_unpckhps(union xmm *d, const union xmm *s, unsigned len)
{
    union xmm r = { .d = { d->d[2], s->d[2], d->d[3], s->d[3] } };
    *d = r;
}

void simd_unpcklpd(union xmm *d, const union xmm *s, unsigned len)
{
    d->q[1] = s->q[0];
}

void simd_unpckhpd(union xmm *d, const union xmm *s, unsigned len)
{
    d->q[0] = d->q[1];
    d->q[1] = s->q[1];
}

/* MOVHLPS/MOVLHPS: register forms only (the memory forms are MOVLPS/MOVHPS
 * loads, a plain 8-byte move done by the handler). */
void simd_movhlps(union xmm *d, const union xmm *s, unsigned len)
{
    d->q[0] = s->q[1];
}

void simd_movlhps(union xmm *d, const union xmm *s, unsigned len)
{
    d->q[1] = s->q[0];
}

void simd_movsldup(union xmm *d, const union xmm *s, unsigned len)
{
    union xmm r = { .d = { s->d[0], s->d[0], s->d[2], s->d[2] } };
    *d = r;
}

void simd_movshdup(union xmm *d, const union xmm *s, unsigned len)
{
    union xmm r = { .d = { s->d[1], s->d[1], s->d[3], s->d[3] } };
    *d = r;
}

void simd_movddup(union xmm *d, const union xmm *s, unsigned len)
{
    uint64_t lo = s->q[0];
    d->q[0] = d->q[1] = lo;
}
