/* SSE/SSE2 through <emmintrin.h>: packed and scalar double/float arithmetic
 * over special values (zeros, denormals, infinities, NaNs), under each MXCSR
 * rounding mode and with FTZ/DAZ, the MXCSR flags after each, conversions
 * (rounding, truncating, out of range), min/max/compare masks, RCP/RSQRT,
 * packed integer arithmetic, shuffles, unaligned and non-temporal moves,
 * libm's double functions, and an unmasked SSE exception delivered as
 * SIGFPE (#XM). Results are hashed bit patterns, printed in hex. */
#include <emmintrin.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>

#include "uprog.h"

static double dv[16];
static float fv[16];
#define NV 16

static double dbits(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

static float fbits(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}

static void init_vals(void)
{
    static const double d[] = { 0.0, -0.0, 1.0, -1.5, 3.0, 0.1, 1e300, -1e-300, 2.5, -2.5,
                                4503599627370497.0, 1e10 };
    memcpy(dv, d, sizeof d);
    dv[12] = dbits(0x0000000000000123ull);      /* denormal */
    dv[13] = dbits(0x7ff0000000000000ull);      /* +inf */
    dv[14] = dbits(0x7ff8000000000001ull);      /* QNaN */
    dv[15] = dbits(0xfff0000000000001ull);      /* SNaN */
    static const float f[] = { 0.0f, -0.0f, 1.0f, -1.5f, 3.0f, 0.1f, 1e38f, -1e-38f, 2.5f, -2.5f,
                               16777217.0f, 1e10f };
    memcpy(fv, f, sizeof f);
    fv[12] = fbits(0x00000123u);
    fv[13] = fbits(0xff800000u);
    fv[14] = fbits(0x7fc00001u);
    fv[15] = fbits(0x7f800001u);
}

static void fold128(uint64_t *h, __m128i v)
{
    uint64_t q[2];
    _mm_storeu_si128((__m128i *)q, v);
    *h = (*h ^ q[0]) * 0x100000001b3ull;
    *h = (*h ^ q[1]) * 0x100000001b3ull;
}

static void fold_flags(uint64_t *h)
{
    unsigned m = _mm_getcsr();
    *h = (*h ^ (m & 0x3f)) * 0x100000001b3ull;
    _mm_setcsr(m & ~0x3fu);
}

#define MXCSR_DEFAULT 0x1f80u
/* Round to nearest, down, up, toward zero; then nearest with FTZ, DAZ, both. */
static const unsigned modes[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x9fc0 };
#define NMODES (sizeof modes / sizeof modes[0])

/* The compiler must not fold or reorder these across _mm_setcsr. */
#define OPAQUE(v) __asm__ volatile("" : "+x"(v))

static void packed_fp(void)
{
    uint64_t hd = 0, hf = 0, hflags = 0;
    for (size_t m = 0; m < NMODES; m++) {
        _mm_setcsr(modes[m]);
        for (int i = 0; i < NV; i++)
            for (int j = 0; j < NV; j++) {
                __m128d a = _mm_set_pd(dv[i], dv[j]), b = _mm_set_pd(dv[(j + 3) % NV], dv[i]);
                OPAQUE(a);
                OPAQUE(b);
                __m128d r[6] = { _mm_add_pd(a, b), _mm_sub_pd(a, b), _mm_mul_pd(a, b),
                                 _mm_div_pd(a, b), _mm_sqrt_pd(a), _mm_add_sd(a, b) };
                for (int k = 0; k < 6; k++) {
                    OPAQUE(r[k]);
                    fold128(&hd, _mm_castpd_si128(r[k]));
                    fold_flags(&hflags);
                }
                __m128 fa = _mm_set_ps(fv[i], fv[j], fv[(i + j) % NV], fv[(i * 3) % NV]);
                __m128 fb = _mm_set_ps(fv[j], fv[i], fv[(i + 5) % NV], fv[(j * 7) % NV]);
                OPAQUE(fa);
                OPAQUE(fb);
                __m128 s[6] = { _mm_add_ps(fa, fb), _mm_sub_ps(fa, fb), _mm_mul_ps(fa, fb),
                                _mm_div_ps(fa, fb), _mm_sqrt_ps(fa), _mm_mul_ss(fa, fb) };
                for (int k = 0; k < 6; k++) {
                    OPAQUE(s[k]);
                    fold128(&hf, _mm_castps_si128(s[k]));
                    fold_flags(&hflags);
                }
            }
    }
    _mm_setcsr(MXCSR_DEFAULT);
    say("packed double %016llx float %016llx flags %016llx", (unsigned long long)hd,
        (unsigned long long)hf, (unsigned long long)hflags);
}

static void minmax_cmp(void)
{
    uint64_t h = 0;
    for (int i = 0; i < NV; i++)
        for (int j = 0; j < NV; j++) {
            __m128d a = _mm_set_pd(dv[i], dv[j]), b = _mm_set_pd(dv[j], dv[i]);
            __m128 fa = _mm_set1_ps(fv[i]), fb = _mm_set_ps(fv[j], fv[i], fv[j], -fv[j]);
            OPAQUE(a);
            OPAQUE(b);
            OPAQUE(fa);
            OPAQUE(fb);
            __m128d r[8] = { _mm_min_pd(a, b), _mm_max_pd(a, b), _mm_cmplt_pd(a, b),
                             _mm_cmpunord_pd(a, b), _mm_cmpneq_pd(a, b), _mm_cmpnle_pd(a, b),
                             _mm_min_sd(a, b), _mm_cmpord_sd(a, b) };
            for (int k = 0; k < 8; k++) {
                OPAQUE(r[k]);
                fold128(&h, _mm_castpd_si128(r[k]));
                fold_flags(&h);
            }
            __m128 s[4] = { _mm_min_ps(fa, fb), _mm_max_ps(fa, fb), _mm_cmple_ps(fa, fb),
                            _mm_cmpeq_ps(fa, fb) };
            for (int k = 0; k < 4; k++) {
                OPAQUE(s[k]);
                fold128(&h, _mm_castps_si128(s[k]));
                fold_flags(&h);
            }
            int c = _mm_comilt_sd(a, b) | _mm_ucomieq_sd(a, b) << 1 | _mm_comige_ss(fa, fb) << 2 |
                    _mm_movemask_pd(a) << 3 | _mm_movemask_ps(fb) << 5;
            h = h * 37 + (uint64_t)c;
            fold_flags(&h);
        }
    say("min/max/compare %016llx", (unsigned long long)h);
}

static void conversions(void)
{
    uint64_t h = 0;
    for (int m = 0; m < 4; m++) {
        _mm_setcsr(modes[m]);
        for (int i = 0; i < NV; i++) {
            __m128d a = _mm_set_pd(dv[i] * 0.75, dv[i] + 0.5);
            __m128 fa = _mm_set_ps(fv[i] * 3.0f, fv[i] - 0.5f, fv[i], 2.5e9f);
            OPAQUE(a);
            OPAQUE(fa);
            __m128i r[6] = { _mm_cvtpd_epi32(a), _mm_cvttpd_epi32(a), _mm_cvtps_epi32(fa),
                             _mm_cvttps_epi32(fa), _mm_castps_si128(_mm_cvtpd_ps(a)),
                             _mm_castpd_si128(_mm_cvtps_pd(fa)) };
            for (int k = 0; k < 6; k++) {
                OPAQUE(r[k]);
                fold128(&h, r[k]);
                fold_flags(&h);
            }
            int s1 = _mm_cvtsd_si32(a), s2 = _mm_cvttsd_si32(a), s3 = _mm_cvtss_si32(fa),
                s4 = _mm_cvttss_si32(fa);
            h = h * 31 + (uint32_t)s1 + ((uint64_t)(uint32_t)s2 << 32);
            h = h * 31 + (uint32_t)s3 + ((uint64_t)(uint32_t)s4 << 32);
#ifdef __x86_64__
            long long l1 = _mm_cvtsd_si64(a), l2 = _mm_cvttss_si64(fa);
            h = h * 31 + (uint64_t)l1 + (uint64_t)l2 * 3;
#endif
            fold_flags(&h);
            __m128i iv = _mm_set_epi32((int)((unsigned)i * 0x12345679u), -i, 0x7fffffff, (int)0x80000001u);
            OPAQUE(iv);
            fold128(&h, _mm_castps_si128(_mm_cvtepi32_ps(iv)));
            fold128(&h, _mm_castpd_si128(_mm_cvtepi32_pd(iv)));
            fold128(&h, _mm_castpd_si128(_mm_cvtsi32_sd(a, i * 0x1234567 + 1)));
            fold_flags(&h);
        }
    }
    _mm_setcsr(MXCSR_DEFAULT);
    say("conversions %016llx", (unsigned long long)h);
}

static void approx(void)
{
    uint64_t h = 0;
    for (int i = 0; i < 200; i++) {
        __m128 x = _mm_set_ps(i * 0.37f + 0.01f, 1.0f / (i + 1), (float)i * i, -(float)i - 0.5f);
        OPAQUE(x);
        __m128 r = _mm_rcp_ps(x), s = _mm_rsqrt_ps(x);
        OPAQUE(r);
        OPAQUE(s);
        fold128(&h, _mm_castps_si128(r));
        fold128(&h, _mm_castps_si128(s));
        fold_flags(&h);
    }
    say("rcp/rsqrt %016llx", (unsigned long long)h);
}

static void integer(void)
{
    uint64_t h = 0;
    uint64_t seed = 0x0123456789abcdefull;
    for (int i = 0; i < 500; i++) {
        uint64_t w[4];
        for (int k = 0; k < 4; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            w[k] = seed;
        }
        __m128i a = _mm_loadu_si128((const __m128i *)w), b = _mm_loadu_si128((const __m128i *)(w + 2));
        OPAQUE(a);
        OPAQUE(b);
        __m128i r[] = {
            _mm_add_epi8(a, b), _mm_adds_epu8(a, b), _mm_subs_epi16(a, b), _mm_mulhi_epi16(a, b),
            _mm_mullo_epi16(a, b), _mm_mul_epu32(a, b), _mm_madd_epi16(a, b), _mm_sad_epu8(a, b),
            _mm_avg_epu8(a, b), _mm_packs_epi16(a, b), _mm_packus_epi16(a, b), _mm_packs_epi32(a, b),
            _mm_unpacklo_epi8(a, b), _mm_unpackhi_epi32(a, b), _mm_shuffle_epi32(a, 0x1b),
            _mm_shufflehi_epi16(a, 0x8d), _mm_shufflelo_epi16(b, 0x72), _mm_slli_epi64(a, 13),
            _mm_srai_epi32(a, 7), _mm_srli_epi16(b, 3), _mm_sll_epi32(a, _mm_cvtsi32_si128(i % 40)),
            _mm_sra_epi16(b, _mm_cvtsi32_si128(i % 20)), _mm_slli_si128(a, 5), _mm_srli_si128(b, 11),
            _mm_cmpeq_epi8(a, _mm_or_si128(a, _mm_and_si128(b, _mm_set1_epi8(1)))),
            _mm_cmpgt_epi16(a, b), _mm_max_epi16(a, b), _mm_min_epu8(a, b), _mm_andnot_si128(a, b),
            _mm_xor_si128(a, b), _mm_sub_epi64(a, b),
        };
        for (size_t k = 0; k < sizeof r / sizeof r[0]; k++) {
            OPAQUE(r[k]);
            fold128(&h, r[k]);
        }
        h = h * 31 + (uint64_t)_mm_movemask_epi8(a) + ((uint64_t)_mm_extract_epi16(b, 5) << 16);
        fold128(&h, _mm_insert_epi16(a, i, 3));
    }
    say("integer %016llx", (unsigned long long)h);
}

static void moves(void)
{
    static unsigned char buf[4096 + 64] __attribute__((aligned(16)));
    uint64_t h = 0;
    for (int i = 0; i < (int)sizeof buf; i++)
        buf[i] = (unsigned char)(i * 13 + 1);
    for (int off = 0; off < 32; off++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(buf + off));
        __m128d d = _mm_loadu_pd((const double *)(buf + 2 * off + 1));
        __m128 f = _mm_loadu_ps((const float *)(buf + 3 * off + 2));
        _mm_storeu_si128((__m128i *)(buf + 100 + off), v);
        _mm_storeu_pd((double *)(buf + 300 + off), d);
        _mm_storeu_ps((float *)(buf + 500 + 2 * off), f);
        _mm_store_sd((double *)(buf + 700 + off), d);
        _mm_storel_epi64((__m128i *)(buf + 800 + off), v);
        _mm_stream_si128((__m128i *)(buf + 1024 + 16 * off), v);
        _mm_maskmoveu_si128(v, _mm_set1_epi16((short)0x8000), (char *)buf + 2048 + off * 3);
    }
    _mm_sfence();
    _mm_mfence();
    _mm_lfence();
    _mm_clflush(buf);
    ck_bytes(buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
        h = (h ^ buf[i]) * 0x100000001b3ull;
    say("moves %016llx", (unsigned long long)h);
}

static void libm(void)
{
    uint64_t h = 0;
    for (int i = 0; i < 400; i++) {
        double x = (i - 200) * 0.0937 + 0.003;
        double r[] = { sin(x), cos(x), tan(x / 8), exp(x / 3), log(fabs(x) + 0.25), pow(fabs(x), 0.37),
                       atan2(x, 1.7), sqrt(fabs(x)), cbrt(x), hypot(x, 2.0), expm1(x / 5),
                       log1p(fabs(x)) };
        float y = (float)x;
        float s[] = { sinf(y), expf(y / 4), logf(fabsf(y) + 1), powf(fabsf(y), 1.3f) };
        ck_bytes(r, sizeof r);
        ck_bytes(s, sizeof s);
        for (size_t k = 0; k < sizeof r / sizeof r[0]; k++) {
            uint64_t b;
            memcpy(&b, &r[k], 8);
            h = (h ^ b) * 0x100000001b3ull;
        }
        for (size_t k = 0; k < sizeof s / sizeof s[0]; k++) {
            uint32_t b;
            memcpy(&b, &s[k], 4);
            h = (h ^ b) * 0x100000001b3ull;
        }
    }
    say("libm %016llx", (unsigned long long)h);
}

static sigjmp_buf jb;
static volatile int fpe_code;
static volatile unsigned fpe_mxcsr;

static void on_fpe(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    fpe_code = si->si_code;
#ifdef __x86_64__
    fpe_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
#else
    /* The i386 frame's FXSAVE part (magic 0 in the status word's upper
     * half) follows the FNSAVE image; MXCSR is at byte 136 of the frame. */
    const unsigned *fp = (const unsigned *)uc->uc_mcontext.fpregs;
    fpe_mxcsr = (uc->uc_mcontext.fpregs->status >> 16) == 0 ? fp[34] : 0xdead;
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
    static const struct { unsigned csr; double a, b; int want; } t[] = {
        { 0x1d80, 1.0, 0.0, FPE_FLTDIV },       /* ZM clear */
        { 0x1f00, 0.0, 0.0, FPE_FLTINV },       /* IM clear */
        { 0x1b80, 1e300, 1e-300, FPE_FLTOVF },  /* OM clear */
    };
    for (volatile int i = 0; i < 3; i++) {
        fpe_code = 0;
        fpe_mxcsr = 0;
        if (sigsetjmp(jb, 1) == 0) {
            __m128d a = _mm_set_sd(t[i].a), b = _mm_set_sd(t[i].b);
            unsigned csr = t[i].csr, def = MXCSR_DEFAULT;
            __asm__ volatile("ldmxcsr %1\n\tdivsd %2, %0\n\tldmxcsr %3"
                             : "+x"(a) : "m"(csr), "x"(b), "m"(def));
            fail("unmasked SSE exception %d raised no SIGFPE", i);
        }
        unsigned csr = _mm_getcsr();
        CHECK(fpe_code == t[i].want, "SIGFPE si_code %d, expected %d", fpe_code, t[i].want);
        CHECK(csr == MXCSR_DEFAULT, "MXCSR %04x after the handler", csr);
        say("unmasked %d: si_code %d mxcsr %04x", i, fpe_code, fpe_mxcsr);
    }
    signal(SIGFPE, SIG_DFL);
}

int main(void)
{
    uprog_name = "sse";
    init_vals();
    packed_fp();
    minmax_cmp();
    conversions();
    approx();
    integer();
    moves();
    libm();
    unmasked();
    return finish();
}
