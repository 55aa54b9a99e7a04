/* SIMD floating-point semantics (SSE, SSE2, SSE3, SSE4.1) as pure
 * functions on union xmm (src/cpu/xmm.h), with the exact MXCSR behaviour:
 * rounding control, DAZ, FZ, and masked and unmasked exceptions
 * (SDM vol. 1 11.5; how they are computed: fp_host.h).
 *
 * Every function takes the guest's MXCSR and returns the exception flags
 * (MXCSR_IE..MXCSR_PE) the instruction raises, which the caller ORs into
 * MXCSR in every case, plus SIMD_FP_FAULT when one of them is unmasked: then
 * the destination (d, or the integer/EFLAGS output) has NOT been written and
 * the caller raises #XM if CR4.OSXMMEXCPT is set, #UD if not (SDM vol. 3
 * 6.15, interrupt 19). Without SIMD_FP_FAULT the destination holds the
 * result.
 *
 * Two-operand forms compute d = d OP s (legacy SSE encodings). Scalar forms
 * (ss/sd) change lane 0 of d only. MMX operands (CVTPI2PS etc.) are a union
 * xmm whose low 8 bytes are the mm value. */
#ifndef RAWBOX_CPU_SIMD_FP_H
#define RAWBOX_CPU_SIMD_FP_H

#include <stdint.h>

#include "cpu/xmm.h"

#define SIMD_FP_FAULT 0x80000000u

/* d = d OP s, or d = OP(s) for the one-source forms (sqrt, rcp, cvt). */
#define SIMD_FP_OPS(X)                                                          \
    X(addps, SSE) X(addss, SSE) X(addpd, SSE2) X(addsd, SSE2)                   \
    X(subps, SSE) X(subss, SSE) X(subpd, SSE2) X(subsd, SSE2)                   \
    X(mulps, SSE) X(mulss, SSE) X(mulpd, SSE2) X(mulsd, SSE2)                   \
    X(divps, SSE) X(divss, SSE) X(divpd, SSE2) X(divsd, SSE2)                   \
    X(minps, SSE) X(minss, SSE) X(minpd, SSE2) X(minsd, SSE2)                   \
    X(maxps, SSE) X(maxss, SSE) X(maxpd, SSE2) X(maxsd, SSE2)                   \
    X(sqrtps, SSE) X(sqrtss, SSE) X(sqrtpd, SSE2) X(sqrtsd, SSE2)               \
    X(rcpps, SSE) X(rcpss, SSE) X(rsqrtps, SSE) X(rsqrtss, SSE)                 \
    X(addsubps, SSE3) X(addsubpd, SSE3) X(haddps, SSE3) X(haddpd, SSE3)         \
    X(hsubps, SSE3) X(hsubpd, SSE3)                                             \
    X(cvtps2pd, SSE2) X(cvtpd2ps, SSE2) X(cvtss2sd, SSE2) X(cvtsd2ss, SSE2)     \
    X(cvtdq2ps, SSE2) X(cvtps2dq, SSE2) X(cvttps2dq, SSE2)                      \
    X(cvtdq2pd, SSE2) X(cvtpd2dq, SSE2) X(cvttpd2dq, SSE2)                      \
    X(cvtpi2ps, SSE) X(cvtps2pi, SSE) X(cvttps2pi, SSE)                         \
    X(cvtpi2pd, SSE2) X(cvtpd2pi, SSE2) X(cvttpd2pi, SSE2)

/* d = f(d, s, imm8): compare predicates 0-7 (legacy encodings; imm8 bits
 * 7:3 are ignored), rounding, dot products. */
#define SIMD_FP_IMMOPS(X)                                                       \
    X(cmpps, SSE) X(cmpss, SSE) X(cmppd, SSE2) X(cmpsd, SSE2)                   \
    X(roundps, SSE41) X(roundss, SSE41) X(roundpd, SSE41) X(roundsd, SSE41)     \
    X(dpps, SSE41) X(dppd, SSE41)

#define SIMD_FP_DECLARE_(name, isa) \
    uint32_t simd_##name(union xmm *d, const union xmm *s, uint32_t mxcsr);
#define SIMD_FP_DECLARE_IMM_(name, isa) \
    uint32_t simd_##name(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mxcsr);
SIMD_FP_OPS(SIMD_FP_DECLARE_)
SIMD_FP_IMMOPS(SIMD_FP_DECLARE_IMM_)
#undef SIMD_FP_DECLARE_
#undef SIMD_FP_DECLARE_IMM_

/* COMISS/UCOMISS/COMISD/UCOMISD: *eflags gets ZF/PF/CF in their EFLAGS
 * positions (bits 6, 2, 0), OF/SF/AF clear; unordered is ZF=PF=CF=1. */
uint32_t simd_comiss(unsigned *eflags, const union xmm *d, const union xmm *s, uint32_t mxcsr);
uint32_t simd_ucomiss(unsigned *eflags, const union xmm *d, const union xmm *s, uint32_t mxcsr);
uint32_t simd_comisd(unsigned *eflags, const union xmm *d, const union xmm *s, uint32_t mxcsr);
uint32_t simd_ucomisd(unsigned *eflags, const union xmm *d, const union xmm *s, uint32_t mxcsr);

/* Integer <-> scalar conversions with a general register or memory integer
 * (w64: the REX.W form). CVT(T)SS2SI/SD2SI return the integer indefinite
 * (0x80000000 or 0x8000000000000000) for NaN and out-of-range inputs under
 * a masked IE. */
uint32_t simd_cvtsi2ss(union xmm *d, uint64_t v, int w64, uint32_t mxcsr);
uint32_t simd_cvtsi2sd(union xmm *d, uint64_t v, int w64, uint32_t mxcsr);
uint32_t simd_cvtss2si(uint64_t *r, const union xmm *s, int w64, uint32_t mxcsr);
uint32_t simd_cvttss2si(uint64_t *r, const union xmm *s, int w64, uint32_t mxcsr);
uint32_t simd_cvtsd2si(uint64_t *r, const union xmm *s, int w64, uint32_t mxcsr);
uint32_t simd_cvttsd2si(uint64_t *r, const union xmm *s, int w64, uint32_t mxcsr);

#endif
