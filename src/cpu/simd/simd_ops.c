/* Sub-operation tables of the SIMD semantics (simd_ops.h). */
#include "cpu/simd/simd_ops.h"

#define FN_(name, isa) [SIMD_OP_##name] = simd_##name,
#define NAME_(name, isa) [SIMD_OP_##name] = #name,

const simd_int_bin_fn simd_int_bin[SIMD_INT_BIN_COUNT] = {
    SIMD_INT_BINOPS(FN_) SIMD_INT_BINOPS_XMM(FN_)
};
const simd_int_imm_fn simd_int_imm[SIMD_INT_IMM_COUNT] = {
    SIMD_INT_IMMOPS(FN_) SIMD_INT_IMMOPS_XMM(FN_)
};
const simd_fp_fn simd_fp[SIMD_FP_COUNT] = { SIMD_FP_OPS(FN_) };
const simd_fp_imm_fn simd_fp_imm[SIMD_FP_IMM_COUNT] = { SIMD_FP_IMMOPS(FN_) };
const simd_blendv_fn simd_blendv[SIMD_BLENDV_COUNT] = {
    [SIMD_BLENDV_pblendvb] = simd_pblendvb,
    [SIMD_BLENDV_blendvps] = simd_blendvps,
    [SIMD_BLENDV_blendvpd] = simd_blendvpd,
};

const char *const simd_int_bin_name[SIMD_INT_BIN_COUNT] = {
    SIMD_INT_BINOPS(NAME_) SIMD_INT_BINOPS_XMM(NAME_)
};
const char *const simd_int_imm_name[SIMD_INT_IMM_COUNT] = {
    SIMD_INT_IMMOPS(NAME_) SIMD_INT_IMMOPS_XMM(NAME_)
};
const char *const simd_fp_name[SIMD_FP_COUNT] = { SIMD_FP_OPS(NAME_) };
const char *const simd_fp_imm_name[SIMD_FP_IMM_COUNT] = { SIMD_FP_IMMOPS(NAME_) };
