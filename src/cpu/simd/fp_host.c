/* Host lane operations and the SIMD floating-point exception model; the
 * why is in fp_host.h. Each lane loads the guest's RC/DAZ/FZ with all
 * exceptions masked and flags clear, runs one scalar SSE/SSE2 instruction,
 * reads MXCSR back and puts the host's MXCSR back, all in one asm statement
 * so the compiler cannot move C floating point into that window.
 *
 * rawbox's own code runs with the default MXCSR (0x1F80: the ABI's initial
 * control bits; nothing in rawbox changes them), so the host value is
 * restored as that constant rather than saved first: STMXCSR is slow on
 * the AMD hosts measured (tens of ns under load), one per operation is
 * enough. */
#include "cpu/simd/fp_host.h"

static const uint32_t host_mxcsr = MXCSR_RESET;

#define HOST(body)                                                              \
    __asm__ volatile("ldmxcsr %[mx]\n\t"                                        \
                     "movq %[a], %%xmm0\n\t"                                    \
                     "movq %[b], %%xmm1\n\t"                                    \
                     body "\n\t"                                                \
                     "stmxcsr %[out]\n\t"                                       \
                     "ldmxcsr %[host]"                                          \
                     : [r] "=m"(res), [out] "=m"(out)                           \
                     : [mx] "m"(hmx), [a] "m"(a), [b] "m"(b), [host] "m"(host_mxcsr) \
                     : "xmm0", "xmm1", "rax", "cc")
#define FF(insn)   HOST(insn " %%xmm1, %%xmm0\n\tmovq %%xmm0, %[r]")
#define CMP(insn, n) HOST(insn " $" #n ", %%xmm1, %%xmm0\n\tmovq %%xmm0, %[r]")
/* EFLAGS image: ZF bit 6, PF bit 2, CF bit 0 (and OF/SF/AF, cleared). */
#define COMI(insn) HOST(insn " %%xmm1, %%xmm0\n\tpushfq\n\tpopq %%rax\n\tmovq %%rax, %[r]")
#define TOINT(insn, reg) HOST("xor %%eax, %%eax\n\t" insn " %%xmm1, " reg "\n\tmovq %%rax, %[r]")
#define FROMINT(insn, reg) HOST("movq %[b], %%rax\n\t" insn " " reg ", %%xmm0\n\tmovq %%xmm0, %[r]")

