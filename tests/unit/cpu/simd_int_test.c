/* Packed-integer SIMD semantics (src/cpu/simd/int_*.c) against the host
 * CPU executing the real instruction.
 *
 * For every op of the X-macro lists in simd_int.h, random and edge-case
 * operands run through rawbox's function and through the same mnemonic in
 * inline assembly (MMX registers for len 8, XMM for len 16); the results
 * must agree bit for bit. Immediate forms are compared for all 256
 * immediates. Inline assembly needs no -msse4.2: the assembler accepts
 * every mnemonic and the host (x86-64 with SSE4.2, checked at start) runs
 * it. A wrong lane, saturation or shuffle rule in rawbox fails the op's
 * check and prints the first differing operands. */
#include <cpuid.h>

#include "test.h"
#include "cpu/simd/simd_ops.h"

#define VECTORS 3000

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random register contents biased to the values that break integer ops:
 * each 16-bit piece is random or one of the saturation/sign edges. */
static void gen(union xmm *x)
{
    static const uint16_t edge[] = { 0, 0xffff, 0x8000, 0x7fff, 0x0080, 0x007f,
                                     0xff80, 0x7f80, 0x8080, 0x0001, 0x8001, 0xfffe };
    unsigned style = rnd() % 4;
    for (int i = 0; i < 8; i++) {
        uint64_t r = rnd();
        x->w[i] = style == 0 || r % 3 ? (uint16_t)(r >> 8) : edge[(r >> 4) % 12];
    }
}

static long compared;

/* ---- host executions ---- */

#define HOST_XMM(name)                                                          \
    static void host_##name(union xmm *d, const union xmm *s)                   \
    {                                                                           \
        __asm__ volatile("movdqu %0, %%xmm0\n\tmovdqu %1, %%xmm1\n\t"           \
                         #name " %%xmm1, %%xmm0\n\tmovdqu %%xmm0, %0"           \
                         : "+m"(*d) : "m"(*s) : "xmm0", "xmm1");                \
    }
#define HOST_MMX(name)                                                          \
    static void host_mmx_##name(union xmm *d, const union xmm *s)               \
    {                                                                           \
        __asm__ volatile("movq %0, %%mm0\n\tmovq %1, %%mm1\n\t"                 \
                         #name " %%mm1, %%mm0\n\tmovq %%mm0, %0\n\temms"        \
                         : "+m"(d->q[0]) : "m"(s->q[0]) : "mm0", "mm1");        \
    }

typedef void (*bin_fn)(union xmm *, const union xmm *, unsigned);
typedef void (*host_bin_fn)(union xmm *, const union xmm *);

#define X_HOST_BOTH(name, isa) HOST_XMM(name) HOST_MMX(name)
#define X_HOST_XMM(name, isa) HOST_XMM(name)
SIMD_INT_BINOPS(X_HOST_BOTH)
SIMD_INT_BINOPS_XMM(X_HOST_XMM)

/* Ops are called through simd_ops.h's sub-op table, as handlers will. */
struct binop {
    const char *name;
    int sub;
    host_bin_fn host, host_mmx;
};

#define X_ROW_BOTH(name, isa) { #name, SIMD_OP_##name, host_##name, host_mmx_##name },
#define X_ROW_XMM(name, isa) { #name, SIMD_OP_##name, host_##name, NULL },
static const struct binop binops[] = {
    SIMD_INT_BINOPS(X_ROW_BOTH)
    SIMD_INT_BINOPS_XMM(X_ROW_XMM)
};

static bool is_shift(const char *name)
{
    return !strncmp(name, "psll", 4) || !strncmp(name, "psrl", 4) || !strncmp(name, "psra", 4);
}

