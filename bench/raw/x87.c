/* x87: long double arithmetic (bench/raw.sh). One unit: 1 Mi steps of
 * a series sum, a Newton square root and a product recurrence, all in
 * 80-bit precision. */
#include "common.h"

BENCH_CODE_BEGIN

static __attribute__((noinline)) long double series(uint32_t from, uint32_t n, long double *root)
{
    long double sum = 0, r = *root, prod = 1;
    for (uint32_t i = 0; i < n; i++) {
        long double k = (long double)(from + i + 1);
        sum += 1.0L / (k * k);                  /* -> pi^2/6 */
        r = 0.5L * (r + (k + 2.0L) / r);        /* chases sqrt(k + 2) */
        prod = prod * (1.0L + 1.0L / (k * 64.0L)) - prod * 1e-9L;
    }
    *root = r;
    return sum + prod * 1e-30L;
}

int main(int argc, char **argv)
{
    long units = bench_units(argc, argv);
    long double root = 1, sum = 0;
    double t0 = bench_begin("x87");
    for (long u = 0; u < units; u++)
        sum += series((uint32_t)(u * 1024 * 1024), 1024 * 1024, &root);
    union { long double d; uint64_t w[2]; } v = { sum };
    bench_end("x87", units, t0, v.w[0] ^ (uint64_t)(root * 1e6L));
    return 0;
}

BENCH_CODE_END
