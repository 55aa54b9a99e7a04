/* Packed-integer semantics of MMX, SSE2, SSSE3, SSE4.1 and SSE4.2 as pure
 * functions on union xmm (src/cpu/xmm.h). Nothing here decodes, faults or
 * touches the CPU state: the instruction handler fetches the operands,
 * calls one of these and writes the destination register back.
 *
 * One function serves the MMX and the XMM form of an instruction: `len` is
 * the operand width in bytes, 8 for an MMX register (the low 8 bytes of the
 * union are the 64-bit mm value; bytes 8-15 are ignored and left as they
 * were) and 16 for an XMM register. Where the two forms differ the function
 * follows the SDM's MMX operation for len 8 (PSHUFB's index mask, PALIGNR's
 * concatenation, PMULUDQ's single lane).
 *
 * Every binary op computes d = d OP s, as the legacy two-operand encodings
 * do (SDM vol. 2, one entry per mnemonic). The X-macro lists name every op
 * of one signature so that a table (and the unit test) can walk them. */
#ifndef RAWBOX_CPU_SIMD_INT_H
#define RAWBOX_CPU_SIMD_INT_H

#include <stdint.h>

#include "cpu/xmm.h"

/* d = d OP s; MMX and XMM forms (name, first ISA extension with it). */
#define SIMD_INT_BINOPS(X)                                                       \
    X(paddb, MMX) X(paddw, MMX) X(paddd, MMX) X(paddq, SSE2)                     \
    X(psubb, MMX) X(psubw, MMX) X(psubd, MMX) X(psubq, SSE2)                     \
    X(paddsb, MMX) X(paddsw, MMX) X(paddusb, MMX) X(paddusw, MMX)                \
    X(psubsb, MMX) X(psubsw, MMX) X(psubusb, MMX) X(psubusw, MMX)                \
    X(pmullw, MMX) X(pmulhw, MMX) X(pmulhuw, SSE) X(pmuludq, SSE2)               \
    X(pmaddwd, MMX) X(pavgb, SSE) X(pavgw, SSE) X(psadbw, SSE)                   \
    X(pminub, SSE) X(pmaxub, SSE) X(pminsw, SSE) X(pmaxsw, SSE)                  \
    X(pcmpeqb, MMX) X(pcmpeqw, MMX) X(pcmpeqd, MMX)                              \
    X(pcmpgtb, MMX) X(pcmpgtw, MMX) X(pcmpgtd, MMX)                              \
    X(pand, MMX) X(pandn, MMX) X(por, MMX) X(pxor, MMX)                          \
    X(packsswb, MMX) X(packssdw, MMX) X(packuswb, MMX)                           \
    X(punpcklbw, MMX) X(punpcklwd, MMX) X(punpckldq, MMX)                        \
    X(punpckhbw, MMX) X(punpckhwd, MMX) X(punpckhdq, MMX)                        \
    X(psllw, MMX) X(pslld, MMX) X(psllq, MMX)                                    \
    X(psrlw, MMX) X(psrld, MMX) X(psrlq, MMX) X(psraw, MMX) X(psrad, MMX)        \
    X(pshufb, SSSE3) X(phaddw, SSSE3) X(phaddd, SSSE3) X(phaddsw, SSSE3)         \
    X(phsubw, SSSE3) X(phsubd, SSSE3) X(phsubsw, SSSE3)                          \
    X(pmaddubsw, SSSE3) X(pmulhrsw, SSSE3)                                       \
    X(psignb, SSSE3) X(psignw, SSSE3) X(psignd, SSSE3)                           \
    X(pabsb, SSSE3) X(pabsw, SSSE3) X(pabsd, SSSE3)

/* d = d OP s; XMM only (len must be 16). The float shuffles (UNPCK*PS/PD,
 * MOVHLPS ...) are here too: they move bits and raise no exceptions. */