static void check_binop(const struct binop *op, unsigned len)
{
    long bad = 0;
    union xmm fd = { .q = { 0, 0 } }, fs = fd, fa = fd, fb = fd;
    for (int v = 0; v < VECTORS; v++) {
        union xmm d, s;
        gen(&d);
        gen(&s);
        if (is_shift(op->name) && v % 2)
            s.q[0] = rnd() % 72;    /* counts around the lane widths */
        union xmm a = d, b = d;
        simd_int_bin[op->sub](&a, &s, len);
        (len == 8 ? op->host_mmx : op->host)(&b, &s);
        compared++;
        if (memcmp(&a, &b, 16)) {
            if (!bad++)
                fd = d, fs = s, fa = a, fb = b;
        }
    }
    if (strcmp(simd_int_bin_name[op->sub], op->name))
        bad++;
    if (!CHECK(bad == 0, "%s %s: %d vectors agree with the host", op->name,
               len == 8 ? "mm" : "xmm", VECTORS))
        printf("  d=%016" PRIx64 "%016" PRIx64 " s=%016" PRIx64 "%016" PRIx64
               " rawbox=%016" PRIx64 "%016" PRIx64 " host=%016" PRIx64 "%016" PRIx64
               " (%ld bad)\n", fd.q[1], fd.q[0], fs.q[1], fs.q[0], fa.q[1], fa.q[0],
               fb.q[1], fb.q[0], bad);
}

/* ---- immediate forms: one asm per immediate value ---- */

#define R4(M, n) M(n) M(n + 1) M(n + 2) M(n + 3)
#define R16(M, n) R4(M, n) R4(M, n + 4) R4(M, n + 8) R4(M, n + 12)
#define R64(M, n) R16(M, n) R16(M, n + 16) R16(M, n + 32) R16(M, n + 48)
#define R256(M) R64(M, 0) R64(M, 64) R64(M, 128) R64(M, 192)

#define IMM_CASE_XMM(n)                                                         \
    case n:                                                                     \
        __asm__ volatile("movdqu %0, %%xmm0\n\tmovdqu %1, %%xmm1\n\t" INSN      \
                         " %[i], %%xmm1, %%xmm0\n\tmovdqu %%xmm0, %0"           \
                         : "+m"(*d) : "m"(*s), [i] "i"(n) : "xmm0", "xmm1");    \
        break;
#define IMM_CASE_XMM1(n)                                                        \
    case n:                                                                     \
        __asm__ volatile("movdqu %0, %%xmm0\n\t" INSN " %[i], %%xmm0\n\t"       \
                         "movdqu %%xmm0, %0"                                    \
                         : "+m"(*d) : [i] "i"(n) : "xmm0");                     \
        break;
#define IMM_CASE_MMX(n)                                                         \
    case n:                                                                     \
        __asm__ volatile("movq %0, %%mm0\n\tmovq %1, %%mm1\n\t" INSN            \
                         " %[i], %%mm1, %%mm0\n\tmovq %%mm0, %0\n\temms"        \
                         : "+m"(d->q[0]) : "m"(s->q[0]), [i] "i"(n) : "mm0", "mm1"); \
        break;
#define IMM_CASE_MMX1(n)                                                        \
    case n:                                                                     \
        __asm__ volatile("movq %0, %%mm0\n\t" INSN " %[i], %%mm0\n\t"           \
                         "movq %%mm0, %0\n\temms"                               \
                         : "+m"(d->q[0]) : [i] "i"(n) : "mm0");                 \
        break;

#define HOST_IMM(fname, CASE)                                                   \
    static void fname(union xmm *d, const union xmm *s, uint8_t imm)            \
    {                                                                           \
        switch (imm) { R256(CASE) }                                             \
    }

