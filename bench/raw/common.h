/* Shared by bench/raw's guest programs (bench/raw.sh builds each for -m64
 * and -m32, static, and runs it natively, under rawbox and under QEMU).
 *
 * Every program takes a unit count (argv[1]): the timed work grows
 * linearly with it, so a run with fewer units scales to the full count.
 * Set-up (allocation, first touch, tables) happens before the clock.
 * Around its timed loop a program prints "BEGIN name" and then
 * "RESULT name bits units seconds check": the script timestamps both
 * lines on the serial console as a cross-check of the guest's clock.
 *
 * Layout: raw mode interprets every code page holding a 0F A2 byte pair
 * (CPUID), and static glibc puts its CPU-feature code right next to the
 * program's own. The programs' code therefore sits between two
 * page-aligned guards (BENCH_CODE_BEGIN at the top of each file,
 * BENCH_CODE_END at the bottom, built with -fno-toplevel-reorder and
 * -fno-reorder-functions so nothing moves across them), and bench/raw.sh
 * checks that those pages hold no such pair. */
#ifndef RAWBENCH_COMMON_H
#define RAWBENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define BENCH_BITS ((int)sizeof(void *) * 8)

#define BENCH_CODE_BEGIN \
    __attribute__((aligned(4096), noinline, used)) void rawbench_code_begin(void) {}
#define BENCH_CODE_END \
    __attribute__((aligned(4096), noinline, used)) void rawbench_code_end(void) {}

/* CLOCK_MONOTONIC through the system call, not the vDSO: under raw mode
 * the vDSO's RDTSC runs natively and reads the host's TSC, which is not
 * the guest's (bench/README.md). Two calls per measurement: at most a
 * fraction of a millisecond, even as raw mode's round trips. */
static inline double bench_now(void)
{
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline long bench_units(int argc, char **argv)
{
    long u = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    return u > 0 ? u : 1;
}

static inline double bench_begin(const char *name)
{
    printf("BEGIN %s\n", name);
    fflush(stdout);
    return bench_now();
}

static inline void bench_end(const char *name, long units, double t0, uint64_t check)
{
    double t = bench_now() - t0;
    printf("RESULT %s %d %ld %.6f %016llx\n", name, BENCH_BITS, units, t,
           (unsigned long long)check);
    fflush(stdout);
}

/* xorshift64*: deterministic data for every program. */
static inline uint64_t bench_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

#endif
