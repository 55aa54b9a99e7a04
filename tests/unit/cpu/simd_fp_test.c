/* SIMD floating-point semantics (src/cpu/simd/fp_*.c) against the host CPU
 * executing the real instruction, MXCSR exceptions included.
 *
 * Each vector picks operands from random bits and the edge cases (signed
 * zeros, infinities, QNaNs and SNaNs with random payloads, denormals, the
 * smallest and largest normals, values that overflow or underflow when
 * combined, halves for rounding) and an MXCSR with a random rounding
 * mode, DAZ and FZ, and either all exceptions masked or a random set
 * unmasked. The host runs the instruction under exactly that MXCSR; an
 * unmasked exception makes it trap (#XM -> SIGFPE), the handler reads the
 * MXCSR the host saved at the fault and jumps back, the destination as it
 * was. rawbox must report the same flags, fault when the host faulted, and
 * produce the same destination bits. Inline assembly needs no -msse4.1
 * flag; the host must have SSE4.1 (checked). */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

#include "test.h"
#include "cpu/simd/simd_ops.h"

#define VECTORS 20000

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* ---- operand generation ---- */

static uint32_t gen32(void)
{
    uint64_t r = rnd();
    uint32_t sign = (uint32_t)(r >> 63) << 31, m = (uint32_t)(r >> 8) & 0x7fffff;
    switch (r % 16) {
    case 0: return sign;                                            /* +-0 */
    case 1: return sign | 0x7f800000;                               /* +-Inf */
    case 2: return sign | 0x7fc00000 | (m & 0x3fffff);              /* QNaN */
    case 3: return sign | 0x7f800000 | ((m & 0x3fffff) ? (m & 0x3fffff) : 1); /* SNaN */
    case 4: return sign | (m ? m : 1);                              /* denormal */
    case 5: return sign | 0x00800000 | (m & 0xff);                  /* near min normal */
    case 6: return sign | 0x7f7fff00 | (m & 0xff);                  /* near max */
    case 7: return sign | (uint32_t)(0x3f000000 + ((r >> 40) % 48) * 0x400000); /* k/2 halves */
    case 8: case 9: return sign | (uint32_t)((0x70 + (r >> 32) % 0x20) << 23) | m; /* huge */
    case 10: case 11: return sign | (uint32_t)((0x01 + (r >> 32) % 0x20) << 23) | m; /* tiny */
    case 12: return sign | 0x3f800000 | (m & 0x7f0000);             /* ~1, short mantissa */
    default: return sign | (uint32_t)((0x60 + (r >> 32) % 0x40) << 23) | m; /* moderate */
    }
}

static uint64_t gen64(void)
{
    uint64_t r = rnd(), sign = r & (1ull << 63), m = rnd() & 0xfffffffffffffull;
    uint64_t e;
    switch (r % 16) {
    case 0: return sign;
    case 1: return sign | 0x7ff0000000000000ull;
    case 2: return sign | 0x7ff8000000000000ull | (m & 0x7ffffffffffffull);
    case 3: return sign | 0x7ff0000000000000ull | ((m & 0x7ffffffffffffull) ? (m & 0x7ffffffffffffull) : 1);
    case 4: return sign | (m ? m : 1);
    case 5: return sign | 0x0010000000000000ull | (m & 0xff);
    case 6: return sign | 0x7fefffffffffff00ull | (m & 0xff);
    case 7: return sign | (0x3fe0000000000000ull + ((r >> 40) % 48) * 0x8000000000000ull);
    case 8: case 9: e = 0x780 + (r >> 32) % 0x80; break;            /* huge */
    case 10: case 11: e = 0x001 + (r >> 32) % 0x80; break;          /* tiny */
    case 12: return sign | 0x3ff0000000000000ull | (m & 0xff00000000000ull);
    case 13: e = 0x380 + (r >> 32) % 0x100; return sign | e << 52 | (m & ~0x1fffffffull); /* float range */
    default: e = 0x300 + (r >> 32) % 0x200; break;
    }
    return sign | e << 52 | m;
}

/* Integers for the int->float conversions: small, large, extremes. */
static uint32_t gen_i32(void)
{
    uint64_t r = rnd();
    switch (r % 6) {
    case 0: return (uint32_t)(r >> 32) % 2000 - 1000;
    case 1: return 0x80000000u;
    case 2: return 0x7fffffffu;
    default: return (uint32_t)(r >> 16);
    }
}

/* ps lanes: floats, or ints for the int-source conversions. */
static void gen_xmm(union xmm *x, char kind)
{
    for (int i = 0; i < 4; i++)
        x->d[i] = kind == 'i' ? gen_i32() : gen32();
    if (kind == 'd')
        x->q[0] = gen64(), x->q[1] = gen64();
}

/* A random rounding mode, DAZ and FZ each a third of the time, and the
 * masks: half the vectors all masked, a quarter with exactly one exception
 * unmasked, a quarter with a random set unmasked. */
