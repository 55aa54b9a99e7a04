/* SSE4.2 string compares, CRC32 and POPCNT (src/cpu/simd/str.c,
 * crc32_popcnt.c) against the host CPU executing the real instructions.
 *
 * Strings are drawn from a four-letter alphabet plus zero so that matches,
 * ranges, substrings and early ends are frequent; the explicit lengths
 * cover negatives, zero, the element count and beyond, and the extremes.
 * Every imm8 (0-255, bit 7 included) is compared for all four
 * instructions: ECX or XMM0 and CF/ZF/SF/OF/AF/PF must match. */
#include <cpuid.h>

#include "test.h"
#include "cpu/simd/simd_str.h"

#define VECTORS_PER_IMM 200

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void gen_str(union xmm *x)
{
    static const uint8_t alpha[] = { 'a', 'b', 'c', 'd', 0x80, 0xff, 0, 'a' };
    unsigned zero_odds = 4 + (unsigned)(rnd() % 60);
    for (int i = 0; i < 16; i++) {
        uint64_t r = rnd();
        x->b[i] = r % zero_odds == 0 ? 0 : r % 7 == 1 ? (uint8_t)(r >> 20) : alpha[(r >> 8) % 6];
    }
}

static int64_t gen_len(void)
{
    uint64_t r = rnd();
    switch (r % 8) {
    case 0: return (int64_t)(r >> 32) % 40 - 20;
    case 1: return INT32_MIN;
    case 2: return (int64_t)(int32_t)(r >> 16);
    case 3:     /* beyond 32 bits: only the REX.W form sees the difference */
        return r & 16 ? INT64_MIN : (int64_t)((r >> 40) % 18) + (r & 32 ? 1 : -1) * ((int64_t)1 << 32);
    default: return (int64_t)(r >> 32) % 18;
    }
}

#define R4(M, n) M(n) M(n + 1) M(n + 2) M(n + 3)
#define R16(M, n) R4(M, n) R4(M, n + 4) R4(M, n + 8) R4(M, n + 12)
#define R64(M, n) R16(M, n) R16(M, n + 16) R16(M, n + 32) R16(M, n + 48)
#define R256(M) R64(M, 0) R64(M, 64) R64(M, 128) R64(M, 192)

/* Host: xmm1 = a, xmm2 = b; ECX or XMM0 and RFLAGS out (OF/SF/ZF/AF/PF/CF
 * preset to 1 so that clearing them is seen). */
#define PRESET "pushfq\n\torq $0x8d5, (%%rsp)\n\tpopfq\n\t"
#define ECASE(n)                                                                \
    case n:                                                                     \
        __asm__ volatile("movdqu %[a], %%xmm1\n\tmovdqu %[b], %%xmm2\n\t" PRESET \
                         "pcmpestri %[i], %%xmm2, %%xmm1\n\tpushfq\n\tpopq %[f]" \
                         : "=c"(*ecx), [f] "=r"(*fl)                            \
                         : [a] "m"(*a), [b] "m"(*b), "a"(la), "d"(lb), [i] "i"(n) \
                         : "xmm1", "xmm2", "cc");                               \
        break;
#define EWCASE(n)                                                               \
    case n:                                                                     \
        __asm__ volatile("movdqu %[a], %%xmm1\n\tmovdqu %[b], %%xmm2\n\t" PRESET \
                         "pcmpestri %[i], %%xmm2, %%xmm1\n\tpushfq\n\tpopq %[f]" \
                         : "=c"(*ecx), [f] "=r"(*fl)                            \
                         : [a] "m"(*a), [b] "m"(*b), "a"((int32_t)la), "d"((int32_t)lb), [i] "i"(n) \
                         : "xmm1", "xmm2", "cc");                               \
        break;
#define EMCASE(n)                                                               \
    case n:                                                                     \
        __asm__ volatile("movdqu %[a], %%xmm1\n\tmovdqu %[b], %%xmm2\n\t" PRESET \
                         "pcmpestrm %[i], %%xmm2, %%xmm1\n\tpushfq\n\tpopq %[f]\n\t" \
                         "movdqu %%xmm0, %[m]"                                  \
                         : [m] "=m"(*m), [f] "=r"(*fl)                          \
                         : [a] "m"(*a), [b] "m"(*b), "a"((int32_t)la), "d"((int32_t)lb), [i] "i"(n) \
                         : "xmm0", "xmm1", "xmm2", "cc");                       \
        break;
