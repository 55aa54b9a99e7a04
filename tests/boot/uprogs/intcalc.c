/* Integer work: a hash over a generated array, qsort checked against a
 * hand-written merge sort, recursion (Fibonacci, Ackermann, N-queens,
 * Hanoi), 64-bit multiply/divide (libgcc helpers on i386) and bit
 * operations. Known answers are checked; everything joins the checksum. */
#include <stdlib.h>

#include "uprog.h"

#define N (1u << 17)    /* 512 KiB of uint32 */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t xorshift(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void merge_sort(uint32_t *a, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static unsigned ack(unsigned m, unsigned n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2)
{
    if (row == n)
        return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        unsigned a = 1u << c, b = 1u << (row + c), d = 1u << (row - c + n);
        if (!(cols & a) && !(d1 & b) && !(d2 & d))
            count += queens(n, row + 1, cols | a, d1 | b, d2 | d);
    }
    return count;
}

static uint64_t hanoi(int n, int from, int to, int via, uint64_t *h)
{
    if (n == 0)
        return 0;
    uint64_t moves = hanoi(n - 1, from, via, to, h);
    *h = *h * 31 + (uint64_t)(from * 3 + to);
    return moves + 1 + hanoi(n - 1, via, to, from, h);
}

int main(void)
{
    uprog_name = "intcalc";
    uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *t = malloc(N * sizeof *t);
    if (!a || !b || !t) {
        fail("malloc");
        return finish();
    }
    uint64_t h = 0;
    for (uint32_t i = 0; i < N; i++) {
        a[i] = (uint32_t)(xorshift() >> 11);
        h = (h ^ a[i]) * 0x100000001b3ull + (h >> 29);
    }
    memcpy(b, a, N * sizeof *a);
    say("array hash %016llx", (unsigned long long)h);

    qsort(a, N, sizeof *a, cmp_u32);
    merge_sort(b, t, N);
    int sorted = 1;
    for (uint32_t i = 1; i < N; i++)
        sorted &= a[i - 1] <= a[i];
    CHECK(sorted, "qsort result not sorted");
    CHECK(memcmp(a, b, N * sizeof *a) == 0, "qsort and merge sort disagree");
    ck_bytes(a, N * sizeof *a);
    say("sorted min %08x median %08x max %08x", a[0], a[N / 2], a[N - 1]);

    unsigned f = fib(27);
    CHECK(f == 196418, "fib(27) = %u", f);
    unsigned k = ack(2, 300);
    CHECK(k == 603, "ack(2,300) = %u", k);
    unsigned k3 = ack(3, 6);
    CHECK(k3 == 509, "ack(3,6) = %u", k3);
    int q = queens(9, 0, 0, 0, 0);
    CHECK(q == 352, "queens(9) = %d", q);
    uint64_t hh = 0, moves = hanoi(18, 0, 2, 1, &hh);
    CHECK(moves == (1u << 18) - 1, "hanoi moves %llu", (unsigned long long)moves);
    say("fib(27) %u ack(2,300) %u ack(3,6) %u queens(9) %d hanoi(18) %llu %016llx", f, k, k3, q,
        (unsigned long long)moves, (unsigned long long)hh);

    /* 64-bit arithmetic: on i386 these are __udivdi3/__divdi3/__moddi3. */
    uint64_t acc = 0;
    int64_t sacc = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t x = xorshift(), y = (xorshift() >> (i % 61)) | 1;
        int64_t sx = (int64_t)xorshift(), sy = (int64_t)(xorshift() >> (i % 60 + 1)) - (1 << 20);
        if (sy == 0)
            sy = 7;
        acc += x / y + x % y + x * y;
        sacc += sx / sy + sx % sy;
        acc ^= (uint64_t)__builtin_popcountll(x) << (i % 40);
        acc += (uint64_t)__builtin_clzll(y) + (uint64_t)__builtin_ctzll(x | 1u << 31);
        acc += __builtin_bswap64(x) >> 3;
        acc = acc << 5 | acc >> 59;
    }
    say("mul/div %016llx signed %016llx", (unsigned long long)acc, (unsigned long long)sacc);
    free(a);
    free(b);
    free(t);
    return finish();
}
