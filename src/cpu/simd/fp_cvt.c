/* Conversions between single, double and integer formats (SSE, SSE2):
 * packed, scalar, MMX (CVTPI2PS ...) and general-register forms. Every
 * element converts as the scalar instruction of the same pair does (the
 * SDM defines the packed forms element by element): float-to-integer gives
 * the integer indefinite with IE for NaN and out-of-range values, the T
 * forms truncate, the others round by MXCSR.RC; narrowing to single can
 * raise OE/UE/PE and obeys FZ; DAZ applies to floating inputs.
 * SDM vol. 2 CVTPS2PD ... CVTTSD2SI; vol. 1 11.5.2. */
#include "cpu/simd/fp_lanes.h"

/* Lane i converts src[i] with op; the caller stores r[] if not faulted. */
static uint32_t conv(enum fp_hop op, const uint64_t *src, uint64_t *r, unsigned n, uint32_t mx)
{
    enum fp_hop ops[4] = { op, op, op, op };
    uint64_t zero[4] = { 0, 0, 0, 0 };
    return fp_run(ops, zero, src, r, n, mx);
}

/* The XMM forms with every exception masked: one packed host instruction
 * (fp_host.h); the lane-by-lane path below is for unmasked exceptions. */
#define FAST_PACKED(op)                                                     \
    do {                                                                    \
        if (!fp_unmasked(mx))                                               \
            return fp_host_packed(op, d, s, mx);                            \
    } while (0)

/* Sources: 32-bit lanes of s, or its 64-bit lanes. */
#define SRC32(n) uint64_t src[4] = { 0, 0, 0, 0 }; for (unsigned i = 0; i < (n); i++) src[i] = s->d[i]
#define SRC64(n) uint64_t src[2] = { 0, 0 }; for (unsigned i = 0; i < (n); i++) src[i] = s->q[i]
#define FAULTED(st) ((st) & SIMD_FP_FAULT)

uint32_t simd_cvtps2pd(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTSS2SD);
    SRC32(2);
    uint64_t r[2] = { 0 };
    uint32_t st = conv(FP_CVTSS2SD, src, r, 2, mx);
    if (!FAULTED(st))
        d->q[0] = r[0], d->q[1] = r[1];
    return st;
}

uint32_t simd_cvtss2sd(union xmm *d, const union xmm *s, uint32_t mx)
{
    SRC32(1);
    uint64_t r[1] = { 0 };
    uint32_t st = conv(FP_CVTSS2SD, src, r, 1, mx);
    if (!FAULTED(st))
        d->q[0] = r[0];
    return st;
}

/* Two doubles to two 32-bit results in the low quadword, upper quadword
 * zeroed (CVTPD2PS, CVTPD2DQ, CVTTPD2DQ). */
static uint32_t narrow_pd(enum fp_hop op, union xmm *d, const union xmm *s, uint32_t mx)
{
    SRC64(2);
    uint64_t r[2] = { 0 };
    uint32_t st = conv(op, src, r, 2, mx);
    if (!FAULTED(st)) {
        d->d[0] = (uint32_t)r[0], d->d[1] = (uint32_t)r[1];
        d->q[1] = 0;
    }
    return st;
}

uint32_t simd_cvtpd2ps(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTSD2SS);
    return narrow_pd(FP_CVTSD2SS, d, s, mx);
}

uint32_t simd_cvtpd2dq(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTSD2SI);
    return narrow_pd(FP_CVTSD2SI, d, s, mx);
}

uint32_t simd_cvttpd2dq(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTTSD2SI);
    return narrow_pd(FP_CVTTSD2SI, d, s, mx);
}

uint32_t simd_cvtsd2ss(union xmm *d, const union xmm *s, uint32_t mx)
{
    SRC64(1);
    uint64_t r[1] = { 0 };
    uint32_t st = conv(FP_CVTSD2SS, src, r, 1, mx);
    if (!FAULTED(st))
        d->d[0] = (uint32_t)r[0];
    return st;
}

/* n 32-bit lanes to n 32-bit lanes (CVTDQ2PS, CVT(T)PS2DQ, the MMX forms
 * CVTPI2PS and CVT(T)PS2PI with n = 2; the other lanes of d are kept). */
static uint32_t same32(enum fp_hop op, union xmm *d, const union xmm *s, unsigned n, uint32_t mx)
{
    SRC32(n);
    uint64_t r[4] = { 0 };
    uint32_t st = conv(op, src, r, n, mx);
    if (!FAULTED(st))
        for (unsigned i = 0; i < n; i++)
            d->d[i] = (uint32_t)r[i];
    return st;
}