#define ICASE(n)                                                                \
    case n:                                                                     \
        __asm__ volatile("movdqu %[a], %%xmm1\n\tmovdqu %[b], %%xmm2\n\t" PRESET \
                         "pcmpistri %[i], %%xmm2, %%xmm1\n\tpushfq\n\tpopq %[f]" \
                         : "=c"(*ecx), [f] "=r"(*fl)                            \
                         : [a] "m"(*a), [b] "m"(*b), [i] "i"(n)                 \
                         : "xmm1", "xmm2", "cc");                               \
        break;
#define IMCASE(n)                                                               \
    case n:                                                                     \
        __asm__ volatile("movdqu %[a], %%xmm1\n\tmovdqu %[b], %%xmm2\n\t" PRESET \
                         "pcmpistrm %[i], %%xmm2, %%xmm1\n\tpushfq\n\tpopq %[f]\n\t" \
                         "movdqu %%xmm0, %[m]"                                  \
                         : [m] "=m"(*m), [f] "=r"(*fl)                          \
                         : [a] "m"(*a), [b] "m"(*b), [i] "i"(n)                 \
                         : "xmm0", "xmm1", "xmm2", "cc");                       \
        break;

/* pcmpestri with REX.W (RAX/RDX lengths): 66 REX.W 0F 3A 61 /r ib with
 * ModRM 0xCA (xmm1, xmm2), spelled as bytes (not every assembler takes
 * a mnemonic for it). */
#define EQCASE(n)                                                               \
    case n:                                                                     \
        __asm__ volatile("movdqu %[a], %%xmm1\n\tmovdqu %[b], %%xmm2\n\t" PRESET \
                         ".byte 0x66, 0x48, 0x0f, 0x3a, 0x61, 0xca, %c[i]\n\tpushfq\n\tpopq %[f]" \
                         : "=c"(*ecx), [f] "=r"(*fl)                            \
                         : [a] "m"(*a), [b] "m"(*b), "a"(la), "d"(lb), [i] "i"(n) \
                         : "xmm1", "xmm2", "cc");                               \
        break;

static void host_estri(const union xmm *a, const union xmm *b, int64_t la, int64_t lb,
                       uint8_t imm, uint32_t *ecx, uint64_t *fl)
{
    switch (imm) { R256(EWCASE) }
}
static void host_estriq(const union xmm *a, const union xmm *b, int64_t la, int64_t lb,
                        uint8_t imm, uint32_t *ecx, uint64_t *fl)
{
    switch (imm) { R256(EQCASE) }
}
static void host_estrm(const union xmm *a, const union xmm *b, int64_t la, int64_t lb,
                       uint8_t imm, union xmm *m, uint64_t *fl)
{
    switch (imm) { R256(EMCASE) }
}
static void host_istri(const union xmm *a, const union xmm *b, uint8_t imm, uint32_t *ecx,
                       uint64_t *fl)
{
    switch (imm) { R256(ICASE) }
}
static void host_istrm(const union xmm *a, const union xmm *b, uint8_t imm, union xmm *m,
                       uint64_t *fl)
{
    switch (imm) { R256(IMCASE) }
}

#define FLAGMASK 0x8d5u     /* OF SF ZF AF PF CF */

static long compared;

