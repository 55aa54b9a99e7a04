/* Lane plumbing shared by the floating-point files (internal): run a set of
 * lane operations, decide with the exception model, and only then write
 * the destination lanes. */
#ifndef RAWBOX_CPU_SIMD_FP_LANES_H
#define RAWBOX_CPU_SIMD_FP_LANES_H

#include "cpu/simd/fp_host.h"

/* Lane i computes op[i](a[i], b[i]) into r[i]; returns the decided status. */
static inline uint32_t fp_run(const enum fp_hop *op, const uint64_t *a, const uint64_t *b,
                              uint64_t *r, unsigned n, uint32_t mxcsr)
{
    uint32_t f[4] = { 0 };
    for (unsigned i = 0; i < n; i++)
        f[i] = fp_lane(op[i], a[i], b[i], &r[i], mxcsr);
    return fp_decide(f, n, mxcsr);
}

/* The same op on lanes 0..n-1 of d and s, single precision; a whole
 * register with every exception masked takes the packed fast path. */
static inline uint32_t fp_lanes32(enum fp_hop op, union xmm *d, const union xmm *s, unsigned n,
                                  uint32_t mxcsr)
{
    if (n == 4 && !fp_unmasked(mxcsr)) {
        uint32_t f = fp_host_packed(op, d, s, mxcsr);
        if (f != FP_NOT_PACKED)
            return f;
    }
    enum fp_hop ops[4] = { op, op, op, op };
    uint64_t a[4] = { 0 }, b[4] = { 0 }, r[4] = { 0 };
    for (unsigned i = 0; i < n; i++)
        a[i] = d->d[i], b[i] = s->d[i];
    uint32_t st = fp_run(ops, a, b, r, n, mxcsr);
    if (!(st & SIMD_FP_FAULT))
        for (unsigned i = 0; i < n; i++)
            d->d[i] = (uint32_t)r[i];
    return st;
}

/* Double precision. */
static inline uint32_t fp_lanes64(enum fp_hop op, union xmm *d, const union xmm *s, unsigned n,
                                  uint32_t mxcsr)
{
    if (n == 2 && !fp_unmasked(mxcsr)) {
        uint32_t f = fp_host_packed(op, d, s, mxcsr);
        if (f != FP_NOT_PACKED)
            return f;
    }
    enum fp_hop ops[2] = { op, op };
    uint64_t r[2] = { 0 };
    uint32_t st = fp_run(ops, d->q, s->q, r, n, mxcsr);
    if (!(st & SIMD_FP_FAULT))
        for (unsigned i = 0; i < n; i++)
            d->q[i] = r[i];
    return st;
}

#endif
