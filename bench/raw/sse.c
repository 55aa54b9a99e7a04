/* SSE2: double-precision vector loops with intrinsics over arrays that
 * stay in L1 (bench/raw.sh). One unit: 4096 passes of axpy, dot product
 * and a polynomial over 2 Ki doubles, plus a square root per pair. */
#include <emmintrin.h>

#include "common.h"

BENCH_CODE_BEGIN

#define N 2048

static double xs[N] __attribute__((aligned(16))), ys[N] __attribute__((aligned(16)));

static __attribute__((noinline)) double pass(double a)
{
    __m128d va = _mm_set1_pd(a), dot = _mm_setzero_pd(), poly = _mm_setzero_pd();
    const __m128d c0 = _mm_set1_pd(0.5), c1 = _mm_set1_pd(-0.25), c2 = _mm_set1_pd(0.125);
    for (int i = 0; i < N; i += 2) {
        __m128d x = _mm_load_pd(&xs[i]), y = _mm_load_pd(&ys[i]);
        y = _mm_add_pd(_mm_mul_pd(va, x), y);               /* axpy */
        y = _mm_mul_pd(y, _mm_set1_pd(0.999));              /* keep it bounded */
        _mm_store_pd(&ys[i], y);
        dot = _mm_add_pd(dot, _mm_mul_pd(x, y));
        __m128d p = _mm_add_pd(_mm_mul_pd(_mm_add_pd(_mm_mul_pd(c2, x), c1), x), c0);
        poly = _mm_add_pd(poly, _mm_sqrt_pd(_mm_add_pd(_mm_mul_pd(p, p), y)));
    }
    __m128d r = _mm_add_pd(dot, poly);
    return _mm_cvtsd_f64(_mm_add_sd(r, _mm_unpackhi_pd(r, r)));
}

int main(int argc, char **argv)
{
    long units = bench_units(argc, argv);
    uint64_t s = 3;
    for (int i = 0; i < N; i++) {
        xs[i] = (double)(bench_rand(&s) >> 11) * 0x1p-53;
        ys[i] = (double)(bench_rand(&s) >> 11) * 0x1p-53;
    }
    double acc = 0;
    double t0 = bench_begin("sse");
    for (long u = 0; u < units; u++)
        for (int k = 0; k < 4096; k++)
            acc += pass(0.001 * (double)(k + 1));
    union { double d; uint64_t w; } v = { acc };
    bench_end("sse", units, t0, v.w);
    return 0;
}

BENCH_CODE_END