static void check_strings(void)
{
    long bad[5] = { 0 };
    int shown = 0;
    for (unsigned imm = 0; imm < 256; imm++) {
        for (int v = 0; v < VECTORS_PER_IMM; v++) {
            union xmm a, b, m1, m2;
            gen_str(&a);
            gen_str(&b);
            if (v % 4 == 0)
                memcpy(&b.b[rnd() % 8], &a.b[0], 4);    /* plant a substring */
            int64_t la = gen_len(), lb = gen_len();
            uint32_t c1, c2;
            uint64_t hf;
            unsigned ef;
            int k = 0;

            c1 = simd_pcmpestri(&a, &b, (int32_t)la, (int32_t)lb, (uint8_t)imm, &ef);
            host_estri(&a, &b, la, lb, (uint8_t)imm, &c2, &hf);
            bad[k] += c1 != c2 || ef != (hf & FLAGMASK);
            if (c1 != c2 || ef != (hf & FLAGMASK)) {
                if (!shown++)
                    printf("  pcmpestri imm=%02x la=%d lb=%d: rawbox ecx=%u fl=%03x host ecx=%u fl=%03x\n",
                           imm, (int32_t)la, (int32_t)lb, c1, ef, c2, (unsigned)(hf & FLAGMASK));
            }
            k++;
            c1 = simd_pcmpestri(&a, &b, la, lb, (uint8_t)imm, &ef);
            host_estriq(&a, &b, la, lb, (uint8_t)imm, &c2, &hf);
            bad[k++] += c1 != c2 || ef != (hf & FLAGMASK);
            simd_pcmpestrm(&m1, &a, &b, (int32_t)la, (int32_t)lb, (uint8_t)imm, &ef);
            host_estrm(&a, &b, la, lb, (uint8_t)imm, &m2, &hf);
            bad[k++] += memcmp(&m1, &m2, 16) != 0 || ef != (hf & FLAGMASK);
            c1 = simd_pcmpistri(&a, &b, (uint8_t)imm, &ef);
            host_istri(&a, &b, (uint8_t)imm, &c2, &hf);
            if ((c1 != c2 || ef != (hf & FLAGMASK)) && !shown++)
                printf("  pcmpistri imm=%02x: rawbox ecx=%u fl=%03x host ecx=%u fl=%03x\n",
                       imm, c1, ef, c2, (unsigned)(hf & FLAGMASK));
            bad[k++] += c1 != c2 || ef != (hf & FLAGMASK);
            simd_pcmpistrm(&m1, &a, &b, (uint8_t)imm, &ef);
            host_istrm(&a, &b, (uint8_t)imm, &m2, &hf);
            bad[k++] += memcmp(&m1, &m2, 16) != 0 || ef != (hf & FLAGMASK);
            compared += 5;
        }
    }
    static const char *names[] = { "pcmpestri", "pcmpestri (REX.W lengths)", "pcmpestrm",
                                   "pcmpistri", "pcmpistrm" };
    for (int k = 0; k < 5; k++)
        CHECK(bad[k] == 0, "%s: every imm8, %d vectors each: ECX/XMM0 and flags agree with the host (%ld bad)",
              names[k], VECTORS_PER_IMM, bad[k]);
}

static void check_crc_popcnt(void)
{
    long bad_crc = 0, bad_pop = 0;
    for (int v = 0; v < 200000; v++) {
        uint32_t crc = (uint32_t)rnd(), h;
        uint64_t data = rnd() >> (rnd() % 64);
        h = crc;
        __asm__("crc32b %b1, %0" : "+r"(h) : "r"((uint8_t)data));
        bad_crc += h != simd_crc32(crc, data, 1);
        h = crc;
        __asm__("crc32w %w1, %0" : "+r"(h) : "r"((uint16_t)data));
        bad_crc += h != simd_crc32(crc, data, 2);
        h = crc;
        __asm__("crc32l %k1, %0" : "+r"(h) : "r"((uint32_t)data));
        bad_crc += h != simd_crc32(crc, data, 4);
        uint64_t h64 = crc;
        __asm__("crc32q %1, %0" : "+r"(h64) : "r"(data));
        bad_crc += h64 != simd_crc32(crc, data, 8);
        uint64_t p;
        __asm__("popcnt %1, %0" : "=r"(p) : "r"(data));
        bad_pop += p != simd_popcnt(data);
        uint16_t p16;
        __asm__("popcntw %1, %0" : "=r"(p16) : "r"((uint16_t)data));
        bad_pop += p16 != simd_popcnt((uint16_t)data);
        compared += 6;
    }
    /* the CRC-32C check value: "123456789" -> 0xE3069283 with inversions */
    uint32_t c = 0xffffffffu;
    for (const char *s = "123456789"; *s; s++)
        c = simd_crc32(c, (uint8_t)*s, 1);
    CHECK_EQ(c ^ 0xffffffffu, 0xe3069283u, "crc32 of \"123456789\" is the CRC-32C check value");
    CHECK(bad_crc == 0, "crc32 b/w/l/q: 200000 vectors agree with the host (%ld bad)", bad_crc);
    CHECK(bad_pop == 0, "popcnt r64/r16: 200000 vectors agree with the host (%ld bad)", bad_pop);
}

int main(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_2) || !(c & bit_POPCNT)) {
        CHECK(0, "host CPU has SSE4.2 and POPCNT");
        return test_summary();
    }
    check_strings();
    check_crc_popcnt();
    printf("%ld vectors compared with the host\n", compared);
    return test_summary();
}