uint32_t fp_host_raw(enum fp_hop op, uint64_t a, uint64_t b, uint64_t *r, uint32_t mxcsr)
{
    uint32_t out = 0;
    uint32_t hmx = (mxcsr & (MXCSR_RC | MXCSR_DAZ | MXCSR_FZ)) | MXCSR_MASKS;
    uint64_t res = 0;

    switch (op) {
    case FP_ADDSS: FF("addss"); break;
    case FP_ADDSD: FF("addsd"); break;
    case FP_SUBSS: FF("subss"); break;
    case FP_SUBSD: FF("subsd"); break;
    case FP_MULSS: FF("mulss"); break;
    case FP_MULSD: FF("mulsd"); break;
    case FP_DIVSS: FF("divss"); break;
    case FP_DIVSD: FF("divsd"); break;
    case FP_MINSS: FF("minss"); break;
    case FP_MINSD: FF("minsd"); break;
    case FP_MAXSS: FF("maxss"); break;
    case FP_MAXSD: FF("maxsd"); break;
    case FP_SQRTSS: FF("sqrtss"); break;
    case FP_SQRTSD: FF("sqrtsd"); break;
    case FP_RCPSS: FF("rcpss"); break;
    case FP_RSQRTSS: FF("rsqrtss"); break;
    case FP_CMPSS0: CMP("cmpss", 0); break;
    case FP_CMPSS1: CMP("cmpss", 1); break;
    case FP_CMPSS2: CMP("cmpss", 2); break;
    case FP_CMPSS3: CMP("cmpss", 3); break;
    case FP_CMPSS4: CMP("cmpss", 4); break;
    case FP_CMPSS5: CMP("cmpss", 5); break;
    case FP_CMPSS6: CMP("cmpss", 6); break;
    case FP_CMPSS7: CMP("cmpss", 7); break;
    case FP_CMPSD0: CMP("cmpsd", 0); break;
    case FP_CMPSD1: CMP("cmpsd", 1); break;
    case FP_CMPSD2: CMP("cmpsd", 2); break;
    case FP_CMPSD3: CMP("cmpsd", 3); break;
    case FP_CMPSD4: CMP("cmpsd", 4); break;
    case FP_CMPSD5: CMP("cmpsd", 5); break;
    case FP_CMPSD6: CMP("cmpsd", 6); break;
    case FP_CMPSD7: CMP("cmpsd", 7); break;
    case FP_COMISS: COMI("comiss"); break;
    case FP_UCOMISS: COMI("ucomiss"); break;
    case FP_COMISD: COMI("comisd"); break;
    case FP_UCOMISD: COMI("ucomisd"); break;
    case FP_CVTSS2SD: FF("cvtss2sd"); break;
    case FP_CVTSD2SS: FF("cvtsd2ss"); break;
    case FP_CVTSI2SS: FROMINT("cvtsi2ssl", "%%eax"); break;
    case FP_CVTSI2SS64: FROMINT("cvtsi2ssq", "%%rax"); break;
    case FP_CVTSI2SD: FROMINT("cvtsi2sdl", "%%eax"); break;
    case FP_CVTSI2SD64: FROMINT("cvtsi2sdq", "%%rax"); break;
    case FP_CVTSS2SI: TOINT("cvtss2si", "%%eax"); break;
    case FP_CVTSS2SI64: TOINT("cvtss2si", "%%rax"); break;
    case FP_CVTTSS2SI: TOINT("cvttss2si", "%%eax"); break;
    case FP_CVTTSS2SI64: TOINT("cvttss2si", "%%rax"); break;
    case FP_CVTSD2SI: TOINT("cvtsd2si", "%%eax"); break;
    case FP_CVTSD2SI64: TOINT("cvtsd2si", "%%rax"); break;
    case FP_CVTTSD2SI: TOINT("cvttsd2si", "%%eax"); break;
    case FP_CVTTSD2SI64: TOINT("cvttsd2si", "%%rax"); break;
    case FP_HOP_COUNT: break;
    }
    *r = res;
    return out & MXCSR_FLAGS;
}

/* The whole register at once: xmm0 = d, xmm1 = s, d = xmm0. */
#define PACKED(body)                                                            \
    __asm__ volatile("ldmxcsr %[mx]\n\t"                                        \
                     "movdqu %[d], %%xmm0\n\t"                                  \
                     "movdqu %[s], %%xmm1\n\t"                                  \
                     body " %%xmm1, %%xmm0\n\t"                                 \
                     "movdqu %%xmm0, %[d]\n\t"                                  \
                     "stmxcsr %[out]\n\t"                                       \
                     "ldmxcsr %[host]"                                          \
                     : [d] "+m"(*d), [out] "=m"(out)                            \
                     : [s] "m"(*s), [mx] "m"(hmx), [host] "m"(host_mxcsr)       \
                     : "xmm0", "xmm1")

