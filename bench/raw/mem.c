/* Memory (bench/raw.sh):
 *
 *   mem stream UNITS   copies between two 32 MiB buffers (beyond L2 and,
 *                      together, the host's L3); one unit: two copies each
 *                      way, 256 MiB moved
 *   mem random UNITS   a dependent random walk over a 32 MiB table; one
 *                      unit: 64 Ki steps */
#include <string.h>
#include <sys/mman.h>

#include "common.h"

BENCH_CODE_BEGIN

#define BUF (32u << 20)
#define TABLE (8u << 20)        /* uint32 entries: 32 MiB */
#define STEPS (1u << 16)

/* 8-byte words, unrolled; the build keeps GCC from calling memcpy. */
static __attribute__((noinline)) void copy(uint64_t *restrict d, const uint64_t *restrict s, size_t n)
{
    for (size_t i = 0; i < n; i += 4) {
        d[i] = s[i];
        d[i + 1] = s[i + 1];
        d[i + 2] = s[i + 2];
        d[i + 3] = s[i + 3];
    }
}

static __attribute__((noinline)) uint32_t walk(const uint32_t *t, uint32_t at, uint32_t steps)
{
    while (steps--)
        at = t[at];
    return at;
}

/* Huge pages where the kernel gives them: the guest kernel (Debian's
 * THP "always") does so for any large mapping, the host's "madvise" mode
 * only when asked; asking makes native runs comparable. */
static void *huge(size_t len)
{
    uint8_t *p = mmap(NULL, len + (2u << 20), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    p = (uint8_t *)(((uintptr_t)p + (2u << 20) - 1) & ~(uintptr_t)((2u << 20) - 1));
    madvise(p, len, MADV_HUGEPAGE);
    return p;
}

static int stream(long units)
{
    uint64_t *a = huge(BUF), *b = huge(BUF), check = 0;
    if (!a || !b)
        return 1;
    for (size_t i = 0; i < BUF / 8; i++) {
        a[i] = i;
        b[i] = 0;
    }
    double t0 = bench_begin("mem-stream");
    for (long u = 0; u < units; u++) {
        for (int k = 0; k < 2; k++) {
            copy(b, a, BUF / 8);
            copy(a, b, BUF / 8);
        }
        check += a[(size_t)u % (BUF / 8)];
    }
    bench_end("mem-stream", units, t0, check);
    return 0;
}

static int random_walk(long units)
{
    uint32_t *t = huge(TABLE * sizeof *t);
    uint64_t s = 7;
    if (!t)
        return 1;
    /* Sattolo's shuffle: one cycle through every entry. */
    for (uint32_t i = 0; i < TABLE; i++)
        t[i] = i;
    for (uint32_t i = TABLE - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(bench_rand(&s) % i), v = t[i];
        t[i] = t[j];
        t[j] = v;
    }
    uint32_t at = 0;
    double t0 = bench_begin("mem-random");
    for (long u = 0; u < units; u++)
        at = walk(t, at, STEPS);
    bench_end("mem-random", units, t0, at);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long units = bench_units(argc - 1, argv + 1);
    if (!strcmp(argv[1], "stream"))
        return stream(units);
    if (!strcmp(argv[1], "random"))
        return random_walk(units);
    return 2;
}

BENCH_CODE_END
