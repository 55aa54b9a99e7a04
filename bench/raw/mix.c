/* One step of bench/raw.sh's mixed workload, started by a shell loop:
 * some compute (hashing 256 KiB), 500 system calls, 64 fresh pages, a
 * short write to stdout. */
#include <sys/mman.h>

#include "common.h"

BENCH_CODE_BEGIN

static uint8_t buf[256 * 1024];

int main(int argc, char **argv)
{
    uint64_t h = (uint64_t)bench_units(argc, argv), s = h | 1;
    for (size_t i = 0; i < sizeof buf; i += 8)
        buf[i] = (uint8_t)bench_rand(&s);
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < sizeof buf; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
    for (int i = 0; i < 500; i++)
        h += (uint64_t)getppid();
    uint8_t *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    for (int i = 0; i < 64; i++)
        p[i * 4096] = (uint8_t)h;
    munmap(p, 64 * 4096);
    printf("mix %016llx\n", (unsigned long long)h);
    return 0;
}

BENCH_CODE_END
