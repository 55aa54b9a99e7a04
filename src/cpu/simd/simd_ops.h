/* The SIMD semantics as tables indexed by a sub-operation number, for the
 * opcode table's `sub` column: a row names e.g. SIMD_OP_paddb and its
 * handler calls simd_int_bin[sub](d, s, len) after fetching the operands,
 * so one handler serves every op of one signature. Generated from the
 * X-macro lists of simd_int.h and simd_fp.h; the names are the mnemonics
 * (for traces and the differential test's coverage report). */
#ifndef RAWBOX_CPU_SIMD_OPS_H
#define RAWBOX_CPU_SIMD_OPS_H

#include "cpu/simd/simd_fp.h"
#include "cpu/simd/simd_int.h"

#define SIMD_OP_ENUM_(name, isa) SIMD_OP_##name,

/* d = d OP s (integer and bit-moving ops; MMX and XMM). */
enum simd_int_bin_op {
    SIMD_INT_BINOPS(SIMD_OP_ENUM_)
    SIMD_INT_BINOPS_XMM(SIMD_OP_ENUM_)
    SIMD_INT_BIN_COUNT
};
/* d = f(d, s, imm8). */
enum simd_int_imm_op {
    SIMD_INT_IMMOPS(SIMD_OP_ENUM_)
    SIMD_INT_IMMOPS_XMM(SIMD_OP_ENUM_)
    SIMD_INT_IMM_COUNT
};
/* Floating point, returning MXCSR flags | SIMD_FP_FAULT. */
enum simd_fp_op {
    SIMD_FP_OPS(SIMD_OP_ENUM_)
    SIMD_FP_COUNT
};
enum simd_fp_imm_op {
    SIMD_FP_IMMOPS(SIMD_OP_ENUM_)
    SIMD_FP_IMM_COUNT
};

/* Variable blends (SSE4.1): d = s where XMM0's lane sign bit is set. */
enum simd_blendv_op {
    SIMD_BLENDV_pblendvb, SIMD_BLENDV_blendvps, SIMD_BLENDV_blendvpd,
    SIMD_BLENDV_COUNT
};

typedef void (*simd_int_bin_fn)(union xmm *d, const union xmm *s, unsigned len);
typedef void (*simd_int_imm_fn)(union xmm *d, const union xmm *s, unsigned len, uint8_t imm);
typedef uint32_t (*simd_fp_fn)(union xmm *d, const union xmm *s, uint32_t mxcsr);
typedef uint32_t (*simd_fp_imm_fn)(union xmm *d, const union xmm *s, uint8_t imm, uint32_t mxcsr);

extern const simd_int_bin_fn simd_int_bin[SIMD_INT_BIN_COUNT];
extern const simd_int_imm_fn simd_int_imm[SIMD_INT_IMM_COUNT];
extern const simd_fp_fn simd_fp[SIMD_FP_COUNT];
extern const simd_fp_imm_fn simd_fp_imm[SIMD_FP_IMM_COUNT];

typedef void (*simd_blendv_fn)(union xmm *d, const union xmm *s, const union xmm *m);
extern const simd_blendv_fn simd_blendv[SIMD_BLENDV_COUNT];

extern const char *const simd_int_bin_name[SIMD_INT_BIN_COUNT];
extern const char *const simd_int_imm_name[SIMD_INT_IMM_COUNT];
extern const char *const simd_fp_name[SIMD_FP_COUNT];
extern const char *const simd_fp_imm_name[SIMD_FP_IMM_COUNT];

#endif
