/* PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (SSE4.2), SDM vol. 2 4.1.
 *
 * imm8[1:0] element format (unsigned/signed bytes/words), imm8[3:2] the
 * aggregation (equal any, ranges, equal each, equal ordered), imm8[5:4]
 * the polarity, imm8[6] the index (least/most significant) or mask
 * (bit/element) form; imm8[7] is ignored. Element pairs involving an
 * element past a string's end are forced true or false by Table 4-7;
 * the implicit forms end a string at its first zero element, the
 * explicit ones at |EAX| / |EDX| saturated to the element count. */
#include "cpu/simd/simd_str.h"

#define CF 0x001u
#define ZF 0x040u
#define SF 0x080u
#define OF 0x800u

static int elem(const union xmm *x, unsigned i, unsigned fmt)
{
    switch (fmt) {
    case 0: return x->b[i];
    case 1: return x->w[i];
    case 2: return x->sb[i];
    default: return x->sw[i];
    }
}

static unsigned implicit_len(const union xmm *x, unsigned n, unsigned fmt)
{
    unsigned i = 0;
    while (i < n && elem(x, i, fmt) != 0)
        i++;
    return i;
}

static unsigned explicit_len(int64_t l, unsigned n)
{
    /* |l| saturated; INT64_MIN's magnitude is also past n */
    uint64_t m = l < 0 ? (uint64_t)0 - (uint64_t)l : (uint64_t)l;
    return m > n ? n : (unsigned)m;
}

/* IntRes2 of the SDM: bit i per element of b. */
static unsigned compare(const union xmm *a, const union xmm *b, unsigned la, unsigned lb,
                        uint8_t imm, unsigned n)
{
    unsigned fmt = imm & 3, res = 0;

    switch (imm >> 2 & 3) {
    case 0:                                     /* equal any */
        for (unsigned i = 0; i < lb; i++)
            for (unsigned j = 0; j < la; j++)
                if (elem(a, j, fmt) == elem(b, i, fmt))
                    res |= 1u << i;
        break;
    case 1:                                     /* ranges: a holds pairs lo, hi */
        for (unsigned i = 0; i < lb; i++)
            for (unsigned j = 0; j + 1 < la; j += 2)
                if (elem(a, j, fmt) <= elem(b, i, fmt) && elem(b, i, fmt) <= elem(a, j + 1, fmt))
                    res |= 1u << i;
        break;
    case 2:                                     /* equal each */
        for (unsigned i = 0; i < n; i++) {
            int r;
            if (i >= la && i >= lb)
                r = 1;
            else if (i >= la || i >= lb)
                r = 0;
            else
                r = elem(a, i, fmt) == elem(b, i, fmt);
            res |= (unsigned)r << i;
        }
        break;
    default:                                    /* equal ordered: a found at b[j] */
        for (unsigned j = 0; j < n; j++) {
            int r = 1;
            for (unsigned k = 0; j + k < n && r; k++) {
                if (k >= la)
                    break;                      /* needle ended: true */
                if (j + k >= lb)
                    r = 0;                      /* haystack ended first */
                else
                    r = elem(a, k, fmt) == elem(b, j + k, fmt);
            }
            res |= (unsigned)r << j;
        }
        break;
    }
    switch (imm >> 4 & 3) {                     /* polarity */
    case 1: res = ~res; break;
    case 3: res ^= (1u << lb) - 1; break;       /* negate valid elements only */
    default: break;
    }
    return res & ((1u << n) - 1);
}

static unsigned flags(unsigned res, unsigned la, unsigned lb, unsigned n)
{
    return (res ? CF : 0) | (lb < n ? ZF : 0) | (la < n ? SF : 0) | (res & 1 ? OF : 0);
}

static uint32_t index_of(unsigned res, uint8_t imm, unsigned n)
{
    if (!res)
        return n;
    if (imm & 0x40)
        return 31u - (unsigned)__builtin_clz(res);
    return (unsigned)__builtin_ctz(res);
}

static void mask_of(union xmm *x, unsigned res, uint8_t imm, unsigned n)
{
    x->q[0] = x->q[1] = 0;
    if (!(imm & 0x40)) {
        x->w[0] = (uint16_t)res;
        return;
    }
    for (unsigned i = 0; i < n; i++)
        if (res >> i & 1) {
            if (n == 16)
                x->b[i] = 0xff;
            else
                x->w[i] = 0xffff;
        }
}

uint32_t simd_pcmpestri(const union xmm *a, const union xmm *b, int64_t la, int64_t lb,
                        uint8_t imm, unsigned *eflags)
{
    unsigned n = imm & 1 ? 8 : 16;
    unsigned l1 = explicit_len(la, n), l2 = explicit_len(lb, n);
    unsigned res = compare(a, b, l1, l2, imm, n);
    *eflags = flags(res, l1, l2, n);
    return index_of(res, imm, n);
}

void simd_pcmpestrm(union xmm *xmm0, const union xmm *a, const union xmm *b, int64_t la,
                    int64_t lb, uint8_t imm, unsigned *eflags)
{
    unsigned n = imm & 1 ? 8 : 16;
    unsigned l1 = explicit_len(la, n), l2 = explicit_len(lb, n);
    unsigned res = compare(a, b, l1, l2, imm, n);
    *eflags = flags(res, l1, l2, n);
    mask_of(xmm0, res, imm, n);
}

uint32_t simd_pcmpistri(const union xmm *a, const union xmm *b, uint8_t imm, unsigned *eflags)
{
    unsigned n = imm & 1 ? 8 : 16;
    unsigned l1 = implicit_len(a, n, imm & 3), l2 = implicit_len(b, n, imm & 3);
    unsigned res = compare(a, b, l1, l2, imm, n);
    *eflags = flags(res, l1, l2, n);
    return index_of(res, imm, n);
}

void simd_pcmpistrm(union xmm *xmm0, const union xmm *a, const union xmm *b, uint8_t imm,
                    unsigned *eflags)
{
    unsigned n = imm & 1 ? 8 : 16;
    unsigned l1 = implicit_len(a, n, imm & 3), l2 = implicit_len(b, n, imm & 3);
    unsigned res = compare(a, b, l1, l2, imm, n);
    *eflags = flags(res, l1, l2, n);
    mask_of(xmm0, res, imm, n);
}
