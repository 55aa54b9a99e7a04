/* x87: every transcendental and the basic arithmetic under each rounding
 * and precision control (FLDCW inside the asm, so compiled code keeps the
 * default), status words after each (FNSTSW: flags, condition codes), FXAM
 * classes, FUCOMI flags, constants under each rounding mode, integer and BCD
 * stores, long double arithmetic and libm's long double functions, and an
 * unmasked divide-by-zero delivered as SIGFPE. Results are 80-bit images
 * printed in hex, one hash per operation (bit-exact). */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>

#include "uprog.h"

#define CW_DEFAULT 0x037f

static const uint16_t cw_default = CW_DEFAULT;

static uint64_t ld_bits(long double x, uint16_t *exp)
{
    unsigned char b[sizeof(long double)];
    uint64_t m;
    memcpy(b, &x, sizeof b);
    memcpy(&m, b, 8);
    memcpy(exp, b + 8, 2);
    return m;
}

/* Fold an 80-bit value and a status word into a per-operation hash. */
static void fold(uint64_t *h, long double x, uint16_t sw)
{
    uint16_t e;
    uint64_t m = ld_bits(x, &e);
    *h = (*h ^ m) * 0x100000001b3ull;
    *h = (*h ^ ((uint64_t)e << 16 | sw)) * 0x100000001b3ull;
}

static long double ld_make(uint16_t e, uint64_t m)
{
    unsigned char b[sizeof(long double)] = { 0 };
    long double x;
    memcpy(b, &m, 8);
    memcpy(b + 8, &e, 2);
    memcpy(&x, b, sizeof x);
    return x;
}

#define OP1(name, insn)                                                                   \
    static long double name(long double x, uint16_t cw, uint16_t *sw)                     \
    {                                                                                     \
        long double r;                                                                    \
        __asm__ volatile("fldcw %[cw]\n\tfnclex\n\t" insn "\n\tfnstsw %[sw]\n\tfldcw %[d]" \
                         : "=t"(r), [sw] "=m"(*sw)                                        \
                         : "0"(x), [cw] "m"(cw), [d] "m"(cw_default));                    \
        return r;                                                                         \
    }
/* ST(0) op ST(1) -> ST(0), ST(1) kept. */
#define OP2(name, insn)                                                                   \
    static long double name(long double x, long double y, uint16_t cw, uint16_t *sw)      \
    {                                                                                     \
        long double r;                                                                    \
        __asm__ volatile("fldcw %[cw]\n\tfnclex\n\t" insn "\n\tfnstsw %[sw]\n\tfldcw %[d]" \
                         : "=t"(r), [sw] "=m"(*sw)                                        \
                         : "0"(x), "u"(y), [cw] "m"(cw), [d] "m"(cw_default));            \
        return r;                                                                         \
    }
/* ST(1) op ST(0) -> ST(1), pop. */
#define OP2P(name, insn)                                                                  \
    static long double name(long double x, long double y, uint16_t cw, uint16_t *sw)      \
    {                                                                                     \
        long double r;                                                                    \
        __asm__ volatile("fldcw %[cw]\n\tfnclex\n\t" insn "\n\tfnstsw %[sw]\n\tfldcw %[d]" \
                         : "=t"(r), [sw] "=m"(*sw)                                        \
                         : "0"(x), "u"(y), [cw] "m"(cw), [d] "m"(cw_default)              \
                         : "st(1)");                                                      \
        return r;                                                                         \
    }
/* One operand, two results: ST(0) and ST(1). */
#define OP12(name, insn)                                                                  \
    static long double name(long double x, long double *r1, uint16_t cw, uint16_t *sw)   \
    {                                                                                     \
        long double r0;                                                                   \
        __asm__ volatile("fldcw %[cw]\n\tfnclex\n\t" insn "\n\tfnstsw %[sw]\n\tfldcw %[d]" \
                         : "=t"(r0), "=u"(*r1), [sw] "=m"(*sw)                            \
                         : "0"(x), [cw] "m"(cw), [d] "m"(cw_default));                    \
        return r0;                                                                        \
    }