uint32_t simd_cvtdq2ps(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTSI2SS);
    return same32(FP_CVTSI2SS, d, s, 4, mx);
}

uint32_t simd_cvtps2dq(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTSS2SI);
    return same32(FP_CVTSS2SI, d, s, 4, mx);
}

uint32_t simd_cvttps2dq(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTTSS2SI);
    return same32(FP_CVTTSS2SI, d, s, 4, mx);
}
uint32_t simd_cvtpi2ps(union xmm *d, const union xmm *s, uint32_t mx) { return same32(FP_CVTSI2SS, d, s, 2, mx); }
uint32_t simd_cvtps2pi(union xmm *d, const union xmm *s, uint32_t mx) { return same32(FP_CVTSS2SI, d, s, 2, mx); }
uint32_t simd_cvttps2pi(union xmm *d, const union xmm *s, uint32_t mx) { return same32(FP_CVTTSS2SI, d, s, 2, mx); }

/* Two int32 lanes to two doubles (CVTDQ2PD, CVTPI2PD): exact, no flags. */
static uint32_t widen_dq(union xmm *d, const union xmm *s, uint32_t mx)
{
    SRC32(2);
    uint64_t r[2] = { 0 };
    uint32_t st = conv(FP_CVTSI2SD, src, r, 2, mx);
    if (!FAULTED(st))
        d->q[0] = r[0], d->q[1] = r[1];
    return st;
}

uint32_t simd_cvtdq2pd(union xmm *d, const union xmm *s, uint32_t mx)
{
    FAST_PACKED(FP_CVTSI2SD);
    return widen_dq(d, s, mx);
}
uint32_t simd_cvtpi2pd(union xmm *d, const union xmm *s, uint32_t mx) { return widen_dq(d, s, mx); }

/* Two doubles to two int32 in an mm register (CVT(T)PD2PI). */
static uint32_t pd2pi(enum fp_hop op, union xmm *d, const union xmm *s, uint32_t mx)
{
    SRC64(2);
    uint64_t r[2] = { 0 };
    uint32_t st = conv(op, src, r, 2, mx);
    if (!FAULTED(st))
        d->d[0] = (uint32_t)r[0], d->d[1] = (uint32_t)r[1];
    return st;
}

uint32_t simd_cvtpd2pi(union xmm *d, const union xmm *s, uint32_t mx) { return pd2pi(FP_CVTSD2SI, d, s, mx); }
uint32_t simd_cvttpd2pi(union xmm *d, const union xmm *s, uint32_t mx) { return pd2pi(FP_CVTTSD2SI, d, s, mx); }

/* ---- general-register forms ---- */

uint32_t simd_cvtsi2ss(union xmm *d, uint64_t v, int w64, uint32_t mx)
{
    uint64_t r[1] = { 0 };
    uint32_t st = conv(w64 ? FP_CVTSI2SS64 : FP_CVTSI2SS, &v, r, 1, mx);
    if (!FAULTED(st))
        d->d[0] = (uint32_t)r[0];
    return st;
}

uint32_t simd_cvtsi2sd(union xmm *d, uint64_t v, int w64, uint32_t mx)
{
    uint64_t r[1] = { 0 };
    uint32_t st = conv(w64 ? FP_CVTSI2SD64 : FP_CVTSI2SD, &v, r, 1, mx);
    if (!FAULTED(st))
        d->q[0] = r[0];
    return st;
}

static uint32_t to_int(enum fp_hop op, uint64_t *out, uint64_t v, uint32_t mx)
{
    uint64_t r[1] = { 0 };
    uint32_t st = conv(op, &v, r, 1, mx);
    if (!FAULTED(st))
        *out = r[0];
    return st;
}

uint32_t simd_cvtss2si(uint64_t *r, const union xmm *s, int w64, uint32_t mx)
{
    return to_int(w64 ? FP_CVTSS2SI64 : FP_CVTSS2SI, r, s->d[0], mx);
}

uint32_t simd_cvttss2si(uint64_t *r, const union xmm *s, int w64, uint32_t mx)
{
    return to_int(w64 ? FP_CVTTSS2SI64 : FP_CVTTSS2SI, r, s->d[0], mx);
}

uint32_t simd_cvtsd2si(uint64_t *r, const union xmm *s, int w64, uint32_t mx)
{
    return to_int(w64 ? FP_CVTSD2SI64 : FP_CVTSD2SI, r, s->q[0], mx);
}

uint32_t simd_cvttsd2si(uint64_t *r, const union xmm *s, int w64, uint32_t mx)
{
    return to_int(w64 ? FP_CVTTSD2SI64 : FP_CVTTSD2SI, r, s->q[0], mx);
}
