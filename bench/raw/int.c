/* Integer work: hashing a buffer and sorting keys (bench/raw.sh). One
 * unit: 24 hash passes over 64 KiB and two sorts of 32 Ki keys. */
#include "common.h"

BENCH_CODE_BEGIN

#define HBYTES (64 * 1024)
#define NKEYS (32 * 1024)

static uint8_t buf[HBYTES];
static uint32_t keys[NKEYS];

/* FNV-1a over bytes, then a multiply-rotate mix per 8-byte word. */
static __attribute__((noinline)) uint64_t hash_pass(const uint8_t *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    const uint64_t *w = (const uint64_t *)p;
    for (size_t i = 0; i < n / 8; i++) {
        h ^= w[i] * 0x9e3779b97f4a7c15ull;
        h = (h << 31 | h >> 33) * 0xbf58476d1ce4e5b9ull;
    }
    return h;
}

static void sift(uint32_t *a, size_t root, size_t n)
{
    uint32_t v = a[root];
    for (size_t c; (c = 2 * root + 1) < n; root = c) {
        if (c + 1 < n && a[c + 1] > a[c])
            c++;
        if (a[c] <= v)
            break;
        a[root] = a[c];
    }
    a[root] = v;
}

/* Quicksort with an insertion-sort tail; heapsort past a depth limit. */
static __attribute__((noinline)) void sort(uint32_t *a, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            for (size_t i = n / 2; i-- > 0;)
                sift(a, i, n);
            for (size_t i = n - 1; i > 0; i--) {
                uint32_t t = a[0];
                a[0] = a[i];
                a[i] = t;
                sift(a, 0, i);
            }
            return;
        }
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < piv)
                i++;
            while (a[j] > piv)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        sort(a, j + 1, depth);
        a += j + 1;
        n -= j + 1;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t k = i;
        for (; k > 0 && a[k - 1] > v; k--)
            a[k] = a[k - 1];
        a[k] = v;
    }
}

int main(int argc, char **argv)
{
    long units = bench_units(argc, argv);
    uint64_t s = 42, h = 0, check = 0;
    for (size_t i = 0; i < HBYTES; i++)
        buf[i] = (uint8_t)bench_rand(&s);
    double t0 = bench_begin("int");
    for (long u = 0; u < units; u++) {
        for (int k = 0; k < 24; k++)
            h = hash_pass(buf, HBYTES, h + (uint64_t)k);
        for (int k = 0; k < 2; k++) {
            for (size_t i = 0; i < NKEYS; i++)
                keys[i] = (uint32_t)bench_rand(&s);
            sort(keys, NKEYS, 64);
            for (size_t i = 1; i < NKEYS; i++)
                if (keys[i - 1] > keys[i])
                    return 1;
            check += h ^ keys[NKEYS / 2];
        }
    }
    bench_end("int", units, t0, check);
    return 0;
}

BENCH_CODE_END
