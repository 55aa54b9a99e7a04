/* Integer arithmetic: group 1 (ADD..CMP), TEST, groups 3-5 (INC DEC NOT
 * NEG MUL IMUL DIV IDIV), group 2 shifts and rotates, SHLD/SHRD, IMUL with
 * two and three operands (Intel SDM vol. 2, the instruction pages and
 * table A-6 for the groups). */
#include "jit/emit_enc.h"

/* ---- group 1: 00-3F and 80-83 ---- */

static bool alu_ok(struct jit_buf *b, enum jit_alu op, unsigned size)
{
    return enc_check(b, op <= JIT_CMP) && enc_size(b, size, S_ALL);
}

void emit_alu_rr(struct jit_buf *b, enum jit_alu op, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    if (alu_ok(b, op, size)) {
        struct enc e = enc_r(enc_sized(size, opw(size, op * 8u + 1)), src, dst);
        enc_emit(b, &e);
    }
}

void emit_alu_rm(struct jit_buf *b, enum jit_alu op, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    if (alu_ok(b, op, size)) {
        struct enc e = enc_m(enc_sized(size, opw(size, op * 8u + 3)), dst, m);
        enc_emit(b, &e);
    }
}

void emit_alu_mr(struct jit_buf *b, enum jit_alu op, unsigned size, struct jit_mem m, enum jit_reg src)
{
    if (alu_ok(b, op, size)) {
        struct enc e = enc_m(enc_sized(size, opw(size, op * 8u + 1)), src, m);
        enc_emit(b, &e);
    }
}

/* 83 /op ib when the value fits a sign-extended byte; else 80/81. */
static struct enc alu_imm(unsigned size, enum jit_alu op, int64_t v)
{
    if (size == 8)
        return enc_i(enc_sized(8, 0x80), 1, v);
    if (fits8(v))
        return enc_i(enc_sized(size, 0x83), 1, v);
    return enc_i(enc_sized(size, 0x81), size == 16 ? 2 : 4, v);
}

void emit_alu_ri(struct jit_buf *b, enum jit_alu op, unsigned size, enum jit_reg dst, int64_t imm)
{
    int64_t v;
    if (!alu_ok(b, op, size) || !enc_check(b, enc_imm(size, imm, &v)))
        return;
    struct enc e = alu_imm(size, op, v);
    if (dst == JIT_RAX && e.op != 0x83) {
        /* 04/05+op*8: AL/AX/EAX/RAX, imm without a ModRM byte. */
        e.op = opw(size, op * 8u + 5);
        e.form = ENC_NONE;
    } else {
        e = enc_xr(e, op, dst);
    }
    enc_emit(b, &e);
}

void emit_alu_mi(struct jit_buf *b, enum jit_alu op, unsigned size, struct jit_mem m, int64_t imm)
{
    int64_t v;
    if (alu_ok(b, op, size) && enc_check(b, enc_imm(size, imm, &v))) {
        struct enc e = enc_xm(alu_imm(size, op, v), op, m);
        enc_emit(b, &e);
    }
}

/* CMP dword m, imm32 in the 81 /7 form whatever the value, so that the
 * immediate can be patched later; returns its offset (the last 4 bytes). */
size_t emit_cmp_mi32_wide(struct jit_buf *b, struct jit_mem m, int32_t imm)
{
    struct enc e = enc_i(enc_xm(enc_sized(32, 0x81), JIT_CMP, m), 4, imm);
    enc_emit(b, &e);
    return emit_offset(b) - 4;
}

/* ---- TEST: 84/85, A8/A9, F6/F7 /0 (no sign-extended imm8 form) ---- */

void emit_test_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_r(enc_sized(size, opw(size, 0x85)), src, dst);
        enc_emit(b, &e);
    }
}

void emit_test_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_m(enc_sized(size, opw(size, 0x85)), src, m);
        enc_emit(b, &e);
    }
}

void emit_test_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, int64_t imm)
{
    int64_t v;
    if (!enc_size(b, size, S_ALL) || !enc_check(b, enc_imm(size, imm, &v)))
        return;
    struct enc e = enc_i(enc_sized(size, opw(size, 0xF7)), size == 64 ? 4 : size / 8, v);
    if (dst == JIT_RAX) {
        e.op = opw(size, 0xA9);
        e.form = ENC_NONE;
    } else {
        e = enc_xr(e, 0, dst);
    }
    enc_emit(b, &e);
}

void emit_test_mi(struct jit_buf *b, unsigned size, struct jit_mem m, int64_t imm)
{
    int64_t v;
    if (enc_size(b, size, S_ALL) && enc_check(b, enc_imm(size, imm, &v))) {
        struct enc e = enc_xm(enc_sized(size, opw(size, 0xF7)), 0, m);
        e = enc_i(e, size == 64 ? 4 : size / 8, v);
        enc_emit(b, &e);
    }
}

/* ---- groups 3 (F6/F7 /2-/7) and 4/5 (FE/FF /0 /1) ---- */