static uint32_t gen_mxcsr(void)
{
    uint64_t r = rnd();
    uint32_t mx = (uint32_t)(r & 3) << MXCSR_RC_SHIFT;
    if ((r >> 2) % 3 == 0)
        mx |= MXCSR_DAZ;
    if ((r >> 8) % 3 == 0)
        mx |= MXCSR_FZ;
    switch ((r >> 16) % 4) {
    case 0: case 1: mx |= MXCSR_MASKS; break;
    case 2: mx |= MXCSR_MASKS & ~(1u << (MXCSR_MASK_SHIFT + (r >> 24) % 6)); break;
    default: mx |= (uint32_t)(r >> 32) & MXCSR_MASKS; break;
    }
    return mx;
}

/* ---- the host with the guest's MXCSR, faults caught ---- */

static sigjmp_buf trap_jb;
static volatile uint32_t trap_mxcsr;

static void on_sigfpe(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    trap_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(trap_jb, 1);
}

/* What the host did: flags raised, whether it trapped. */
struct host_out {
    uint32_t flags;
    int trapped;
};

#define HOSTRUN(body, ...)                                                          \
    __asm__ volatile("ldmxcsr %[mx]\n\t" body "\n\tstmxcsr %[out]\n\tldmxcsr %[dflt]" \
                     : [out] "=m"(out), __VA_ARGS__)

static const uint32_t mx_default = MXCSR_RESET;

/* Run fn (which executes the instruction with HOSTRUN) and catch a trap. */
#define CATCH(o, mx, stmt)                                                          \
    do {                                                                            \
        uint32_t out = 0;                                                           \
        (void)(mx);                                                                 \
        if (sigsetjmp(trap_jb, 1)) {                                                \
            (o).trapped = 1;                                                        \
            (o).flags = trap_mxcsr & MXCSR_FLAGS;                                   \
        } else {                                                                    \
            stmt;                                                                   \
            (o).trapped = 0;                                                        \
            (o).flags = out & MXCSR_FLAGS;                                          \
        }                                                                           \
    } while (0)

/* xmm0 = d, xmm1 = s, "insn %xmm1, %xmm0", d = xmm0. */
#define XX(insn)                                                                    \
    HOSTRUN("movdqu %[d], %%xmm0\n\tmovdqu %[s], %%xmm1\n\t" insn " %%xmm1, %%xmm0\n\t" \
            "movdqu %%xmm0, %[d]",                                                  \
            [d] "+m"(*d) : [s] "m"(*s), [mx] "m"(mx), [dflt] "m"(mx_default)         \
            : "xmm0", "xmm1")
/* MMX source (CVTPI2PS/PD): mm1 = s. */
#define XM(insn)                                                                    \
    HOSTRUN("movdqu %[d], %%xmm0\n\tmovq %[s], %%mm1\n\t" insn " %%mm1, %%xmm0\n\t" \
            "movdqu %%xmm0, %[d]\n\temms",                                          \
            [d] "+m"(*d) : [s] "m"(s->q[0]), [mx] "m"(mx), [dflt] "m"(mx_default)    \
            : "xmm0", "mm1")
/* MMX destination (CVT(T)PS2PI, CVT(T)PD2PI): mm0 = d. */
#define MX(insn)                                                                    \
    HOSTRUN("movq %[d], %%mm0\n\tmovdqu %[s], %%xmm1\n\t" insn " %%xmm1, %%mm0\n\t" \
            "movq %%mm0, %[d]\n\temms",                                             \
            [d] "+m"(d->q[0]) : [s] "m"(*s), [mx] "m"(mx), [dflt] "m"(mx_default)    \
            : "xmm1", "mm0")

typedef uint32_t (*fp_fn)(union xmm *, const union xmm *, uint32_t);
typedef void (*host_fn)(union xmm *, const union xmm *, uint32_t, struct host_out *);

