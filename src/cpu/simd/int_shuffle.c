/* Packs, unpacks, shuffles, byte alignment, blends, sign/zero extension,
 * element inserts/extracts and sign-mask moves (MMX through SSE4.1).
 * SDM vol. 2, one entry per mnemonic. Every op builds its result in a
 * local and stores it last, so d and s may be the same register. */
#include "cpu/simd/simd_int.h"

static inline int8_t sat8(int v)   { return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }
static inline uint8_t satu8(int v) { return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v); }
static inline int16_t sat16(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}
static inline uint16_t satu16(int32_t v) { return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v); }

/* Copy the low len bytes of r into d (an MMX op leaves bytes 8-15 alone). */
static inline void put(union xmm *d, const union xmm *r, unsigned len)
{
    d->q[0] = r->q[0];
    if (len == 16)
        d->q[1] = r->q[1];
}

/* PACK: the narrowed lanes of d fill the low half, those of s the high. */
#define PACK(name, SF, DF, SAT)                                              \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len)        \
    {                                                                        \
        union xmm r = { .q = { 0, 0 } };                                                         \
        unsigned n = len / sizeof d->SF[0];                                  \
        for (unsigned i = 0; i < n; i++) {                                   \
            r.DF[i] = SAT(d->SF[i]);                                         \
            r.DF[n + i] = SAT(s->SF[i]);                                     \
        }                                                                    \
        put(d, &r, len);                                                     \
    }
PACK(packsswb, sw, sb, sat8)
PACK(packssdw, sd, sw, sat16)
PACK(packuswb, sw, b, satu8)
PACK(packusdw, sd, w, satu16)

/* UNPCK: interleave the low (or high) halves of d and s, d's lane first. */
#define UNPACK(name, F, HIGH)                                                \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len)        \
    {                                                                        \
        union xmm r = { .q = { 0, 0 } };                                                         \
        unsigned n = len / sizeof d->F[0], base = HIGH ? n / 2 : 0;          \
        for (unsigned i = 0; i < n / 2; i++) {                               \
            r.F[2 * i] = d->F[base + i];                                     \
            r.F[2 * i + 1] = s->F[base + i];                                 \
        }                                                                    \
        put(d, &r, len);                                                     \
    }
UNPACK(punpcklbw, b, 0)
UNPACK(punpcklwd, w, 0)
UNPACK(punpckldq, d, 0)
UNPACK(punpcklqdq, q, 0)
UNPACK(punpckhbw, b, 1)
UNPACK(punpckhwd, w, 1)
UNPACK(punpckhdq, d, 1)
UNPACK(punpckhqdq, q, 1)

/* PSHUFB: index bit 7 zeroes the byte; the index is 3 bits for MMX, 4 for
 * XMM. */
void simd_pshufb(union xmm *d, const union xmm *s, unsigned len)
{
    union xmm r = { .q = { 0, 0 } };
    for (unsigned i = 0; i < len; i++)
        r.b[i] = s->b[i] & 0x80 ? 0 : d->b[s->b[i] & (len - 1)];
    put(d, &r, len);
}

/* PALIGNR: bytes imm.. of the concatenation d:s (s low), len bytes of it;
 * bytes past the concatenation read as zero. */
void simd_palignr(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = { .q = { 0, 0 } };
    for (unsigned i = 0; i < len; i++) {
        unsigned k = imm + i;
        r.b[i] = k < len ? s->b[k] : k < 2 * len ? d->b[k - len] : 0;
    }
    put(d, &r, len);
}

void simd_pshufw(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = { .q = { 0, 0 } };
    for (unsigned i = 0; i < 4; i++)
        r.w[i] = s->w[(imm >> 2 * i) & 3];
    d->q[0] = r.q[0];
}

void simd_pshufd(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = { .q = { 0, 0 } };
    for (unsigned i = 0; i < 4; i++)
        r.d[i] = s->d[(imm >> 2 * i) & 3];
    *d = r;
}

void simd_pshuflw(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = *s;
    for (unsigned i = 0; i < 4; i++)
        r.w[i] = s->w[(imm >> 2 * i) & 3];
    *d = r;
}

void simd_pshufhw(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = *s;
    for (unsigned i = 0; i < 4; i++)
        r.w[4 + i] = s->w[4 + ((imm >> 2 * i) & 3)];
    *d = r;
}

/* Immediate blends: imm bit i set takes lane i from s. */
void simd_pblendw(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    for (unsigned i = 0; i < 8; i++)
        if (imm >> i & 1)
            d->w[i] = s->w[i];
}

void simd_blendps(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    for (unsigned i = 0; i < 4; i++)
        if (imm >> i & 1)
            d->d[i] = s->d[i];
}

void simd_blendpd(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    for (unsigned i = 0; i < 2; i++)
        if (imm >> i & 1)
            d->q[i] = s->q[i];
}

/* Variable blends: the sign bit of each lane of m (XMM0) selects s. */
void simd_pblendvb(union xmm *d, const union xmm *s, const union xmm *m)
{
    for (unsigned i = 0; i < 16; i++)
        if (m->b[i] & 0x80)
            d->b[i] = s->b[i];
}