static struct enc unop(unsigned size, enum jit_unop op)
{
    return enc_sized(size, opw(size, op <= JIT_DEC ? 0xFF : 0xF7));
}

void emit_unop_r(struct jit_buf *b, enum jit_unop op, unsigned size, enum jit_reg r)
{
    if (enc_size(b, size, S_ALL) && enc_check(b, op <= JIT_IDIV)) {
        struct enc e = enc_xr(unop(size, op), op, r);
        enc_emit(b, &e);
    }
}

void emit_unop_m(struct jit_buf *b, enum jit_unop op, unsigned size, struct jit_mem m)
{
    if (enc_size(b, size, S_ALL) && enc_check(b, op <= JIT_IDIV)) {
        struct enc e = enc_xm(unop(size, op), op, m);
        enc_emit(b, &e);
    }
}

/* ---- group 2: D0/D1 by 1, C0/C1 by imm8, D2/D3 by CL ---- */

static bool shift_ok(struct jit_buf *b, enum jit_shift op, unsigned size)
{
    return enc_size(b, size, S_ALL) && enc_check(b, op <= JIT_SAR && op != 6);
}

static struct enc shift_i(unsigned size, uint8_t count)
{
    if (count == 1)
        return enc_sized(size, opw(size, 0xD1));
    return enc_i(enc_sized(size, opw(size, 0xC1)), 1, count);
}

void emit_shift_ri(struct jit_buf *b, enum jit_shift op, unsigned size, enum jit_reg r, uint8_t count)
{
    if (shift_ok(b, op, size)) {
        struct enc e = enc_xr(shift_i(size, count), op, r);
        enc_emit(b, &e);
    }
}

void emit_shift_r_cl(struct jit_buf *b, enum jit_shift op, unsigned size, enum jit_reg r)
{
    if (shift_ok(b, op, size)) {
        struct enc e = enc_xr(enc_sized(size, opw(size, 0xD3)), op, r);
        enc_emit(b, &e);
    }
}

void emit_shift_mi(struct jit_buf *b, enum jit_shift op, unsigned size, struct jit_mem m, uint8_t count)
{
    if (shift_ok(b, op, size)) {
        struct enc e = enc_xm(shift_i(size, count), op, m);
        enc_emit(b, &e);
    }
}

void emit_shift_m_cl(struct jit_buf *b, enum jit_shift op, unsigned size, struct jit_mem m)
{
    if (shift_ok(b, op, size)) {
        struct enc e = enc_xm(enc_sized(size, opw(size, 0xD3)), op, m);
        enc_emit(b, &e);
    }
}

/* 0F A4/A5 SHLD, 0F AC/AD SHRD: ModRM.rm is the destination. */
static void shxd(struct jit_buf *b, uint32_t op, unsigned size, enum jit_reg dst, enum jit_reg src,
                 int count)
{
    if (enc_size(b, size, S_WIDE)) {
        struct enc e = enc_r(enc_sized(size, count < 0 ? op + 1 : op), src, dst);
        if (count >= 0)
            e = enc_i(e, 1, count);
        enc_emit(b, &e);
    }
}

void emit_shld_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src, uint8_t count)
{
    shxd(b, 0x0FA4, size, dst, src, count);
}

void emit_shld_r_cl(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    shxd(b, 0x0FA4, size, dst, src, -1);
}

void emit_shrd_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src, uint8_t count)
{
    shxd(b, 0x0FAC, size, dst, src, count);
}

void emit_shrd_r_cl(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    shxd(b, 0x0FAC, size, dst, src, -1);
}

/* ---- IMUL r, r/m (0F AF) and r, r/m, imm (6B ib / 69 iw/id) ---- */

void emit_imul_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    if (enc_size(b, size, S_WIDE)) {
        struct enc e = enc_r(enc_sized(size, 0x0FAF), dst, src);
        enc_emit(b, &e);
    }
}

void emit_imul_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    if (enc_size(b, size, S_WIDE)) {
        struct enc e = enc_m(enc_sized(size, 0x0FAF), dst, m);
        enc_emit(b, &e);
    }
}

static bool imul_imm(struct jit_buf *b, unsigned size, int64_t imm, struct enc *e)
{
    int64_t v;
    if (!enc_size(b, size, S_WIDE) || !enc_check(b, enc_imm(size, imm, &v)))
        return false;
    if (fits8(v))
        *e = enc_i(enc_sized(size, 0x6B), 1, v);
    else
        *e = enc_i(enc_sized(size, 0x69), size == 16 ? 2 : 4, v);
    return true;
}

void emit_imul_rri(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src, int64_t imm)
{
    struct enc e;
    if (imul_imm(b, size, imm, &e)) {
        e = enc_r(e, dst, src);
        enc_emit(b, &e);
    }
}

void emit_imul_rmi(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m, int64_t imm)
{
    struct enc e;
    if (imul_imm(b, size, imm, &e)) {
        e = enc_m(e, dst, m);
        enc_emit(b, &e);
    }
}