#define SIMD_INT_BINOPS_XMM(X)                                                   \
    X(punpcklqdq, SSE2) X(punpckhqdq, SSE2)                                      \
    X(pmuldq, SSE41) X(pmulld, SSE41) X(pminsb, SSE41) X(pminsd, SSE41)          \
    X(pminuw, SSE41) X(pminud, SSE41) X(pmaxsb, SSE41) X(pmaxsd, SSE41)          \
    X(pmaxuw, SSE41) X(pmaxud, SSE41) X(pcmpeqq, SSE41) X(packusdw, SSE41)       \
    X(pcmpgtq, SSE42) X(phminposuw, SSE41)                                       \
    X(pmovsxbw, SSE41) X(pmovsxbd, SSE41) X(pmovsxbq, SSE41)                     \
    X(pmovsxwd, SSE41) X(pmovsxwq, SSE41) X(pmovsxdq, SSE41)                     \
    X(pmovzxbw, SSE41) X(pmovzxbd, SSE41) X(pmovzxbq, SSE41)                     \
    X(pmovzxwd, SSE41) X(pmovzxwq, SSE41) X(pmovzxdq, SSE41)                     \
    X(unpcklps, SSE) X(unpckhps, SSE) X(unpcklpd, SSE2) X(unpckhpd, SSE2)        \
    X(movhlps, SSE) X(movlhps, SSE)                                              \
    X(movsldup, SSE3) X(movshdup, SSE3) X(movddup, SSE3)

/* d = f(d, s, imm8). */
#define SIMD_INT_IMMOPS(X)                                                       \
    X(palignr, SSSE3) X(pshufw, SSE)                                             \
    X(psllw_imm, MMX) X(pslld_imm, MMX) X(psllq_imm, MMX)                        \
    X(psrlw_imm, MMX) X(psrld_imm, MMX) X(psrlq_imm, MMX)                        \
    X(psraw_imm, MMX) X(psrad_imm, MMX)

/* d = f(d, s, imm8); XMM only. */
#define SIMD_INT_IMMOPS_XMM(X)                                                   \
    X(pshufd, SSE2) X(pshufhw, SSE2) X(pshuflw, SSE2)                            \
    X(pslldq, SSE2) X(psrldq, SSE2) X(pblendw, SSE41) X(mpsadbw, SSE41)          \
    X(blendps, SSE41) X(blendpd, SSE41) X(insertps, SSE41)                       \
    X(shufps, SSE) X(shufpd, SSE2)

#define SIMD_DECLARE_BIN_(name, isa) \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len);
#define SIMD_DECLARE_IMM_(name, isa) \
    void simd_##name(union xmm *d, const union xmm *s, unsigned len, uint8_t imm);
SIMD_INT_BINOPS(SIMD_DECLARE_BIN_)
SIMD_INT_BINOPS_XMM(SIMD_DECLARE_BIN_)
SIMD_INT_IMMOPS(SIMD_DECLARE_IMM_)
SIMD_INT_IMMOPS_XMM(SIMD_DECLARE_IMM_)
#undef SIMD_DECLARE_BIN_
#undef SIMD_DECLARE_IMM_

/* Variable blends (SSE4.1): the mask is XMM0's sign bits, passed as m. */
void simd_pblendvb(union xmm *d, const union xmm *s, const union xmm *m);
void simd_blendvps(union xmm *d, const union xmm *s, const union xmm *m);
void simd_blendvpd(union xmm *d, const union xmm *s, const union xmm *m);

/* Byte/lane sign masks to a general register (PMOVMSKB, MOVMSKPS/PD). */
uint32_t simd_pmovmskb(const union xmm *s, unsigned len);
uint32_t simd_movmskps(const union xmm *s);
uint32_t simd_movmskpd(const union xmm *s);

/* Element inserts and extracts (PINSRW/PEXTRW exist for MMX too: the lane
 * number is taken modulo the lane count of len). Extracts return the
 * element zero-extended; the handler stores 8/16/32/64 bits of it. */
void simd_pinsrb(union xmm *d, uint32_t v, uint8_t imm);
void simd_pinsrw(union xmm *d, uint32_t v, unsigned len, uint8_t imm);
void simd_pinsrd(union xmm *d, uint32_t v, uint8_t imm);
void simd_pinsrq(union xmm *d, uint64_t v, uint8_t imm);
uint32_t simd_pextrb(const union xmm *s, uint8_t imm);
uint32_t simd_pextrw(const union xmm *s, unsigned len, uint8_t imm);
uint32_t simd_pextrd(const union xmm *s, uint8_t imm);
uint64_t simd_pextrq(const union xmm *s, uint8_t imm);

/* PTEST (SSE4.1): returns ZF and CF as bit 0 and bit 1 (the handler
 * clears OF, AF, SF and PF, SDM vol. 2 PTEST). */
#define SIMD_PTEST_ZF 1u
#define SIMD_PTEST_CF 2u
unsigned simd_ptest(const union xmm *d, const union xmm *s);

#endif
