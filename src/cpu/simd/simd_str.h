/* SSE4.2 string compares (PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM), CRC32
 * and POPCNT as pure functions (SDM vol. 2 PCMPESTRI ... and 4.1 "Imm8
 * Control Byte Operation for PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM";
 * CRC32; POPCNT). No SIMD floating-point exceptions; the m128 operand of
 * the string compares needs no 16-byte alignment.
 *
 * a is the first operand (xmm1), b the second (xmm2/m128). EFLAGS results
 * are returned as an image of CF (bit 0), ZF (6), SF (7) and OF (11); the
 * handler sets those and clears AF and PF. */
#ifndef RAWBOX_CPU_SIMD_STR_H
#define RAWBOX_CPU_SIMD_STR_H

#include <stdint.h>

#include "cpu/xmm.h"

/* Explicit lengths come from EAX/EDX (RAX/RDX with REX.W): the caller
 * passes them sign-extended to 64 bits. */
uint32_t simd_pcmpestri(const union xmm *a, const union xmm *b, int64_t la, int64_t lb,
                        uint8_t imm, unsigned *eflags);
void simd_pcmpestrm(union xmm *xmm0, const union xmm *a, const union xmm *b, int64_t la,
                    int64_t lb, uint8_t imm, unsigned *eflags);
uint32_t simd_pcmpistri(const union xmm *a, const union xmm *b, uint8_t imm, unsigned *eflags);
void simd_pcmpistrm(union xmm *xmm0, const union xmm *a, const union xmm *b, uint8_t imm,
                    unsigned *eflags);

/* CRC32 (CRC-32C, Castagnoli): crc updated with the low `bytes` bytes of
 * data (1, 2, 4 or 8), least significant byte first. The 64-bit form
 * zero-extends the result into the 64-bit destination. */
uint32_t simd_crc32(uint32_t crc, uint64_t data, unsigned bytes);

/* POPCNT: the number of set bits; the handler sets ZF = (source == 0)
 * and clears OF, SF, AF, CF and PF. */
unsigned simd_popcnt(uint64_t v);

#endif
