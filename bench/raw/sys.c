/* System call and page fault round trips (bench/raw.sh).
 *
 *   sys calls UNITS    UNITS x 1000 getpid() through the C library (on
 *                      32-bit: the vDSO's __kernel_vsyscall), then as many
 *                      getppid through the bare instruction (syscall on
 *                      64-bit, int $0x80 on 32-bit)
 *   sys faults UNITS   UNITS x 256 fresh anonymous pages, one byte written
 *                      to each (16 MiB mappings, no huge pages); only the
 *                      writes are timed, not mmap and munmap */
#include <string.h>
#include <sys/mman.h>

#include "common.h"

BENCH_CODE_BEGIN

#define CHUNK 4096u     /* pages per mapping */

static __attribute__((noinline)) uint64_t bare_getppid(uint32_t n)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        long r;
#if defined(__x86_64__)
        __asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
#else
        __asm__ volatile("int $0x80" : "=a"(r) : "a"((long)SYS_getppid) : "memory");
#endif
        sum += (uint64_t)r;
    }
    return sum;
}

static __attribute__((noinline)) uint64_t libc_getpid(uint32_t n)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += (uint64_t)getpid();
    return sum;
}

static __attribute__((noinline)) void touch(volatile uint8_t *p, uint32_t pages)
{
    for (uint32_t i = 0; i < pages; i++)
        p[(size_t)i * 4096] = 1;
}

static int faults(long units)
{
    uint64_t pages = (uint64_t)units * 256, done = 0;
    double spent = 0;
    printf("BEGIN pagefault\n");
    fflush(stdout);
    double wall = bench_now();
    while (done < pages) {
        uint32_t n = pages - done < CHUNK ? (uint32_t)(pages - done) : CHUNK;
        uint8_t *p = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return 1;
        madvise(p, (size_t)n * 4096, MADV_NOHUGEPAGE);
        double t0 = bench_now();
        touch(p, n);
        spent += bench_now() - t0;
        munmap(p, (size_t)n * 4096);
        done += n;
    }
    /* bench_end's own clock spans mmap and munmap too: report the writes. */
    printf("RESULT pagefault %d %ld %.6f %016llx\n", BENCH_BITS, units, spent,
           (unsigned long long)done);
    printf("NOTE pagefault with mmap+munmap %.6f s\n", bench_now() - wall);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long units = bench_units(argc - 1, argv + 1);
    if (!strcmp(argv[1], "faults"))
        return faults(units);
    if (strcmp(argv[1], "calls"))
        return 2;
    uint32_t n = (uint32_t)units * 1000;
    double t0 = bench_begin("getpid");
    uint64_t c = libc_getpid(n);
    bench_end("getpid", units, t0, c);
    t0 = bench_begin("syscall-insn");
    c = bare_getppid(n);
    bench_end("syscall-insn", units, t0, c);
    return 0;
}

BENCH_CODE_END
