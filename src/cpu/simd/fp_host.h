/* The host SSE unit as the arithmetic of one floating-point lane, and the
 * SIMD floating-point exception model on top of it (internal to
 * src/cpu/simd/; the instruction-level API is simd_fp.h).
 *
 * Decision (written down here and in docs/status.md and docs/simd.md): SSE
 * floating point runs on the host's SSE unit under the guest's MXCSR
 * rounding control, DAZ and FZ, as the x87 runs on the host x87
 * (src/cpu/x87_host.c). rawbox supports x86-64 Linux hosts only; every
 * instruction used here is baseline x86-64 (SSE/SSE2 scalar forms), so no
 * -msse4.x is needed: SSE3/SSE4.1 floating-point instructions (HADDPS,
 * ADDSUBPS, DPPS, ROUNDPS) are composed from scalar lane operations whose
 * per-element results the SDM defines exactly (tested bit for bit against
 * the host executing the real instruction).
 *
 * Each lane runs with every exception masked (so the host never traps),
 * and the host's MXCSR flags say which exceptions the lane raised. The
 * exception model of SDM vol. 1 11.5.1-11.5.2 is then applied in C:
 *   - pre-computation exceptions (IE, DE, ZE) of all lanes are checked
 *     first: if one of them is unmasked, the flags of every lane's
 *     pre-computation exceptions are reported and nothing is written;
 *   - otherwise the post-computation flags (OE, UE, PE) join in; if one of
 *     the reported flags is unmasked nothing is written;
 *   - an unmasked UE is raised on tininess alone, even for an exact result
 *     (a denormal result of the masked run), and FZ does not apply (FZ
 *     flushes only when UE is masked; the flushed result is never written
 *     since the instruction faults);
 *   - an unmasked OE or UE reports PE only when the result rounded to
 *     the destination's precision with an unbounded exponent is inexact
 *     (the masked run's PE belongs to the infinity, largest finite number
 *     or denormal it delivers): the lane is re-run on operands scaled
 *     into range, which rounds exactly as the unbounded result would
 *     (IEEE 754's trapped over/underflow; SDM vol. 1 11.5.2.4-5 leaves PE
 *     open; measured on the host, checked by simd_fp_test.c).
 * The caller ORs the returned flags into MXCSR in every case and raises
 * #XM (CR4.OSXMMEXCPT=1) or #UD (=0) when SIMD_FP_FAULT is set. */
#ifndef RAWBOX_CPU_SIMD_FP_HOST_H
#define RAWBOX_CPU_SIMD_FP_HOST_H

#include <stdint.h>

#include "cpu/xmm.h"
#include "cpu/simd/simd_fp.h"

/* Host lane operations. a is the first (destination) operand, b the second
 * (source); single-precision values are in bits 31:0. Result kinds: F32 and
 * F64 are rounded floating-point results that can overflow or underflow;
 * INRANGE ones cannot (MIN/MAX/SQRT/RCP, widening and integer sources); INT
 * is an integer, a compare mask or an EFLAGS image. */
#define FP_HOPS(X)                                                              \
    X(ADDSS, F32) X(ADDSD, F64) X(SUBSS, F32) X(SUBSD, F64)                     \
    X(MULSS, F32) X(MULSD, F64) X(DIVSS, F32) X(DIVSD, F64)                     \
    X(MINSS, INRANGE) X(MINSD, INRANGE) X(MAXSS, INRANGE) X(MAXSD, INRANGE)             \
    X(SQRTSS, INRANGE) X(SQRTSD, INRANGE) X(RCPSS, INRANGE) X(RSQRTSS, INRANGE)         \
    X(CMPSS0, INT) X(CMPSS1, INT) X(CMPSS2, INT) X(CMPSS3, INT)                 \
    X(CMPSS4, INT) X(CMPSS5, INT) X(CMPSS6, INT) X(CMPSS7, INT)                 \
    X(CMPSD0, INT) X(CMPSD1, INT) X(CMPSD2, INT) X(CMPSD3, INT)                 \
    X(CMPSD4, INT) X(CMPSD5, INT) X(CMPSD6, INT) X(CMPSD7, INT)                 \
    X(COMISS, INT) X(UCOMISS, INT) X(COMISD, INT) X(UCOMISD, INT)               \
    X(CVTSS2SD, INRANGE) X(CVTSD2SS, F32)                                         \
    X(CVTSI2SS, INRANGE) X(CVTSI2SS64, INRANGE) X(CVTSI2SD, INRANGE) X(CVTSI2SD64, INRANGE) \
    X(CVTSS2SI, INT) X(CVTSS2SI64, INT) X(CVTTSS2SI, INT) X(CVTTSS2SI64, INT)   \
    X(CVTSD2SI, INT) X(CVTSD2SI64, INT) X(CVTTSD2SI, INT) X(CVTTSD2SI64, INT)

enum fp_hop {
#define FP_HOP_ENUM_(name, kind) FP_##name,
    FP_HOPS(FP_HOP_ENUM_)
#undef FP_HOP_ENUM_
    FP_HOP_COUNT
};

/* One lane on the host with every exception masked: *r gets the result,
 * the return value the MXCSR flags the host raised. */
uint32_t fp_host_raw(enum fp_hop op, uint64_t a, uint64_t b, uint64_t *r, uint32_t mxcsr);

/* Fast path for an instruction whose lanes all run op when every exception
 * is masked (nothing can fault, and the flags are the union of the lanes'):
 * the packed instruction once on the whole register, d written, flags
 * returned; FP_NOT_PACKED (d untouched) for ops without a packed form.
 * A conversion lane op stands for its XMM packed conversion (FP_CVTSS2SD:
 * CVTPS2PD ...); the MMX forms pack differently and never come here. */
#define FP_NOT_PACKED 0xffffffffu
uint32_t fp_host_packed(enum fp_hop op, union xmm *d, const union xmm *s, uint32_t mxcsr);

/* One lane under the guest's MXCSR: fp_host_raw plus the unmasked-UE and
 * unmasked-OE rules above. */
uint32_t fp_lane(enum fp_hop op, uint64_t a, uint64_t b, uint64_t *r, uint32_t mxcsr);

/* The flags to report for an instruction whose lanes raised f[0..n-1], with
 * SIMD_FP_FAULT when the destination must stay unwritten. */
uint32_t fp_decide(const uint32_t *f, unsigned n, uint32_t mxcsr);

static inline uint32_t fp_unmasked(uint32_t mxcsr)
{
    return ~(mxcsr >> MXCSR_MASK_SHIFT) & MXCSR_FLAGS;
}

#endif