uint32_t fp_host_packed(enum fp_hop op, union xmm *d, const union xmm *s, uint32_t mxcsr)
{
    uint32_t out = 0;
    uint32_t hmx = (mxcsr & (MXCSR_RC | MXCSR_DAZ | MXCSR_FZ)) | MXCSR_MASKS;

    switch (op) {
    case FP_ADDSS: PACKED("addps"); break;
    case FP_ADDSD: PACKED("addpd"); break;
    case FP_SUBSS: PACKED("subps"); break;
    case FP_SUBSD: PACKED("subpd"); break;
    case FP_MULSS: PACKED("mulps"); break;
    case FP_MULSD: PACKED("mulpd"); break;
    case FP_DIVSS: PACKED("divps"); break;
    case FP_DIVSD: PACKED("divpd"); break;
    case FP_MINSS: PACKED("minps"); break;
    case FP_MINSD: PACKED("minpd"); break;
    case FP_MAXSS: PACKED("maxps"); break;
    case FP_MAXSD: PACKED("maxpd"); break;
    case FP_SQRTSS: PACKED("sqrtps"); break;
    case FP_SQRTSD: PACKED("sqrtpd"); break;
    case FP_RCPSS: PACKED("rcpps"); break;
    case FP_RSQRTSS: PACKED("rsqrtps"); break;
    case FP_CMPSS0: PACKED("cmpps $0,"); break;
    case FP_CMPSS1: PACKED("cmpps $1,"); break;
    case FP_CMPSS2: PACKED("cmpps $2,"); break;
    case FP_CMPSS3: PACKED("cmpps $3,"); break;
    case FP_CMPSS4: PACKED("cmpps $4,"); break;
    case FP_CMPSS5: PACKED("cmpps $5,"); break;
    case FP_CMPSS6: PACKED("cmpps $6,"); break;
    case FP_CMPSS7: PACKED("cmpps $7,"); break;
    case FP_CMPSD0: PACKED("cmppd $0,"); break;
    case FP_CMPSD1: PACKED("cmppd $1,"); break;
    case FP_CMPSD2: PACKED("cmppd $2,"); break;
    case FP_CMPSD3: PACKED("cmppd $3,"); break;
    case FP_CMPSD4: PACKED("cmppd $4,"); break;
    case FP_CMPSD5: PACKED("cmppd $5,"); break;
    case FP_CMPSD6: PACKED("cmppd $6,"); break;
    case FP_CMPSD7: PACKED("cmppd $7,"); break;
    /* The XMM packed conversions, named by their lane operation. */
    case FP_CVTSS2SD: PACKED("cvtps2pd"); break;
    case FP_CVTSD2SS: PACKED("cvtpd2ps"); break;
    case FP_CVTSI2SS: PACKED("cvtdq2ps"); break;
    case FP_CVTSS2SI: PACKED("cvtps2dq"); break;
    case FP_CVTTSS2SI: PACKED("cvttps2dq"); break;
    case FP_CVTSI2SD: PACKED("cvtdq2pd"); break;
    case FP_CVTSD2SI: PACKED("cvtpd2dq"); break;
    case FP_CVTTSD2SI: PACKED("cvttpd2dq"); break;
    default: return FP_NOT_PACKED;
    }
    return out & MXCSR_FLAGS;
}

enum fp_kind { KIND_F32, KIND_F64, KIND_INRANGE, KIND_INT };
static const unsigned char hop_kind[FP_HOP_COUNT] = {
#define FP_HOP_KIND_(name, kind) [FP_##name] = KIND_##kind,
    FP_HOPS(FP_HOP_KIND_)
#undef FP_HOP_KIND_
};

/* The two binary formats, for taking operands apart. */
struct fmt {
    unsigned mant;      /* fraction bits */
    int bias;
    uint64_t sign;
};
static const struct fmt F32 = { 23, 127, 1ull << 31 };
static const struct fmt F64 = { 52, 1023, 1ull << 63 };

/* A finite nonzero x as sign, unbiased exponent and significand with the
 * leading one at bit mant (denormals normalised). */
struct parts {
    uint64_t sign, sig;
    int exp;
};

static struct parts unpack(const struct fmt *t, uint64_t x)
{
    struct parts p;
    uint64_t fmask = (1ull << t->mant) - 1;
    int e = (int)((x & (t->sign - 1)) >> t->mant);
    p.sign = x & t->sign;
    p.sig = x & fmask;
    if (e) {
        p.sig |= 1ull << t->mant;
        p.exp = e - t->bias;
    } else {
        p.exp = 1 - t->bias;
        while (p.sig && !(p.sig >> t->mant))
            p.sig <<= 1, p.exp--;
    }
    return p;
}

/* The normal number sign * sig * 2^exp (exp within the normal range). */
static uint64_t pack(const struct fmt *t, uint64_t sign, int exp, uint64_t sig)
{
    return sign | (uint64_t)(exp + t->bias) << t->mant | (sig & ((1ull << t->mant) - 1));
}

static int is_zero(const struct fmt *t, uint64_t x)
{
    return !(x & (t->sign - 1));
}

/* For a lane that overflowed or underflowed: is the result, rounded to the
 * destination precision with an unbounded exponent, inexact? The operands
 * are moved into range by powers of two, which changes the exponent of the
 * exact result and nothing else, and the host rounds that (guest RC). */