#define INSN "palignr"
HOST_IMM(host_palignr, IMM_CASE_XMM) HOST_IMM(host_mmx_palignr, IMM_CASE_MMX)
#undef INSN
#define INSN "pshufw"
HOST_IMM(host_mmx_pshufw, IMM_CASE_MMX)
#undef INSN
#define INSN "pshufd"
HOST_IMM(host_pshufd, IMM_CASE_XMM)
#undef INSN
#define INSN "pshufhw"
HOST_IMM(host_pshufhw, IMM_CASE_XMM)
#undef INSN
#define INSN "pshuflw"
HOST_IMM(host_pshuflw, IMM_CASE_XMM)
#undef INSN
#define INSN "pblendw"
HOST_IMM(host_pblendw, IMM_CASE_XMM)
#undef INSN
#define INSN "mpsadbw"
HOST_IMM(host_mpsadbw, IMM_CASE_XMM)
#undef INSN
#define INSN "blendps"
HOST_IMM(host_blendps, IMM_CASE_XMM)
#undef INSN
#define INSN "blendpd"
HOST_IMM(host_blendpd, IMM_CASE_XMM)
#undef INSN
#define INSN "insertps"
HOST_IMM(host_insertps, IMM_CASE_XMM)
#undef INSN
#define INSN "shufps"
HOST_IMM(host_shufps, IMM_CASE_XMM)
#undef INSN
#define INSN "shufpd"
HOST_IMM(host_shufpd, IMM_CASE_XMM)
#undef INSN
#define INSN "pslldq"
HOST_IMM(host_pslldq, IMM_CASE_XMM1)
#undef INSN
#define INSN "psrldq"
HOST_IMM(host_psrldq, IMM_CASE_XMM1)
#undef INSN
#define SHIFT_IMM(n)                                                            \
    HOST_IMM(host_##n##_imm, IMM_CASE_XMM1) HOST_IMM(host_mmx_##n##_imm, IMM_CASE_MMX1)
#define INSN "psllw"
SHIFT_IMM(psllw)
#undef INSN
#define INSN "pslld"
SHIFT_IMM(pslld)
#undef INSN
#define INSN "psllq"
SHIFT_IMM(psllq)
#undef INSN
#define INSN "psrlw"
SHIFT_IMM(psrlw)
#undef INSN
#define INSN "psrld"
SHIFT_IMM(psrld)
#undef INSN
#define INSN "psrlq"
SHIFT_IMM(psrlq)
#undef INSN
#define INSN "psraw"
SHIFT_IMM(psraw)
#undef INSN
#define INSN "psrad"
SHIFT_IMM(psrad)
#undef INSN

typedef void (*imm_fn)(union xmm *, const union xmm *, unsigned, uint8_t);
typedef void (*host_imm_fn)(union xmm *, const union xmm *, uint8_t);
struct immop {
    const char *name;
    int sub;
    host_imm_fn host, host_mmx;
};
#define ROW(n, x, m) { #n, SIMD_OP_##n, x, m }
static const struct immop immops[] = {
    ROW(palignr, host_palignr, host_mmx_palignr),
    ROW(pshufw, NULL, host_mmx_pshufw),
    ROW(pshufd, host_pshufd, NULL),
    ROW(pshufhw, host_pshufhw, NULL),
    ROW(pshuflw, host_pshuflw, NULL),
    ROW(pblendw, host_pblendw, NULL),
    ROW(mpsadbw, host_mpsadbw, NULL),
    ROW(blendps, host_blendps, NULL),
    ROW(blendpd, host_blendpd, NULL),
    ROW(insertps, host_insertps, NULL),
    ROW(shufps, host_shufps, NULL),
    ROW(shufpd, host_shufpd, NULL),
    ROW(pslldq, host_pslldq, NULL),
    ROW(psrldq, host_psrldq, NULL),
    ROW(psllw_imm, host_psllw_imm, host_mmx_psllw_imm),
    ROW(pslld_imm, host_pslld_imm, host_mmx_pslld_imm),
    ROW(psllq_imm, host_psllq_imm, host_mmx_psllq_imm),
    ROW(psrlw_imm, host_psrlw_imm, host_mmx_psrlw_imm),
    ROW(psrld_imm, host_psrld_imm, host_mmx_psrld_imm),
    ROW(psrlq_imm, host_psrlq_imm, host_mmx_psrlq_imm),
    ROW(psraw_imm, host_psraw_imm, host_mmx_psraw_imm),
    ROW(psrad_imm, host_psrad_imm, host_mmx_psrad_imm),
};

static void check_immop(const struct immop *op, unsigned len)
{
    long bad = 0;
    union xmm fd = { .q = { 0, 0 } }, fs = fd, fa = fd, fb = fd;
    unsigned fimm = 0;
    for (int v = 0; v < 256 * 12; v++) {
        uint8_t imm = (uint8_t)v;
        union xmm d, s;
        gen(&d);
        gen(&s);
        union xmm a = d, b = d;
        simd_int_imm[op->sub](&a, &s, len, imm);
        (len == 8 ? op->host_mmx : op->host)(&b, &s, imm);
        compared++;
        if (memcmp(&a, &b, 16) && !bad++)
            fd = d, fs = s, fa = a, fb = b, fimm = imm;
    }
    if (strcmp(simd_int_imm_name[op->sub], op->name))
        bad++;
    if (!CHECK(bad == 0, "%s %s: every imm8, 12 vectors each, agrees with the host",
               op->name, len == 8 ? "mm" : "xmm"))
        printf("  imm=%u d=%016" PRIx64 "%016" PRIx64 " s=%016" PRIx64 "%016" PRIx64
               " rawbox=%016" PRIx64 "%016" PRIx64 " host=%016" PRIx64 "%016" PRIx64 "\n",
               fimm, fd.q[1], fd.q[0], fs.q[1], fs.q[0], fa.q[1], fa.q[0], fb.q[1], fb.q[0]);
}

/* ---- the rest: variable blends, masks, inserts/extracts, PTEST ---- */

static void check_misc(void)
{
    long bad_blend = 0, bad_mask = 0, bad_ins = 0, bad_ptest = 0;
    for (int v = 0; v < VECTORS; v++) {
        union xmm d, s, m, a, b;
        gen(&d);
        gen(&s);
        gen(&m);
#define BLENDV(insn, fn)                                                          \
        a = d, b = d;                                                             \
        fn(&a, &s, &m);                                                           \
        __asm__ volatile("movdqu %0, %%xmm1\n\tmovdqu %1, %%xmm2\n\tmovdqu %2, %%xmm0\n\t" \
                         insn " %%xmm0, %%xmm2, %%xmm1\n\tmovdqu %%xmm1, %0"      \
                         : "+m"(b) : "m"(s), "m"(m) : "xmm0", "xmm1", "xmm2");    \
        bad_blend += memcmp(&a, &b, 16) != 0;
        BLENDV("pblendvb", simd_pblendvb)
        BLENDV("blendvps", simd_blendvps)
        BLENDV("blendvpd", simd_blendvpd)
        uint32_t r1, r2, r3;
        __asm__ volatile("movdqu %3, %%xmm0\n\tpmovmskb %%xmm0, %0\n\tmovmskps %%xmm0, %1\n\t"
                         "movmskpd %%xmm0, %2" : "=r"(r1), "=r"(r2), "=r"(r3) : "m"(d) : "xmm0");
        bad_mask += r1 != simd_pmovmskb(&d, 16) || r2 != simd_movmskps(&d) ||
                    r3 != simd_movmskpd(&d);
        __asm__ volatile("movq %1, %%mm0\n\tpmovmskb %%mm0, %0\n\temms" : "=r"(r1) : "m"(d.q[0]) : "mm0");
        bad_mask += r1 != simd_pmovmskb(&d, 8);
        /* inserts and extracts at every lane */
        uint32_t val = (uint32_t)rnd();
        uint64_t val64 = rnd();
#define INS(insn, n, call)                                                        \
        a = d, b = d;                                                             \
        call;                                                                     \
        __asm__ volatile("movdqu %0, %%xmm0\n\t" insn " %[i], %1, %%xmm0\n\tmovdqu %%xmm0, %0" \
                         : "+m"(b) : "r"(val), [i] "i"(n) : "xmm0");              \
        bad_ins += memcmp(&a, &b, 16) != 0;
#define EXT(insn, n, call)                                                        \
        __asm__ volatile("movdqu %1, %%xmm0\n\t" insn " %[i], %%xmm0, %0"         \
                         : "=r"(r1) : "m"(d), [i] "i"(n) : "xmm0");               \
        bad_ins += r1 != (call);
        INS("pinsrb", 0, simd_pinsrb(&a, val, 0)) INS("pinsrb", 13, simd_pinsrb(&a, val, 13))
        INS("pinsrw", 0, simd_pinsrw(&a, val, 16, 0)) INS("pinsrw", 7, simd_pinsrw(&a, val, 16, 7))
        INS("pinsrd", 2, simd_pinsrd(&a, val, 2)) INS("pinsrd", 3, simd_pinsrd(&a, val, 3))
        EXT("pextrb", 9, simd_pextrb(&d, 9)) EXT("pextrb", 15, simd_pextrb(&d, 15))
        EXT("pextrw", 1, simd_pextrw(&d, 16, 1)) EXT("pextrw", 6, simd_pextrw(&d, 16, 6))
        EXT("pextrd", 1, simd_pextrd(&d, 1)) EXT("extractps", 3, simd_pextrd(&d, 3))
        a = d, b = d;
        simd_pinsrq(&a, val64, 1);
        __asm__ volatile("movdqu %0, %%xmm0\n\tpinsrq $1, %1, %%xmm0\n\tmovdqu %%xmm0, %0"
                         : "+m"(b) : "r"(val64) : "xmm0");
        bad_ins += memcmp(&a, &b, 16) != 0;
        uint64_t q;
        __asm__ volatile("movdqu %1, %%xmm0\n\tpextrq $1, %%xmm0, %0" : "=r"(q) : "m"(d) : "xmm0");
        bad_ins += q != simd_pextrq(&d, 1);
        a = d, b = d;
        simd_pinsrw(&a, val, 8, 6);    /* MMX: lane 6 mod 4 = 2 */
        __asm__ volatile("movq %0, %%mm0\n\tpinsrw $6, %1, %%mm0\n\tmovq %%mm0, %0\n\temms"
                         : "+m"(b.q[0]) : "r"(val) : "mm0");
        bad_ins += memcmp(&a, &b, 16) != 0;
        __asm__ volatile("movq %1, %%mm0\n\tpextrw $7, %%mm0, %0\n\temms" : "=r"(r1) : "m"(d.q[0]) : "mm0");
        bad_ins += r1 != simd_pextrw(&d, 8, 7);
        /* PTEST: ZF and CF from the host's flags; s sometimes a subset of d */
        if (v % 3 == 0)
            s.q[0] &= d.q[0], s.q[1] &= d.q[1];
        if (v % 5 == 0)
            s.q[0] &= ~d.q[0], s.q[1] &= ~d.q[1];
        uint8_t zf, cf;
        __asm__ volatile("movdqu %2, %%xmm0\n\tptest %3, %%xmm0\n\tsetz %0\n\tsetc %1"
                         : "=r"(zf), "=r"(cf) : "m"(d), "m"(s) : "xmm0", "cc");
        bad_ptest += simd_ptest(&d, &s) != (unsigned)(zf | cf << 1);
        compared += 23;
    }
    CHECK(bad_blend == 0, "pblendvb/blendvps/blendvpd agree with the host (%ld bad)", bad_blend);
    CHECK(bad_mask == 0, "pmovmskb/movmskps/movmskpd agree with the host (%ld bad)", bad_mask);
    CHECK(bad_ins == 0, "pinsr/pextr b/w/d/q, extractps agree with the host (%ld bad)", bad_ins);
    CHECK(bad_ptest == 0, "ptest ZF/CF agree with the host (%ld bad)", bad_ptest);
}

int main(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_2)) {
        printf("host has no SSE4.2: cannot compare\n");
        CHECK(0, "host CPU has SSE4.2");
        return test_summary();
    }
    unsigned ops = 0;
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++) {
        check_binop(&binops[i], 16);
        ops++;
        if (binops[i].host_mmx)
            check_binop(&binops[i], 8), ops++;
    }
    for (size_t i = 0; i < sizeof immops / sizeof immops[0]; i++) {
        if (immops[i].host)
            check_immop(&immops[i], 16), ops++;
        if (immops[i].host_mmx)
            check_immop(&immops[i], 8), ops++;
    }
    check_misc();
#define ONE_(name, isa) + 1
    /* XMM forms of all but PSHUFW (MMX only), MMX forms of the MMX lists */
    CHECK_EQ(ops, SIMD_INT_BIN_COUNT + SIMD_INT_IMM_COUNT - 1 +
                  (0 SIMD_INT_BINOPS(ONE_) SIMD_INT_IMMOPS(ONE_)),
             "every sub-op of simd_ops.h is compared (MMX forms where they exist)");
    printf("%u op forms plus blendv/movmsk/insert/extract/ptest, %ld vectors compared\n", ops, compared);
    return test_summary();
}
