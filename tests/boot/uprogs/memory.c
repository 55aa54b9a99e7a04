/* Memory: page-touching malloc'd and mmap'd memory (so the guest kernel
 * handles a few thousand page faults), memset/memcpy/memmove/memcmp over
 * megabytes at odd alignments, string functions ending right before an
 * unmapped page (glibc's vector versions read whole blocks and must not
 * fault), mprotect, munmap of part of a mapping, brk growth. */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uprog.h"

#define MB (1024u * 1024u)
#define PAGE 4096u

static uint64_t hash(const unsigned char *p, size_t n)
{
    uint64_t h = 0x84222325cbf29ce4ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

int main(void)
{
    uprog_name = "memory";
    size_t n = 6 * MB;
    unsigned char *a = malloc(n + 64), *b = malloc(n + 64);
    if (!a || !b) {
        fail("malloc");
        return finish();
    }
    /* One write per page first: each is a fresh anonymous page fault. */
    for (size_t i = 0; i < n; i += PAGE)
        a[i] = (unsigned char)(i / PAGE);
    for (size_t i = 0; i < n; i += PAGE)
        CHECK(a[i] == (unsigned char)(i / PAGE), "page %zu lost its byte", i / PAGE);
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)(i * 7 + (i >> 12));
    uint64_t ha = hash(a, n);
    say("pattern hash %016llx", (unsigned long long)ha);

    /* memcpy at every source/destination misalignment 0..7. */
    uint64_t hc = 0;
    for (int s = 0; s < 8; s++)
        for (int d = 0; d < 8; d++) {
            size_t len = n / 4 + (size_t)(s * 8 + d) * 13;
            memcpy(b + d, a + s, len);
            CHECK(memcmp(b + d, a + s, len) == 0, "memcpy src+%d dst+%d differs", s, d);
            hc = hc * 3 + hash(b + d, 4096) + b[d + len - 1];
        }
    say("memcpy alignments %016llx", (unsigned long long)hc);

    memset(b, 0x5a, n);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += b[i] != 0x5a;
    CHECK(bad == 0, "memset left %zu bytes", bad);
    memset(b + 3, 0, n / 2 + 1);
    CHECK(b[2] == 0x5a && b[3] == 0 && b[n / 2 + 3] == 0 && b[n / 2 + 4] == 0x5a, "memset edges");

    /* memmove both ways over overlapping ranges. */
    memcpy(b, a, n);
    memmove(b + 1000, b, n / 2);
    CHECK(memcmp(b + 1000, a, n / 2) == 0, "memmove up");
    memcpy(b, a, n);
    memmove(b, b + 4097, n / 2);
    CHECK(memcmp(b, a + 4097, n / 2) == 0, "memmove down");
    b[n / 3] ^= 1;
    int c = memcmp(a, b, n);
    CHECK(c != 0, "memcmp missed a difference");
    say("memmove/memcmp %016llx sign %d", (unsigned long long)hash(b, n), c > 0 ? 1 : -1);

    /* Strings ending exactly before an inaccessible page. */
    unsigned char *m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        fail("mmap");
        return finish();
    }
    CHECK(mprotect(m + 2 * PAGE, PAGE, PROT_NONE) == 0, "mprotect PROT_NONE");
    unsigned long lens = 0;
    for (unsigned len = 0; len < 200; len++) {
        char *s = (char *)m + 2 * PAGE - len - 1;
        memset(s, 'a' + len % 26, len);
        s[len] = 0;
        lens += strlen(s) * (len + 1);
        CHECK(strlen(s) == len, "strlen %u", len);
        CHECK(strchr(s, 'A') == NULL, "strchr %u found a stray", len);
        CHECK(memchr(s, 0, len + 1) == s + len, "memchr %u", len);
        char *r = strrchr(s, 'a' + len % 26);
        CHECK(len == 0 ? r == NULL : r == s + len - 1, "strrchr %u", len);
    }
    say("strings at a page edge %lu", lens);

    /* Read-only after mprotect, then unmap the middle page. */
    memset(m, 0x11, 2 * PAGE);
    CHECK(mprotect(m, 2 * PAGE, PROT_READ) == 0, "mprotect PROT_READ");
    CHECK(m[5] == 0x11 && m[PAGE + 5] == 0x11, "read after mprotect");
    CHECK(munmap(m + PAGE, PAGE) == 0, "munmap middle");
    CHECK(m[PAGE - 1] == 0x11, "first page after munmap");
    munmap(m, PAGE);
    munmap(m + 2 * PAGE, PAGE);

    /* A big anonymous mapping touched backwards, then remapped larger. */
    size_t mn = 4 * MB;
    unsigned char *big = mmap(NULL, mn, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (big == MAP_FAILED) {
        fail("mmap big");
        return finish();
    }
    for (size_t i = mn; i >= PAGE; i -= PAGE)
        big[i - 1] = (unsigned char)(i >> 12);
    uint64_t zero = 0;
    for (size_t i = 0; i < mn; i += PAGE)
        zero += big[i];
    CHECK(zero == 0, "fresh anonymous pages not zero");
    unsigned char *big2 = mremap(big, mn, 2 * mn, MREMAP_MAYMOVE);
    CHECK(big2 != MAP_FAILED, "mremap");
    if (big2 != MAP_FAILED) {
        uint64_t s = 0;
        for (size_t i = mn; i >= PAGE; i -= PAGE)
            s += big2[i - 1];
        for (size_t i = mn; i < 2 * mn; i += PAGE)
            s += big2[i];
        say("mmap/mremap sum %llu", (unsigned long long)s);
        munmap(big2, 2 * mn);
    }

    /* brk growth. */
    unsigned char *brk0 = sbrk(0), *p = sbrk(MB);
    CHECK(p == brk0, "sbrk");
    if (p != (void *)-1) {
        for (size_t i = 0; i < MB; i += PAGE)
            p[i] = 1;
        uint64_t s = 0;
        for (size_t i = 0; i < MB; i++)
            s += p[i];
        CHECK(s == MB / PAGE, "brk pages sum %llu", (unsigned long long)s);
        sbrk(-(intptr_t)MB);
    }
    say("brk ok");
    free(a);
    free(b);
    return finish();
}
