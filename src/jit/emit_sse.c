/* SSE/SSE2 on XMM registers (legacy encodings: mandatory prefix, REX,
 * 0F opcode; no VEX), MXCSR, FXSAVE/FXRSTOR and the x87 control
 * instructions the translator needs around host FPU use. Intel SDM vol. 2
 * instruction pages and 2.2.1 (REX before the opcode, after the mandatory
 * prefix). */
#include "jit/emit_enc.h"

static bool sse_known(enum jit_sse op)
{
    switch (op) {
    case JIT_MOVUPS: case JIT_MOVUPD: case JIT_MOVSS: case JIT_MOVSD:
    case JIT_MOVAPS: case JIT_MOVAPD: case JIT_MOVDQA: case JIT_MOVDQU:
    case JIT_SQRTPS: case JIT_SQRTPD: case JIT_SQRTSS: case JIT_SQRTSD:
    case JIT_ANDPS: case JIT_ANDPD: case JIT_ANDNPS: case JIT_ANDNPD:
    case JIT_ORPS: case JIT_ORPD: case JIT_XORPS: case JIT_XORPD:
    case JIT_ADDPS: case JIT_ADDPD: case JIT_ADDSS: case JIT_ADDSD:
    case JIT_MULPS: case JIT_MULPD: case JIT_MULSS: case JIT_MULSD:
    case JIT_SUBPS: case JIT_SUBPD: case JIT_SUBSS: case JIT_SUBSD:
    case JIT_MINPS: case JIT_MINPD: case JIT_MINSS: case JIT_MINSD:
    case JIT_DIVPS: case JIT_DIVPD: case JIT_DIVSS: case JIT_DIVSD:
    case JIT_MAXPS: case JIT_MAXPD: case JIT_MAXSS: case JIT_MAXSD:
    case JIT_UCOMISS: case JIT_UCOMISD: case JIT_COMISS: case JIT_COMISD:
    case JIT_CVTSS2SD: case JIT_CVTSD2SS:
    case JIT_PADDB: case JIT_PADDW: case JIT_PADDD: case JIT_PADDQ:
    case JIT_PSUBB: case JIT_PSUBW: case JIT_PSUBD: case JIT_PSUBQ:
    case JIT_PAND: case JIT_PANDN: case JIT_POR: case JIT_PXOR:
        return true;
    default:
        return false;
    }
}

/* The prefix byte of the op goes before REX, the low byte after 0F. */
static struct enc sse_enc(unsigned op)
{
    unsigned pfx = op >> 8;
    return (struct enc){
        .osize = pfx == 0x66 ? 0x66 : 0,
        .rep = pfx == 0xF2 || pfx == 0xF3 ? (uint8_t)pfx : 0,
        .op = 0x0F00 | (op & 0xFF),
    };
}

void emit_sse_rr(struct jit_buf *b, enum jit_sse op, enum jit_xmm dst, enum jit_xmm src)
{
    if (enc_check(b, sse_known(op))) {
        struct enc e = enc_r(sse_enc(op), dst, src);
        enc_emit(b, &e);
    }
}

void emit_sse_rm(struct jit_buf *b, enum jit_sse op, enum jit_xmm dst, struct jit_mem m)
{
    if (enc_check(b, sse_known(op))) {
        struct enc e = enc_m(sse_enc(op), dst, m);
        enc_emit(b, &e);
    }
}

void emit_sse_mr(struct jit_buf *b, enum jit_sse op, struct jit_mem m, enum jit_xmm src)
{
    unsigned low = op & 0xFF;
    /* Loads 10/28/6F store as 11/29/7F. */
    unsigned store = low == 0x10 ? 0x11 : low == 0x28 ? 0x29 : low == 0x6F ? 0x7F : 0;
    if (enc_check(b, sse_known(op) && store)) {
        struct enc e = enc_m(sse_enc((op & 0xFF00) | store), src, m);
        enc_emit(b, &e);
    }
}

