/* Calls: recursive Fibonacci and a chain of small calls through a table
 * of function pointers (bench/raw.sh). One unit: fib(24) 24 times and
 * 4 Mi indirect calls. */
#include "common.h"

BENCH_CODE_BEGIN

static __attribute__((noinline)) uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static __attribute__((noinline)) uint32_t f0(uint32_t x) { return x * 3 + 1; }
static __attribute__((noinline)) uint32_t f1(uint32_t x) { return x ^ (x >> 7); }
static __attribute__((noinline)) uint32_t f2(uint32_t x) { return x + 0x9e3779b9u; }
static __attribute__((noinline)) uint32_t f3(uint32_t x) { return (x << 5) | (x >> 27); }

static uint32_t (*const volatile table[4])(uint32_t) = { f0, f1, f2, f3 };
/* Read each time, so the fib calls cannot be merged or hoisted. */
static volatile uint32_t fib_n = 24;

static __attribute__((noinline)) uint32_t chain(uint32_t x, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        x = table[(x ^ i) & 3](x);
    return x;
}

int main(int argc, char **argv)
{
    long units = bench_units(argc, argv);
    uint64_t check = 0;
    double t0 = bench_begin("calls");
    for (long u = 0; u < units; u++) {
        for (uint32_t k = 0; k < 24; k++)
            check += fib(fib_n);
        check += chain((uint32_t)u, 4 * 1024 * 1024);
    }
    bench_end("calls", units, t0, check);
    return 0;
}

BENCH_CODE_END