#define HOST_XX(name, isa)                                                          \
    static void host_##name(union xmm *d, const union xmm *s, uint32_t mx, struct host_out *o) \
    {                                                                               \
        CATCH(*o, mx, XX(#name));                                                   \
    }
#define HOST_XM(name)                                                               \
    static void host_##name(union xmm *d, const union xmm *s, uint32_t mx, struct host_out *o) \
    {                                                                               \
        CATCH(*o, mx, XM(#name));                                                   \
    }
#define HOST_MX(name)                                                               \
    static void host_##name(union xmm *d, const union xmm *s, uint32_t mx, struct host_out *o) \
    {                                                                               \
        CATCH(*o, mx, MX(#name));                                                   \
    }

/* Every op of SIMD_FP_OPS is "insn xmm1, xmm0" except the MMX forms. */
#define FP_XMM_OPS(X)                                                               \
    X(addps, 's') X(addss, 's') X(addpd, 'd') X(addsd, 'd')                         \
    X(subps, 's') X(subss, 's') X(subpd, 'd') X(subsd, 'd')                         \
    X(mulps, 's') X(mulss, 's') X(mulpd, 'd') X(mulsd, 'd')                         \
    X(divps, 's') X(divss, 's') X(divpd, 'd') X(divsd, 'd')                         \
    X(minps, 's') X(minss, 's') X(minpd, 'd') X(minsd, 'd')                         \
    X(maxps, 's') X(maxss, 's') X(maxpd, 'd') X(maxsd, 'd')                         \
    X(sqrtps, 's') X(sqrtss, 's') X(sqrtpd, 'd') X(sqrtsd, 'd')                     \
    X(rcpps, 's') X(rcpss, 's') X(rsqrtps, 's') X(rsqrtss, 's')                     \
    X(addsubps, 's') X(addsubpd, 'd') X(haddps, 's') X(haddpd, 'd')                 \
    X(hsubps, 's') X(hsubpd, 'd')                                                   \
    X(cvtps2pd, 's') X(cvtpd2ps, 'd') X(cvtss2sd, 's') X(cvtsd2ss, 'd')             \
    X(cvtdq2ps, 'i') X(cvtps2dq, 's') X(cvttps2dq, 's')                             \
    X(cvtdq2pd, 'i') X(cvtpd2dq, 'd') X(cvttpd2dq, 'd')
#define HOST_XX2(name, kind) HOST_XX(name, 0)
FP_XMM_OPS(HOST_XX2)
HOST_XM(cvtpi2ps) HOST_XM(cvtpi2pd)
HOST_MX(cvtps2pi) HOST_MX(cvttps2pi) HOST_MX(cvtpd2pi) HOST_MX(cvttpd2pi)

/* Called through simd_ops.h's sub-op table, as handlers will. */
struct fpop {
    const char *name;
    int sub;
    host_fn host;
    char kind;          /* source lanes: 's' single, 'd' double, 'i' int32 */
};
#define FP_ROW(name, kind) { #name, SIMD_OP_##name, host_##name, kind },
static const struct fpop fpops[] = {
    FP_XMM_OPS(FP_ROW)
    { "cvtpi2ps", SIMD_OP_cvtpi2ps, host_cvtpi2ps, 'i' },
    { "cvtpi2pd", SIMD_OP_cvtpi2pd, host_cvtpi2pd, 'i' },
    { "cvtps2pi", SIMD_OP_cvtps2pi, host_cvtps2pi, 's' },
    { "cvttps2pi", SIMD_OP_cvttps2pi, host_cvttps2pi, 's' },
    { "cvtpd2pi", SIMD_OP_cvtpd2pi, host_cvtpd2pi, 'd' },
    { "cvttpd2pi", SIMD_OP_cvttpd2pi, host_cvttpd2pi, 'd' },
};

static long compared, trapped_total;

/* A per-op tally; the first mismatch is printed in full. */
struct tally {
    long bad, traps;
    int shown;
};

static void report(struct tally *t, const char *name, const union xmm *d0, const union xmm *s,
                   uint32_t mx, uint32_t st, const union xmm *a, const struct host_out *o,
                   const union xmm *b)
{
    t->bad++;
    if (t->shown++)
        return;
    printf("  %s mxcsr=%04x d=%016" PRIx64 "%016" PRIx64 " s=%016" PRIx64 "%016" PRIx64 "\n"
           "    rawbox: flags=%02x fault=%d d=%016" PRIx64 "%016" PRIx64 "\n"
           "    host:   flags=%02x trap=%d d=%016" PRIx64 "%016" PRIx64 "\n",
           name, mx, d0->q[1], d0->q[0], s->q[1], s->q[0], st & MXCSR_FLAGS,
           !!(st & SIMD_FP_FAULT), a->q[1], a->q[0], o->flags, o->trapped, b->q[1], b->q[0]);
}

static void compare(struct tally *t, const char *name, const union xmm *d, const union xmm *s,
                    uint32_t mx, uint32_t st, const union xmm *a, const struct host_out *o,
                    const union xmm *b)
{
    compared++;
    t->traps += o->trapped;
    trapped_total += o->trapped;
    if ((st & MXCSR_FLAGS) != o->flags || !!(st & SIMD_FP_FAULT) != o->trapped || memcmp(a, b, 16))
        report(t, name, d, s, mx, st, a, o, b);
}

/* Two passes: random vectors under random MXCSRs, then a sweep where the
 * vector number walks every MXCSR setting (4 rounding modes x DAZ x FZ x
 * all 64 mask sets, SWEEP_PER vectors each) and the lanes hold only
 * special values. */
#define SWEEP_PER 4
static int sweep;
static int nvec = VECTORS;
static const char *pass_name = "random";

static uint32_t vec_mxcsr(int v)
{
    if (!sweep)
        return gen_mxcsr();
    unsigned i = (unsigned)v / SWEEP_PER;
    return (i & 3) << MXCSR_RC_SHIFT | (i & 4 ? MXCSR_DAZ : 0) | (i & 8 ? MXCSR_FZ : 0) |
           (i >> 4 & 63) << MXCSR_MASK_SHIFT;
}

static const uint32_t special32[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001,
    0xffa00000, 0x00000001, 0x807fffff, 0x00800000, 0x80800001, 0x7f7fffff, 0xff7fffff,
    0x3f800000, 0xbfc00000, 0x3f000000, 0x40400000, 0x5f800000, 0x1f800000, 0x4f000000,
    0xcf000000, 0x0c000000, 0x73800000,
};
static const uint64_t special64[] = {
    0, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000001ull, 0x7ff0000000000001ull, 0xfff4000000000000ull,
    1, 0x800fffffffffffffull, 0x0010000000000000ull, 0x8010000000000001ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
    0x3fe0000000000000ull, 0x4008000000000000ull, 0x43f0000000000000ull, 0x3bf0000000000000ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0x47efffffe0000000ull, 0x3800000000000000ull,
    0x36a0000000000000ull, 0x7e00000000000000ull, 0x0180000000000000ull, 0x41dfffffffc00000ull,
};
static const uint32_t special_i32[] = { 0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x01000001,
                                        0xfeffffff, 16777217 };
#define NSPEC(a) (sizeof a / sizeof a[0])

static void special_xmm(union xmm *x, char kind)
{
    for (int i = 0; i < 4; i++)
        x->d[i] = kind == 'i' ? special_i32[rnd() % NSPEC(special_i32)]
                              : special32[rnd() % NSPEC(special32)];
    if (kind == 'd')
        for (int i = 0; i < 2; i++)
            x->q[i] = special64[rnd() % NSPEC(special64)];
}

static void make_pair(union xmm *d, union xmm *s, char kind)
{
    void (*g)(union xmm *, char) = sweep ? special_xmm : gen_xmm;
    g(d, kind == 'i' ? 's' : kind);
    g(s, kind);
}

static void check_fpop(const struct fpop *op)
{
    struct tally t = { 0, 0, 0 };
    for (int v = 0; v < nvec; v++) {
        union xmm d, s;
        make_pair(&d, &s, op->kind);
        uint32_t mx = vec_mxcsr(v);
        union xmm a = d, b = d;
        struct host_out o;
        uint32_t st = simd_fp[op->sub](&a, &s, mx);
        op->host(&b, &s, mx, &o);
        compare(&t, op->name, &d, &s, mx, st, &a, &o, &b);
    }
    if (strcmp(simd_fp_name[op->sub], op->name))
        t.bad++;
    CHECK(t.bad == 0, "%s, %s: %d vectors (%ld trapping) agree with the host (%ld bad)",
          op->name, pass_name, nvec, t.traps, t.bad);
}

/* ---- immediate forms ---- */

#define R4(M, n) M(n) M(n + 1) M(n + 2) M(n + 3)
#define R16(M, n) R4(M, n) R4(M, n + 4) R4(M, n + 8) R4(M, n + 12)
#define R64(M, n) R16(M, n) R16(M, n + 16) R16(M, n + 32) R16(M, n + 48)
#define R256(M) R64(M, 0) R64(M, 64) R64(M, 128) R64(M, 192)
#define IMMCASE(n)                                                                  \
    case n:                                                                         \
        CATCH(*o, mx, HOSTRUN("movdqu %[d], %%xmm0\n\tmovdqu %[s], %%xmm1\n\t" INSN \
                              " %[i], %%xmm1, %%xmm0\n\tmovdqu %%xmm0, %[d]",        \
                              [d] "+m"(*d) : [s] "m"(*s), [mx] "m"(mx),             \
                              [dflt] "m"(mx_default), [i] "i"(n) : "xmm0", "xmm1")); \
        break;
#define HOST_IMM(fname)                                                             \
    static void fname(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mx,   \
                      struct host_out *o)                                           \
    {                                                                               \
        switch (imm) { R256(IMMCASE) }                                              \
    }
#define INSN "cmpps"
HOST_IMM(host_cmpps)
#undef INSN
#define INSN "cmpss"
HOST_IMM(host_cmpss)
#undef INSN
#define INSN "cmppd"
HOST_IMM(host_cmppd)
#undef INSN
#define INSN "cmpsd"
HOST_IMM(host_cmpsd)
#undef INSN
#define INSN "roundps"
HOST_IMM(host_roundps)
#undef INSN
#define INSN "roundss"
HOST_IMM(host_roundss)
#undef INSN
#define INSN "roundpd"
HOST_IMM(host_roundpd)
#undef INSN
#define INSN "roundsd"
HOST_IMM(host_roundsd)
#undef INSN
#define INSN "dpps"
HOST_IMM(host_dpps)
#undef INSN
#define INSN "dppd"
HOST_IMM(host_dppd)
#undef INSN

typedef uint32_t (*fp_imm_fn)(union xmm *, const union xmm *, uint8_t, uint32_t);
typedef void (*host_imm_fn)(union xmm *, const union xmm *, uint8_t, uint32_t, struct host_out *);
static const struct {
    const char *name;
    int sub;
    host_imm_fn host;
    char kind;
    unsigned imms;      /* immediates compared: 0 .. imms-1 */
} immops[] = {
    { "cmpps", SIMD_OP_cmpps, host_cmpps, 's', 8 },
    { "cmpss", SIMD_OP_cmpss, host_cmpss, 's', 8 },
    { "cmppd", SIMD_OP_cmppd, host_cmppd, 'd', 8 },
    { "cmpsd", SIMD_OP_cmpsd, host_cmpsd, 'd', 8 },
    { "roundps", SIMD_OP_roundps, host_roundps, 's', 16 },
    { "roundss", SIMD_OP_roundss, host_roundss, 's', 16 },
    { "roundpd", SIMD_OP_roundpd, host_roundpd, 'd', 16 },
    { "roundsd", SIMD_OP_roundsd, host_roundsd, 'd', 16 },
    { "dpps", SIMD_OP_dpps, host_dpps, 's', 256 },
    { "dppd", SIMD_OP_dppd, host_dppd, 'd', 256 },
};

static void check_immops(void)
{
    for (size_t k = 0; k < sizeof immops / sizeof immops[0]; k++) {
        struct tally t = { 0, 0, 0 };
        for (int v = 0; v < nvec; v++) {
            union xmm d, s;
            make_pair(&d, &s, immops[k].kind);
            uint8_t imm = (uint8_t)(v % immops[k].imms);
            if (immops[k].imms == 256 && v % 2)
                imm |= 0xf0;                    /* full dot products often */
            uint32_t mx = vec_mxcsr(v);
            union xmm a = d, b = d;
            struct host_out o;
            uint32_t st = simd_fp_imm[immops[k].sub](&a, &s, imm, mx);
            immops[k].host(&b, &s, imm, mx, &o);
            char name[32];
            snprintf(name, sizeof name, "%s imm=%u", immops[k].name, imm);
            compare(&t, name, &d, &s, mx, st, &a, &o, &b);
        }
        if (strcmp(simd_fp_imm_name[immops[k].sub], immops[k].name))
            t.bad++;
        CHECK(t.bad == 0, "%s, %s: %d vectors, imm8 0..%u (%ld trapping) agree with the host (%ld bad)",
              immops[k].name, pass_name, nvec, immops[k].imms - 1, t.traps, t.bad);
    }
}

/* ---- COMISS family: EFLAGS ---- */

#define COMI_HOST(insn)                                                             \
    static void host_##insn(uint64_t *ef, const union xmm *d, const union xmm *s,   \
                            uint32_t mx, struct host_out *o)                        \
    {                                                                               \
        CATCH(*o, mx, HOSTRUN("movdqu %[d], %%xmm0\n\tmovdqu %[s], %%xmm1\n\t"      \
                              "pushfq\n\torq $0x8d5, (%%rsp)\n\tpopfq\n\t"          \
                              #insn " %%xmm1, %%xmm0\n\tpushfq\n\tpopq %[ef]",       \
                              [ef] "+r"(*ef) : [d] "m"(*d), [s] "m"(*s), [mx] "m"(mx), \
                              [dflt] "m"(mx_default) : "xmm0", "xmm1", "cc"));       \
    }
COMI_HOST(comiss) COMI_HOST(ucomiss) COMI_HOST(comisd) COMI_HOST(ucomisd)

static void check_comi(void)
{
    static const struct {
        const char *name;
        uint32_t (*fn)(unsigned *, const union xmm *, const union xmm *, uint32_t);
        void (*host)(uint64_t *, const union xmm *, const union xmm *, uint32_t, struct host_out *);
        char kind;
    } ops[] = {
        { "comiss", simd_comiss, host_comiss, 's' }, { "ucomiss", simd_ucomiss, host_ucomiss, 's' },
        { "comisd", simd_comisd, host_comisd, 'd' }, { "ucomisd", simd_ucomisd, host_ucomisd, 'd' },
    };
    for (size_t k = 0; k < 4; k++) {
        struct tally t = { 0, 0, 0 };
        for (int v = 0; v < nvec; v++) {
            union xmm d, s;
            make_pair(&d, &s, ops[k].kind);
            if (v % 4 == 0)
                s = d;                          /* equal operands */
            uint32_t mx = vec_mxcsr(v);
            unsigned ef = 0x999;                /* unwritten marker */
            uint64_t hef = 0x999;
            struct host_out o;
            uint32_t st = ops[k].fn(&ef, &d, &s, mx);
            ops[k].host(&hef, &d, &s, mx, &o);
            /* Host: ZF PF CF as computed, OF SF AF (preset to 1) cleared. */
            union xmm a = { .q = { ef, 0 } }, b = { .q = { o.trapped ? 0x999 : hef & 0x8d5, 0 } };
            compare(&t, ops[k].name, &d, &s, mx, st, &a, &o, &b);
        }
        CHECK(t.bad == 0, "%s, %s: %d vectors (%ld trapping): flags, EFLAGS agree with the host (%ld bad)",
              ops[k].name, pass_name, nvec, t.traps, t.bad);
    }
}

/* ---- general-register conversions ---- */

#define TOINT_HOST(fname, insn, reg)                                                \
    static void fname(uint64_t *r, const union xmm *s, uint32_t mx, struct host_out *o) \
    {                                                                               \
        CATCH(*o, mx, HOSTRUN("movdqu %[s], %%xmm1\n\t" insn " %%xmm1, " reg,       \
                              [r] "+r"(*r) : [s] "m"(*s), [mx] "m"(mx),             \
                              [dflt] "m"(mx_default) : "xmm1"));                    \
    }
TOINT_HOST(h_cvtss2si, "cvtss2si", "%k[r]") TOINT_HOST(h_cvtss2si64, "cvtss2si", "%q[r]")
TOINT_HOST(h_cvttss2si, "cvttss2si", "%k[r]") TOINT_HOST(h_cvttss2si64, "cvttss2si", "%q[r]")
TOINT_HOST(h_cvtsd2si, "cvtsd2si", "%k[r]") TOINT_HOST(h_cvtsd2si64, "cvtsd2si", "%q[r]")
TOINT_HOST(h_cvttsd2si, "cvttsd2si", "%k[r]") TOINT_HOST(h_cvttsd2si64, "cvttsd2si", "%q[r]")

#define FROMINT_HOST(fname, insn, reg)                                              \
    static void fname(union xmm *d, uint64_t v, uint32_t mx, struct host_out *o)    \
    {                                                                               \
        CATCH(*o, mx, HOSTRUN("movdqu %[d], %%xmm0\n\t" insn " " reg ", %%xmm0\n\t" \
                              "movdqu %%xmm0, %[d]",                                \
                              [d] "+m"(*d) : [v] "r"(v), [mx] "m"(mx),              \
                              [dflt] "m"(mx_default) : "xmm0"));                    \
    }
FROMINT_HOST(h_cvtsi2ss, "cvtsi2ssl", "%k[v]") FROMINT_HOST(h_cvtsi2ss64, "cvtsi2ssq", "%q[v]")
FROMINT_HOST(h_cvtsi2sd, "cvtsi2sdl", "%k[v]") FROMINT_HOST(h_cvtsi2sd64, "cvtsi2sdq", "%q[v]")

static void check_gpr_cvt(void)
{
    static const struct {
        const char *name;
        uint32_t (*fn)(uint64_t *, const union xmm *, int, uint32_t);
        void (*host)(uint64_t *, const union xmm *, uint32_t, struct host_out *);
        int w64;
        char kind;
    } to[] = {
        { "cvtss2si", simd_cvtss2si, h_cvtss2si, 0, 's' },
        { "cvtss2si r64", simd_cvtss2si, h_cvtss2si64, 1, 's' },
        { "cvttss2si", simd_cvttss2si, h_cvttss2si, 0, 's' },
        { "cvttss2si r64", simd_cvttss2si, h_cvttss2si64, 1, 's' },
        { "cvtsd2si", simd_cvtsd2si, h_cvtsd2si, 0, 'd' },
        { "cvtsd2si r64", simd_cvtsd2si, h_cvtsd2si64, 1, 'd' },
        { "cvttsd2si", simd_cvttsd2si, h_cvttsd2si, 0, 'd' },
        { "cvttsd2si r64", simd_cvttsd2si, h_cvttsd2si64, 1, 'd' },
    };
    for (size_t k = 0; k < sizeof to / sizeof to[0]; k++) {
        struct tally t = { 0, 0, 0 };
        for (int v = 0; v < nvec; v++) {
            union xmm d, s;
            make_pair(&d, &s, to[k].kind);
            uint32_t mx = vec_mxcsr(v);
            uint64_t r1 = 0x5555, r2 = 0x5555;
            struct host_out o;
            uint32_t st = to[k].fn(&r1, &s, to[k].w64, mx);
            to[k].host(&r2, &s, mx, &o);
            union xmm a = { .q = { r1, 0 } }, b = { .q = { r2, 0 } };
            compare(&t, to[k].name, &d, &s, mx, st, &a, &o, &b);
        }
        CHECK(t.bad == 0, "%s, %s: %d vectors (%ld trapping) agree with the host (%ld bad)",
              to[k].name, pass_name, nvec, t.traps, t.bad);
    }
    static const struct {
        const char *name;
        uint32_t (*fn)(union xmm *, uint64_t, int, uint32_t);
        void (*host)(union xmm *, uint64_t, uint32_t, struct host_out *);
        int w64;
    } from[] = {
        { "cvtsi2ss", simd_cvtsi2ss, h_cvtsi2ss, 0 },
        { "cvtsi2ss r64", simd_cvtsi2ss, h_cvtsi2ss64, 1 },
        { "cvtsi2sd", simd_cvtsi2sd, h_cvtsi2sd, 0 },
        { "cvtsi2sd r64", simd_cvtsi2sd, h_cvtsi2sd64, 1 },
    };
    for (size_t k = 0; k < sizeof from / sizeof from[0]; k++) {
        struct tally t = { 0, 0, 0 };
        for (int v = 0; v < nvec; v++) {
            union xmm d, s = { .q = { 0, 0 } };
            gen_xmm(&d, 's');
            uint64_t val = rnd(), shift = rnd() % 64;   /* two calls, in order */
            val = v % 3 ? val >> shift : (uint64_t)(int64_t)(int32_t)gen_i32();
            if (v % 5 == 0)
                val = -val;
            s.q[0] = val;
            uint32_t mx = vec_mxcsr(v);
            union xmm a = d, b = d;
            struct host_out o;
            uint32_t st = from[k].fn(&a, val, from[k].w64, mx);
            from[k].host(&b, val, mx, &o);
            compare(&t, from[k].name, &d, &s, mx, st, &a, &o, &b);
        }
        CHECK(t.bad == 0, "%s, %s: %d vectors (%ld trapping) agree with the host (%ld bad)",
              from[k].name, pass_name, nvec, t.traps, t.bad);
    }
}

/* ---- the SDM's rules, with expected values written out (independent of
 * the host: they also show the harness is not comparing a thing to itself) */

#define MASKED MXCSR_MASKS
static uint32_t f32(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }

/* d = {a, 0, 0, 0} OP s = {b, 0, 0, 0} through fn; returns status and lane 0. */
static uint32_t ss_op(fp_fn fn, uint32_t a, uint32_t b, uint32_t mx, uint32_t *r)
{
    union xmm d = { .d = { a, 0x11111111, 0x22222222, 0x33333333 } }, s = { .d = { b, 0, 0, 0 } };
    uint32_t st = fn(&d, &s, mx);
    *r = d.d[0];
    if (d.d[1] != 0x11111111 || d.d[2] != 0x22222222 || d.d[3] != 0x33333333)
        *r = 0xdeadbeef;                /* scalar ops keep lanes 1-3 */
    return st;
}

static void check_sdm_rules(void)
{
    uint32_t r, st;
    unsigned ef;
    union xmm x, y;

    st = ss_op(simd_maxss, f32(0.0f), f32(-0.0f), MASKED, &r);
    CHECK(st == 0 && r == 0x80000000, "MAXSS +0, -0 returns the second operand (-0)");
    st = ss_op(simd_minss, f32(-0.0f), f32(0.0f), MASKED, &r);
    CHECK(st == 0 && r == 0, "MINSS -0, +0 returns the second operand (+0)");
    st = ss_op(simd_maxss, 0x7fc00001, f32(1.0f), MASKED, &r);
    CHECK(st == MXCSR_IE && r == f32(1.0f), "MAXSS QNaN, 1 returns 1 and signals IE (QNaN too)");
    st = ss_op(simd_minss, f32(1.0f), 0x7fc00001, MASKED, &r);
    CHECK(st == MXCSR_IE && r == 0x7fc00001, "MINSS 1, QNaN returns the QNaN (second operand)");
    st = ss_op(simd_sqrtss, 0, f32(-1.0f), MASKED, &r);
    CHECK(st == MXCSR_IE && r == 0xffc00000, "SQRTSS -1 is the QNaN indefinite with IE");
    st = ss_op(simd_addss, 0x7f800001, 0x7fc00002, MASKED, &r);
    CHECK(st == MXCSR_IE && r == 0x7fc00001, "ADDSS SNaN, QNaN returns the first operand quieted, IE");
    st = ss_op(simd_divss, f32(1.0f), 0, MASKED, &r);
    CHECK(st == MXCSR_ZE && r == 0x7f800000, "DIVSS 1 / +0 is +Inf with ZE");
    st = ss_op(simd_divss, 0, 0, MASKED, &r);
    CHECK(st == MXCSR_IE && r == 0xffc00000, "DIVSS 0 / 0 is the QNaN indefinite with IE");
    st = ss_op(simd_addss, f32(1.0f), f32(0x1p-24f), MASKED, &r);
    CHECK(st == MXCSR_PE && r == f32(1.0f), "ADDSS 1 + 2^-24, nearest: ties to even (1), PE");
    st = ss_op(simd_addss, f32(1.0f), f32(0x1p-24f), MASKED | 2u << MXCSR_RC_SHIFT, &r);
    CHECK(st == MXCSR_PE && r == f32(0x1.000002p0f), "ADDSS 1 + 2^-24, up: 1 + 2^-23, PE");
    st = ss_op(simd_addss, 1, 0, MASKED, &r);
    CHECK(st == MXCSR_DE && r == 1, "ADDSS denormal + 0: the denormal, DE");
    st = ss_op(simd_addss, 1, 0, MASKED | MXCSR_DAZ, &r);
    CHECK(st == 0 && r == 0, "ADDSS denormal + 0 under DAZ: +0, no DE");
    st = ss_op(simd_mulss, f32(0x1p-100f), f32(0x1p-30f), MASKED | MXCSR_FZ, &r);
    CHECK(st == (MXCSR_UE | MXCSR_PE) && r == 0, "MULSS 2^-100 * 2^-30 under FZ: +0, UE and PE");
    st = ss_op(simd_mulss, f32(0x1p-100f), f32(0x1p-30f), MASKED, &r);
    CHECK(st == 0 && r == 1u << 19, "MULSS 2^-100 * 2^-30 masked: exact denormal, no flags");
    st = ss_op(simd_mulss, f32(0x1p-100f), f32(0x1p-30f), MASKED & ~(MXCSR_UE << 7), &r);
    CHECK(st == (MXCSR_UE | SIMD_FP_FAULT) && r == f32(0x1p-100f),
          "MULSS exact tiny result with UE unmasked: UE, fault, destination unwritten");
    st = ss_op(simd_mulss, f32(0x1p100f), f32(0x1p100f), MASKED & ~(MXCSR_OE << 7), &r);
    CHECK(st == (MXCSR_OE | SIMD_FP_FAULT), "MULSS 2^200 with OE unmasked: OE only (exact unbounded)");
    x = (union xmm){ .d = { 0x7f800001, f32(1.0f), 0, 0 } };
    y = (union xmm){ .d = { f32(1.0f), f32(0x1p-30f), 0, 0 } };
    st = simd_addps(&x, &y, MASKED & ~(MXCSR_IE << 7));
    CHECK(st == (MXCSR_IE | SIMD_FP_FAULT) && x.d[1] == f32(1.0f),
          "ADDPS SNaN lane with IE unmasked: IE only (the other lane's PE is not reported), nothing written");
    x.d[0] = 0x7fc00000;
    y.d[0] = f32(1.0f);
    CHECK(simd_comiss(&ef, &x, &y, MASKED) == MXCSR_IE && ef == 0x45, "COMISS QNaN: unordered (ZF PF CF) and IE");
    CHECK(simd_ucomiss(&ef, &x, &y, MASKED) == 0 && ef == 0x45, "UCOMISS QNaN: unordered, no IE");
    x.d[0] = 0x7f800001;
    CHECK(simd_ucomiss(&ef, &x, &y, MASKED) == MXCSR_IE, "UCOMISS SNaN: IE");
    uint64_t i = 0;
    x.d[0] = 0x7fc00000;
    CHECK(simd_cvttss2si(&i, &x, 0, MASKED) == MXCSR_IE && i == 0x80000000u,
          "CVTTSS2SI NaN: integer indefinite 0x80000000, IE");
    x.d[0] = f32(0x1p31f);
    CHECK(simd_cvttss2si(&i, &x, 0, MASKED) == MXCSR_IE && i == 0x80000000u, "CVTTSS2SI 2^31: indefinite, IE");
    x.d[0] = f32(-0x1p31f);
    CHECK(simd_cvttss2si(&i, &x, 0, MASKED) == 0 && i == 0x80000000u, "CVTTSS2SI -2^31: exact, no flags");
    x.d[0] = f32(-2.5f);
    CHECK(simd_cvtss2si(&i, &x, 1, MASKED) == MXCSR_PE && i == (uint64_t)-2, "CVTSS2SI r64 -2.5 nearest: -2, PE");
    x.d[0] = f32(2.5f);
    CHECK(simd_roundss(&x, &x, 0x0a, MASKED) == 0 && x.d[0] == f32(3.0f), "ROUNDSS 2.5 up, imm8[3] suppresses PE");
}

int main(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSE3)) {
        CHECK(0, "host CPU has SSE3 and SSE4.1");
        return test_summary();
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigfpe;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGFPE, &sa, NULL);

    CHECK(sizeof fpops / sizeof fpops[0] == SIMD_FP_COUNT &&
          sizeof immops / sizeof immops[0] == SIMD_FP_IMM_COUNT,
          "every sub-op of simd_ops.h is compared");
    check_sdm_rules();
    for (sweep = 0; sweep < 2; sweep++) {
        nvec = sweep ? 1024 * SWEEP_PER : VECTORS;
        pass_name = sweep ? "every MXCSR, special values" : "random";
        for (size_t i = 0; i < sizeof fpops / sizeof fpops[0]; i++)
            check_fpop(&fpops[i]);
        check_immops();
        check_comi();
        check_gpr_cvt();
    }
    printf("%ld vectors compared with the host, %ld of them trapping (unmasked exceptions)\n",
           compared, trapped_total);
    return test_summary();
}