void simd_blendvps(union xmm *d, const union xmm *s, const union xmm *m)
{
    for (unsigned i = 0; i < 4; i++)
        if (m->d[i] >> 31)
            d->d[i] = s->d[i];
}

void simd_blendvpd(union xmm *d, const union xmm *s, const union xmm *m)
{
    for (unsigned i = 0; i < 2; i++)
        if (m->q[i] >> 63)
            d->q[i] = s->q[i];
}

/* INSERTPS: s's dword imm[7:6] (a register source; the handler puts an m32
 * operand in lane imm[7:6] of s) goes to lane imm[5:4], then imm[3:0]
 * zeroes lanes. Only moves bits: no SIMD floating-point exceptions. */
void simd_insertps(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    d->d[imm >> 4 & 3] = s->d[imm >> 6];
    for (unsigned i = 0; i < 4; i++)
        if (imm >> i & 1)
            d->d[i] = 0;
}

/* PMOVSX/PMOVZX: the low lanes of s widened into all lanes of d. */
#define EXTEND(name, SF, DF, T)                                              \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len)        \
    {                                                                        \
        union xmm r = { .q = { 0, 0 } };                                                         \
        for (unsigned i = 0; i < 16 / sizeof r.DF[0]; i++)                   \
            r.DF[i] = (T)s->SF[i];                                           \
        *d = r;                                                              \
    }
EXTEND(pmovsxbw, sb, sw, int16_t)
EXTEND(pmovsxbd, sb, sd, int32_t)
EXTEND(pmovsxbq, sb, sq, int64_t)
EXTEND(pmovsxwd, sw, sd, int32_t)
EXTEND(pmovsxwq, sw, sq, int64_t)
EXTEND(pmovsxdq, sd, sq, int64_t)
EXTEND(pmovzxbw, b, w, uint16_t)
EXTEND(pmovzxbd, b, d, uint32_t)
EXTEND(pmovzxbq, b, q, uint64_t)
EXTEND(pmovzxwd, w, d, uint32_t)
EXTEND(pmovzxwq, w, q, uint64_t)
EXTEND(pmovzxdq, d, q, uint64_t)

/* MPSADBW (SSE4.1): eight sums of absolute differences between the 4-byte
 * block of s at dword imm[1:0] and the 4-byte windows of d starting at
 * bytes 4*imm[2] + 0..7. */
void simd_mpsadbw(union xmm *d, const union xmm *s, unsigned len, uint8_t imm)
{
    union xmm r = { .q = { 0, 0 } };
    unsigned so = (imm & 3) * 4, dof = (imm >> 2 & 1) * 4;
    for (unsigned i = 0; i < 8; i++) {
        unsigned sum = 0;
        for (unsigned j = 0; j < 4; j++) {
            int a = d->b[dof + i + j], b = s->b[so + j];
            sum += (unsigned)(a > b ? a - b : b - a);
        }
        r.w[i] = (uint16_t)sum;
    }
    *d = r;
}

uint32_t simd_pmovmskb(const union xmm *s, unsigned len)
{
    uint32_t m = 0;
    for (unsigned i = 0; i < len; i++)
        m |= (uint32_t)(s->b[i] >> 7) << i;
    return m;
}

uint32_t simd_movmskps(const union xmm *s)
{
    uint32_t m = 0;
    for (unsigned i = 0; i < 4; i++)
        m |= (s->d[i] >> 31) << i;
    return m;
}

uint32_t simd_movmskpd(const union xmm *s)
{
    return (uint32_t)(s->q[0] >> 63) | (uint32_t)(s->q[1] >> 63) << 1;
}

void simd_pinsrb(union xmm *d, uint32_t v, uint8_t imm) { d->b[imm & 15] = (uint8_t)v; }
void simd_pinsrd(union xmm *d, uint32_t v, uint8_t imm) { d->d[imm & 3] = v; }
void simd_pinsrq(union xmm *d, uint64_t v, uint8_t imm) { d->q[imm & 1] = v; }
void simd_pinsrw(union xmm *d, uint32_t v, unsigned len, uint8_t imm)
{
    d->w[imm & (len / 2 - 1)] = (uint16_t)v;
}
uint32_t simd_pextrb(const union xmm *s, uint8_t imm) { return s->b[imm & 15]; }
uint32_t simd_pextrd(const union xmm *s, uint8_t imm) { return s->d[imm & 3]; }
uint64_t simd_pextrq(const union xmm *s, uint8_t imm) { return s->q[imm & 1]; }
uint32_t simd_pextrw(const union xmm *s, unsigned len, uint8_t imm)
{
    return s->w[imm & (len / 2 - 1)];
}

unsigned simd_ptest(const union xmm *d, const union xmm *s)
{
    unsigned f = 0;
    if (!((d->q[0] & s->q[0]) | (d->q[1] & s->q[1])))
        f |= SIMD_PTEST_ZF;
    if (!((~d->q[0] & s->q[0]) | (~d->q[1] & s->q[1])))
        f |= SIMD_PTEST_CF;
    return f;
}
