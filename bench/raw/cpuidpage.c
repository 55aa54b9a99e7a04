/* A hot loop on a code page that also holds a CPUID instruction, as in
 * any static glibc program whose main() lies next to glibc's CPU-feature
 * code (bench/raw.sh). Raw mode interprets such pages: it cannot make
 * CPUID fault on the host. One unit: 1 Mi turns of a 5-instruction loop. */
#include "common.h"

BENCH_CODE_BEGIN

static __attribute__((noinline)) uint32_t leaf0(void)
{
    uint32_t a = 0, b, c = 0, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
    return a;
}

static __attribute__((noinline)) unsigned long spin(unsigned long n, unsigned long x)
{
    for (unsigned long i = 0; i < n; i++)
        __asm__ volatile("add %1, %0" : "+r"(x) : "r"(i));
    return x;
}

int main(int argc, char **argv)
{
    long units = bench_units(argc, argv);
    unsigned long x = leaf0() ? 1 : 0;
    double t0 = bench_begin("cpuid-page");
    x = spin((unsigned long)units << 20, x);
    bench_end("cpuid-page", units, t0, x);
    return 0;
}

BENCH_CODE_END