void emit_sse_any(struct jit_buf *b, unsigned pfx, unsigned map, unsigned op, int reg, int rm,
                  struct jit_mem m, unsigned immlen, uint8_t imm)
{
    if (!enc_check(b, map >= 1 && map <= 3 && op <= 0xFF && immlen <= 1 &&
                          (pfx == 0 || pfx == 0x66 || pfx == 0xF2 || pfx == 0xF3)))
        return;
    static const uint32_t esc[4] = { 0, 0x0F00, 0x0F3800, 0x0F3A00 };
    struct enc e = {
        .osize = pfx == 0x66 ? 0x66 : 0,
        .rep = pfx == 0xF2 || pfx == 0xF3 ? (uint8_t)pfx : 0,
        .op = esc[map] | op,
    };
    e = rm >= 0 ? enc_r(e, reg, rm) : enc_m(e, reg, m);
    e = enc_i(e, immlen, imm);
    enc_emit(b, &e);
}

void emit_movdqu_xm(struct jit_buf *b, enum jit_xmm dst, struct jit_mem m)
{
    emit_sse_rm(b, JIT_MOVDQU, dst, m);
}

void emit_movdqu_mx(struct jit_buf *b, struct jit_mem m, enum jit_xmm src)
{
    emit_sse_mr(b, JIT_MOVDQU, m, src);
}

/* ---- conversions with a GPR: F3/F2 [REX.W] 0F 2A/2C/2D ---- */

static bool cvt_ok(struct jit_buf *b, enum jit_sse op, unsigned isize, bool to_float)
{
    bool ok = to_float ? op == JIT_CVTSI2SS || op == JIT_CVTSI2SD
                       : op == JIT_CVTSS2SI || op == JIT_CVTSD2SI ||
                         op == JIT_CVTTSS2SI || op == JIT_CVTTSD2SI;
    return enc_check(b, ok) && enc_size(b, isize, S32 | S64);
}

static struct enc cvt_enc(unsigned op, unsigned isize)
{
    struct enc e = sse_enc(op);
    e.w = isize == 64;
    return e;
}

void emit_cvt_i2f_rr(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_xmm dst, enum jit_reg src)
{
    if (cvt_ok(b, op, isize, true)) {
        struct enc e = enc_r(cvt_enc(op, isize), dst, src);
        enc_emit(b, &e);
    }
}

void emit_cvt_i2f_rm(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_xmm dst, struct jit_mem m)
{
    if (cvt_ok(b, op, isize, true)) {
        struct enc e = enc_m(cvt_enc(op, isize), dst, m);
        enc_emit(b, &e);
    }
}

void emit_cvt_f2i_rr(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_reg dst, enum jit_xmm src)
{
    if (cvt_ok(b, op, isize, false)) {
        struct enc e = enc_r(cvt_enc(op, isize), dst, src);
        enc_emit(b, &e);
    }
}

void emit_cvt_f2i_rm(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_reg dst, struct jit_mem m)
{
    if (cvt_ok(b, op, isize, false)) {
        struct enc e = enc_m(cvt_enc(op, isize), dst, m);
        enc_emit(b, &e);
    }
}

/* ---- MOVD/MOVQ: 66 [REX.W] 0F 6E/7E with a GPR; F3 0F 7E and 66 0F D6
 * for MOVQ with memory or between XMM registers ---- */

void emit_movd_xr(struct jit_buf *b, unsigned size, enum jit_xmm dst, enum jit_reg src)
{
    if (enc_size(b, size, S32 | S64)) {
        struct enc e = enc_r(cvt_enc(0x666E, size), dst, src);
        enc_emit(b, &e);
    }
}

void emit_movd_rx(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_xmm src)
{
    /* ModRM.reg is the XMM register in both directions. */
    if (enc_size(b, size, S32 | S64)) {
        struct enc e = enc_r(cvt_enc(0x667E, size), src, dst);
        enc_emit(b, &e);
    }
}

