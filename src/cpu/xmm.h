/* The SSE register type shared by the CPU state record (XMM0-15), the SIMD
 * semantics (src/cpu/sse*.c) and tests. Little-endian lanes as the SDM
 * numbers them: b[0] is bits 7:0, q[1] is bits 127:64. */
#ifndef RAWBOX_CPU_XMM_H
#define RAWBOX_CPU_XMM_H

#include <stdint.h>

union xmm {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t d[4];
    uint64_t q[2];
    int8_t sb[16];
    int16_t sw[8];
    int32_t sd[4];
    int64_t sq[2];
    float f32[4];
    double f64[2];
    _Alignas(16) unsigned char align_[16];
};

/* MXCSR bits (SDM vol. 1 10.2.3). */
#define MXCSR_IE    0x0001u     /* exception flags: invalid, denormal, zero-divide, */
#define MXCSR_DE    0x0002u     /* overflow, underflow, precision */
#define MXCSR_ZE    0x0004u
#define MXCSR_OE    0x0008u
#define MXCSR_UE    0x0010u
#define MXCSR_PE    0x0020u
#define MXCSR_FLAGS 0x003fu
#define MXCSR_DAZ   0x0040u     /* denormals are zeros (inputs) */
#define MXCSR_MASKS 0x1f80u     /* IM DM ZM OM UM PM: flags << 7 */
#define MXCSR_MASK_SHIFT 7
#define MXCSR_RC    0x6000u     /* rounding: 0 nearest, 1 down, 2 up, 3 toward zero */
#define MXCSR_RC_SHIFT 13
#define MXCSR_FZ    0x8000u     /* flush to zero (results) */
#define MXCSR_RESET 0x1f80u
/* Bits a guest may set (MXCSR_MASK in the FXSAVE image): DAZ is supported. */
#define MXCSR_WRITABLE 0xffffu

struct cpu;
/* The x87/SSE state as an FXSAVE64 image's bytes 0-27 and 32-415, all 16
 * XMM registers (src/cpu/sse_state.c; for raw mode's host frames). */
void fx_image_save(const struct cpu *cpu, uint8_t *img);
void fx_image_load(struct cpu *cpu, const uint8_t *img);

#endif