OP1(x_fsqrt, "fsqrt")
OP1(x_fsin, "fsin")
OP1(x_fcos, "fcos")
OP1(x_f2xm1, "f2xm1")
OP1(x_frndint, "frndint")
OP1(x_fabs, "fabs")
OP1(x_fchs, "fchs")
OP2(x_fprem, "fprem")
OP2(x_fprem1, "fprem1")
OP2(x_fscale, "fscale")
OP2(x_fadd, "fadd %%st(1), %%st")
OP2(x_fsub, "fsub %%st(1), %%st")
OP2(x_fmul, "fmul %%st(1), %%st")
OP2(x_fdiv, "fdiv %%st(1), %%st")
OP2(x_fsubr, "fsubr %%st(1), %%st")
OP2(x_fdivr, "fdivr %%st(1), %%st")
OP2P(x_fpatan, "fpatan")
OP2P(x_fyl2x, "fyl2x")
OP2P(x_fyl2xp1, "fyl2xp1")
OP12(x_fsincos, "fsincos")
OP12(x_fptan, "fptan")
OP12(x_fxtract, "fxtract")

static long double vals[24];
static int nvals;

static void init_vals(void)
{
    static const long double v[] = {
        0.0L, -0.0L, 1.0L, -1.0L, 0.5L, 2.0L, 3.0L, -7.25L, 10.0L, 0.1L,
        3.14159265358979323846264L, 1.0e10L, -1.0e-10L, 123456789.987654321L,
        1.0e300L, 1.0e-4000L, 9.2233720368547758e18L, 1.0e4000L,
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        vals[nvals++] = v[i];
    vals[nvals++] = ld_make(0x0000, 0x0000000000000123ull);     /* denormal */
    vals[nvals++] = ld_make(0x7fff, 0x8000000000000000ull);     /* +inf */
    vals[nvals++] = ld_make(0xffff, 0xc000000000000000ull);     /* QNaN indefinite */
    vals[nvals++] = ld_make(0x7fff, 0xa000000000000001ull);     /* SNaN */
    vals[nvals++] = ld_make(0x403e, 0xc90fdaa22168c234ull);     /* ~pi * 2^62 */
    vals[nvals++] = ld_make(0x3ffe, 0xffffffffffffffffull);     /* just below 1 */
}

/* Control words: round to nearest/down/up/zero x precision 24/53/64 bits. */
static const uint16_t cws[] = {
    0x037f, 0x077f, 0x0b7f, 0x0f7f, 0x007f, 0x047f, 0x027f, 0x0e7f,
};
#define NCW (sizeof cws / sizeof cws[0])

typedef long double (*op1_fn)(long double, uint16_t, uint16_t *);
typedef long double (*op2_fn)(long double, long double, uint16_t, uint16_t *);
typedef long double (*op12_fn)(long double, long double *, uint16_t, uint16_t *);

static void run1(const char *name, op1_fn f, int all_cw)
{
    uint64_t h = 0;
    for (int i = 0; i < nvals; i++)
        for (size_t c = 0; c < (all_cw ? NCW : 1); c++) {
            uint16_t sw;
            long double r = f(vals[i], cws[c], &sw);
            fold(&h, r, sw);
        }
    say("%-8s %016llx", name, (unsigned long long)h);
}

static void run2(const char *name, op2_fn f, int all_cw)
{
    uint64_t h = 0;
    for (int i = 0; i < nvals; i++)
        for (int j = 0; j < nvals; j++)
            for (size_t c = 0; c < (all_cw ? NCW : 1); c++) {
                uint16_t sw;
                long double r = f(vals[i], vals[j], cws[c], &sw);
                fold(&h, r, sw);
            }
    say("%-8s %016llx", name, (unsigned long long)h);
}

static void run12(const char *name, op12_fn f)
{
    uint64_t h = 0;
    for (int i = 0; i < nvals; i++) {
        uint16_t sw;
        long double r1 = 0, r0 = f(vals[i], &r1, CW_DEFAULT, &sw);
        fold(&h, r0, sw);
        fold(&h, r1, 0);
    }
    say("%-8s %016llx", name, (unsigned long long)h);
}

static void classes(void)
{
    uint64_t h = 0;
    char line[64] = "";
    for (int i = 0; i < nvals; i++) {
        uint16_t sw;
        __asm__ volatile("fxam\n\tfnstsw %0" : "=m"(sw) : "t"(vals[i]));
        h = h * 131 + (sw & 0x4700u);
        if (i < 24)
            line[i] = "0123456789abcdef"[((sw >> 8) & 7) | ((sw >> 11) & 8)];
    }
    /* FXAM of an empty register: FNSAVE leaves the stack empty. */
    unsigned char save[112];
    uint16_t sw;
    __asm__ volatile("fnsave %1\n\tfxam\n\tfnstsw %0\n\tfrstor %1" : "=m"(sw), "+m"(save));
    say("fxam     %s empty %04x %016llx", line, sw & 0x4700u, (unsigned long long)h);
}

static void compares(void)
{
    uint64_t h = 0;
    for (int i = 0; i < nvals; i++)
        for (int j = 0; j < nvals; j++) {
            unsigned char cf, pf, zf;
            uint16_t sw;
            __asm__ volatile("fnclex\n\tfucomi %%st(1), %%st\n\tsetb %0\n\tsetp %1\n\tsete %2\n\t"
                             "fnstsw %3"
                             : "=q"(cf), "=q"(pf), "=q"(zf), "=m"(sw)
                             : "t"(vals[i]), "u"(vals[j]));
            uint16_t sw2;
            __asm__ volatile("fnclex\n\tfcom %%st(1)\n\tfnstsw %0" : "=m"(sw2)
                             : "t"(vals[i]), "u"(vals[j]));
            h = h * 31 + (uint64_t)(cf | pf << 1 | zf << 2) + ((uint64_t)sw << 8) + ((uint64_t)sw2 << 24);
        }
    say("compares %016llx", (unsigned long long)h);
}

#define CONST(insn)                                                                       \
    do {                                                                                  \
        for (int c = 0; c < 4; c++) {                                                     \
            long double r;                                                                \
            uint16_t cw = (uint16_t)(0x037f | c << 10);                                   \
            __asm__ volatile("fldcw %[cw]\n\t" insn "\n\tfldcw %[d]"                       \
                             : "=t"(r) : [cw] "m"(cw), [d] "m"(cw_default));              \
            fold(&h, r, 0);                                                               \
        }                                                                                 \
    } while (0)

static void constants(void)
{
    uint64_t h = 0;
    CONST("fldpi");
    CONST("fldl2e");
    CONST("fldl2t");
    CONST("fldlg2");
    CONST("fldln2");
    CONST("fld1");
    CONST("fldz");
    say("consts   %016llx", (unsigned long long)h);
}

static void stores(void)
{
    uint64_t h = 0;
    for (int i = 0; i < nvals; i++)
        for (int c = 0; c < 4; c++) {
            uint16_t cw = (uint16_t)(0x037f | c << 10), sw1, sw2, sw3;
            int16_t i16;
            int32_t i32;
            int64_t i64;
            __asm__ volatile("fldcw %[cw]\n\tfnclex\n\tfists %[m]\n\tfnstsw %[sw]\n\tfldcw %[d]"
                             : [m] "=m"(i16), [sw] "=m"(sw1)
                             : "t"(vals[i]), [cw] "m"(cw), [d] "m"(cw_default));
            __asm__ volatile("fldcw %[cw]\n\tfnclex\n\tfistl %[m]\n\tfnstsw %[sw]\n\tfldcw %[d]"
                             : [m] "=m"(i32), [sw] "=m"(sw2)
                             : "t"(vals[i]), [cw] "m"(cw), [d] "m"(cw_default));
            __asm__ volatile("fldcw %[cw]\n\tfnclex\n\tfld %%st\n\tfistpll %[m]\n\tfnstsw %[sw]\n\t"
                             "fldcw %[d]"
                             : [m] "=m"(i64), [sw] "=m"(sw3)
                             : "t"(vals[i]), [cw] "m"(cw), [d] "m"(cw_default));
            h = h * 31 + (uint16_t)i16 + ((uint64_t)sw1 << 16);
            h = h * 31 + (uint32_t)i32 + ((uint64_t)sw2 << 32);
            h = h * 31 + (uint64_t)i64 + sw3;
        }
    /* FISTTP truncates whatever the rounding control says (SSE3). */
    for (int i = 0; i < nvals; i++) {
        int64_t t;
        uint16_t sw;
        __asm__ volatile("fnclex\n\tfld %%st\n\tfisttpll %0\n\tfnstsw %1" : "=m"(t), "=m"(sw)
                         : "t"(vals[i]));
        h = h * 31 + (uint64_t)t + sw;
    }
    /* Packed BCD round trip. */
    unsigned char bcd[10];
    long double back;
    __asm__ volatile("fld %%st\n\tfbstp %0" : "=m"(bcd) : "t"(-123456789012345678.0L));
    __asm__ volatile("fbld %1" : "=t"(back) : "m"(bcd));
    CHECK(back == -123456789012345678.0L, "FBLD(FBSTP(x)) != x");
    ck_bytes(bcd, sizeof bcd);
    say("stores   %016llx bcd %02x%02x%02x%02x%02x%02x%02x%02x%02x sign %02x",
        (unsigned long long)h, bcd[8], bcd[7], bcd[6], bcd[5], bcd[4], bcd[3], bcd[2], bcd[1],
        bcd[0], bcd[9]);
}

static void arithmetic(void)
{
    /* Compiled long double code: series and sums. */
    long double e = 0, term = 1, z = 0, pi = 0;
    for (int k = 1; k < 30; k++) {
        e += term;
        term /= k;
    }
    for (int k = 1; k <= 20000; k++)
        z += 1.0L / ((long double)k * k);
    for (int k = 0; k < 5000; k++)
        pi += (k % 2 ? -4.0L : 4.0L) / (2 * k + 1);
    uint16_t e1, e2, e3;
    uint64_t m1 = ld_bits(e, &e1), m2 = ld_bits(z, &e2), m3 = ld_bits(pi, &e3);
    say("series   e %04x:%016llx zeta2 %04x:%016llx pi %04x:%016llx", e1, (unsigned long long)m1, e2,
        (unsigned long long)m2, e3, (unsigned long long)m3);

    /* libm's long double functions. */
    uint64_t h = 0;
    for (int i = 0; i < 200; i++) {
        long double x = (i - 100) * 0.173L + 0.01L;
        fold(&h, sinl(x), 0);
        fold(&h, cosl(x), 0);
        fold(&h, expl(x / 4), 0);
        fold(&h, logl(fabsl(x) + 0.5L), 0);
        fold(&h, atan2l(x, 3.0L), 0);
        fold(&h, powl(fabsl(x), 1.5L), 0);
        fold(&h, sqrtl(fabsl(x)), 0);
        fold(&h, tanl(x / 10), 0);
    }
    say("libm     %016llx", (unsigned long long)h);
}

static sigjmp_buf jb;
static volatile int fpe_code, fpe_sw;

static void on_fpe(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    fpe_code = si->si_code;
#ifdef __x86_64__
    fpe_sw = uc->uc_mcontext.fpregs->swd;
#else
    fpe_sw = (int)uc->uc_mcontext.fpregs->sw;
#endif
    siglongjmp(jb, sig);
}

static void unmasked(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    static const uint16_t cw_zm = 0x037b, cw_im = 0x037e;     /* ZE or IE unmasked */
    static const struct { const uint16_t *cw; long double a, b; int want; } t[] = {
        { &cw_zm, 1.0L, 0.0L, FPE_FLTDIV },
        { &cw_im, 0.0L, 0.0L, FPE_FLTINV },
    };
    for (volatile int i = 0; i < 2; i++) {
        fpe_code = 0;
        if (sigsetjmp(jb, 1) == 0) {
            long double r;
            __asm__ volatile("fldcw %[cw]\n\tfdiv %%st(1), %%st\n\tfwait\n\tfnclex\n\tfldcw %[d]"
                             : "=t"(r) : "0"(t[i].a), "u"(t[i].b), [cw] "m"(*t[i].cw),
                               [d] "m"(cw_default));
            (void)r;
            fail("unmasked exception %d raised no SIGFPE", i);
        }
        uint16_t cw;
        __asm__ volatile("fnstcw %0" : "=m"(cw));
        CHECK(fpe_code == t[i].want, "SIGFPE si_code %d, expected %d", fpe_code, t[i].want);
        CHECK(cw == CW_DEFAULT, "control word %04x after the handler", cw);
        say("unmasked %d: si_code %d status %04x", i, fpe_code, fpe_sw & 0x00ff);
    }
    signal(SIGFPE, SIG_DFL);
}

int main(void)
{
    uprog_name = "x87";
    init_vals();
    run1("fsqrt", x_fsqrt, 1);
    run1("fsin", x_fsin, 1);
    run1("fcos", x_fcos, 1);
    run1("f2xm1", x_f2xm1, 1);
    run1("frndint", x_frndint, 1);
    run1("fabs", x_fabs, 0);
    run1("fchs", x_fchs, 0);
    run2("fadd", x_fadd, 1);
    run2("fsub", x_fsub, 1);
    run2("fmul", x_fmul, 1);
    run2("fdiv", x_fdiv, 1);
    run2("fsubr", x_fsubr, 0);
    run2("fdivr", x_fdivr, 0);
    run2("fprem", x_fprem, 0);
    run2("fprem1", x_fprem1, 0);
    run2("fscale", x_fscale, 0);
    run2("fpatan", x_fpatan, 1);
    run2("fyl2x", x_fyl2x, 1);
    run2("fyl2xp1", x_fyl2xp1, 1);
    run12("fsincos", x_fsincos);
    run12("fptan", x_fptan);
    run12("fxtract", x_fxtract);
    classes();
    compares();
    constants();
    stores();
    arithmetic();
    unmasked();
    return finish();
}