void emit_movd_xm(struct jit_buf *b, unsigned size, enum jit_xmm dst, struct jit_mem m)
{
    if (enc_size(b, size, S32 | S64)) {
        struct enc e = enc_m(sse_enc(size == 32 ? 0x666E : 0xF37E), dst, m);
        enc_emit(b, &e);
    }
}

void emit_movd_mx(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_xmm src)
{
    if (enc_size(b, size, S32 | S64)) {
        struct enc e = enc_m(sse_enc(size == 32 ? 0x667E : 0x66D6), src, m);
        enc_emit(b, &e);
    }
}

void emit_movq_xx(struct jit_buf *b, enum jit_xmm dst, enum jit_xmm src)
{
    struct enc e = enc_r(sse_enc(0xF37E), dst, src);
    enc_emit(b, &e);
}

/* ---- 0F AE group: /0 FXSAVE, /1 FXRSTOR, /2 LDMXCSR, /3 STMXCSR ---- */

static void grp15(struct jit_buf *b, int digit, bool w, struct jit_mem m)
{
    struct enc e = enc_xm((struct enc){ .op = 0x0FAE, .w = w }, digit, m);
    enc_emit(b, &e);
}

void emit_fxsave(struct jit_buf *b, struct jit_mem m)
{
    grp15(b, 0, false, m);
}

void emit_fxrstor(struct jit_buf *b, struct jit_mem m)
{
    grp15(b, 1, false, m);
}

void emit_fxsave64(struct jit_buf *b, struct jit_mem m)
{
    grp15(b, 0, true, m);
}

void emit_fxrstor64(struct jit_buf *b, struct jit_mem m)
{
    grp15(b, 1, true, m);
}

void emit_ldmxcsr(struct jit_buf *b, struct jit_mem m)
{
    grp15(b, 2, false, m);
}

void emit_stmxcsr(struct jit_buf *b, struct jit_mem m)
{
    grp15(b, 3, false, m);
}

/* ---- x87 control: the FN forms do not wait for pending exceptions ---- */

static void x87_m(struct jit_buf *b, uint32_t op, int digit, struct jit_mem m)
{
    struct enc e = enc_xm((struct enc){ .op = op }, digit, m);
    enc_emit(b, &e);
}

static void x87(struct jit_buf *b, uint32_t op)
{
    struct enc e = { .op = op };
    enc_emit(b, &e);
}

void emit_fldcw(struct jit_buf *b, struct jit_mem m)
{
    x87_m(b, 0xD9, 5, m);
}

void emit_fnstcw(struct jit_buf *b, struct jit_mem m)
{
    x87_m(b, 0xD9, 7, m);
}

void emit_fnstsw_m(struct jit_buf *b, struct jit_mem m)
{
    x87_m(b, 0xDD, 7, m);
}

void emit_fnstsw_ax(struct jit_buf *b)
{
    x87(b, 0xDFE0);
}

void emit_fnclex(struct jit_buf *b)
{
    x87(b, 0xDBE2);
}

void emit_fninit(struct jit_buf *b)
{
    x87(b, 0xDBE3);
}

void emit_fwait(struct jit_buf *b)
{
    x87(b, 0x9B);
}

void emit_frstor(struct jit_buf *b, struct jit_mem m)
{
    x87_m(b, 0xDD, 4, m);
}

void emit_fnsave(struct jit_buf *b, struct jit_mem m)
{
    x87_m(b, 0xDD, 6, m);
}

void emit_x87_reg(struct jit_buf *b, unsigned esc, uint8_t modrm)
{
    if (enc_check(b, esc < 8 && modrm >= 0xC0)) {
        const uint8_t bytes[2] = { (uint8_t)(0xD8 + esc), modrm };
        enc_raw(b, bytes, 2);
    }
}

void emit_x87_mem(struct jit_buf *b, unsigned esc, int digit, struct jit_mem m)
{
    if (enc_check(b, esc < 8 && digit >= 0 && digit < 8))
        x87_m(b, 0xD8 + esc, digit, m);
}
