/* The guest's clock for bench/raw.sh's shell loops and its clock check.
 *
 *   clk                          CLOCK_MONOTONIC in ns (system call)
 *   clk result NAME UNITS T0     "RESULT NAME bits UNITS seconds-since-T0 0"
 *   clk vdso                     one second of nanosleep measured by the
 *                                vDSO's clock_gettime and by the system
 *                                call: under raw mode the vDSO's RDTSC runs
 *                                natively and reads the host's TSC */
#include <string.h>

#include "common.h"

static long long ns_sys(void)
{
    struct timespec ts;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static long long ns_vdso(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        printf("%lld\n", ns_sys());
    } else if (argc == 5 && !strcmp(argv[1], "result")) {
        double t = (double)(ns_sys() - atoll(argv[4])) * 1e-9;
        printf("RESULT %s %d %s %.6f 0\n", argv[2], BENCH_BITS, argv[3], t);
    } else if (argc == 2 && !strcmp(argv[1], "vdso")) {
        long long v0 = ns_vdso(), s0 = ns_sys();
        struct timespec one = { 1, 0 };
        nanosleep(&one, NULL);
        long long v1 = ns_vdso(), s1 = ns_sys();
        printf("CLOCK vdso %.6f syscall %.6f (vdso now %lld, syscall now %lld)\n",
               (double)(v1 - v0) * 1e-9, (double)(s1 - s0) * 1e-9, v1, s1);
    } else {
        return 2;
    }
    return 0;
}