static int unbounded_inexact(enum fp_hop op, uint64_t a, uint64_t b, uint32_t mxcsr)
{
    const struct fmt *t = hop_kind[op] == KIND_F32 ? &F32 : &F64;
    uint32_t mx = mxcsr & MXCSR_RC;
    uint64_t r;

    if (op == FP_CVTSD2SS)      /* double to single: 29 bits dropped */
        return (unpack(&F64, b).sig & 0x1fffffffull) != 0;
    if (is_zero(t, a) || is_zero(t, b))
        return 0;
    struct parts pa = unpack(t, a), pb = unpack(t, b);
    switch (op) {
    case FP_MULSS: case FP_MULSD: case FP_DIVSS: case FP_DIVSD:
        /* Significands in [1, 2): the product or quotient rounds alike. */
        return (fp_host_raw(op, pack(t, pa.sign, 0, pa.sig), pack(t, pb.sign, 0, pb.sig), &r, mx)
                & MXCSR_PE) != 0;
    case FP_ADDSS: case FP_ADDSD: case FP_SUBSS: case FP_SUBSD: {
        int k = pa.exp > pb.exp ? pa.exp : pb.exp;
        int lo = pa.exp < pb.exp ? pa.exp : pb.exp;
        if (lo < k - (int)t->mant - 3)
            return 1;           /* the smaller is below the sticky bit */
        return (fp_host_raw(op, pack(t, pa.sign, pa.exp - k, pa.sig),
                            pack(t, pb.sign, pb.exp - k, pb.sig), &r, mx) & MXCSR_PE) != 0;
    }
    default:
        return 1;
    }
}

/* A nonzero denormal: an exact result that is tiny (SDM vol. 1 11.5.2.5). */
static int is_denormal(enum fp_kind k, uint64_t r)
{
    if (k == KIND_F32)
        return (r & 0x7f800000u) == 0 && (r & 0x007fffffu) != 0;
    return (r & 0x7ff0000000000000ull) == 0 && (r & 0x000fffffffffffffull) != 0;
}

uint32_t fp_lane(enum fp_hop op, uint64_t a, uint64_t b, uint64_t *r, uint32_t mxcsr)
{
    uint32_t f = fp_host_raw(op, a, b, r, mxcsr);
    uint32_t um = fp_unmasked(mxcsr);
    enum fp_kind k = hop_kind[op];

    if (k != KIND_F32 && k != KIND_F64)
        return f;
    /* Unmasked underflow: tininess alone raises UE, inexact or not (SDM
     * vol. 1 11.5.2.5). The masked run flagged UE for every tiny inexact
     * result, and under FZ for every tiny result (flushing is inexact); an
     * exact tiny result without FZ is a denormal. Under an unmasked UE
     * FZ does not apply, but nothing is written then, and PE is
     * recomputed below, so the flushed run needs no repeat. */
    if ((um & MXCSR_UE) && !(f & MXCSR_UE) && is_denormal(k, *r))
        f |= MXCSR_UE;
    /* An unmasked OE or UE reports PE by the unbounded-exponent result,
     * as the scaled result an x87 handler would get (see fp_host.h). */
    if ((um & f & (MXCSR_OE | MXCSR_UE))) {
        f &= ~MXCSR_PE;
        if (unbounded_inexact(op, a, b, mxcsr))
            f |= MXCSR_PE;
    }
    return f;
}

uint32_t fp_decide(const uint32_t *f, unsigned n, uint32_t mxcsr)
{
    uint32_t um = fp_unmasked(mxcsr), pre = 0, all = 0;
    for (unsigned i = 0; i < n; i++) {
        pre |= f[i] & (MXCSR_IE | MXCSR_DE | MXCSR_ZE);
        all |= f[i];
    }
    /* SDM vol. 1 11.5.1: an unmasked pre-computation exception in any lane
     * stops the instruction before any post-computation exception. */
    if (pre & um)
        return pre | SIMD_FP_FAULT;
    if (all & um)
        return all | SIMD_FP_FAULT;
    return all;
}
