/* Bit operations (BT family, BSF/BSR, BSWAP), exchanges (XCHG, CMPXCHG,
 * CMPXCHG8B/16B, XADD), condition users (CMOVcc, SETcc) and the
 * accumulator sign extensions (CBW family, CWD family). Intel SDM vol. 2
 * instruction pages. */
#include "jit/emit_enc.h"

/* ---- BT/BTS/BTR/BTC: 0F A3/AB/B3/BB r, and 0F BA /4-/7 ib ---- */

static bool bt_ok(struct jit_buf *b, enum jit_bt op, unsigned size)
{
    return enc_size(b, size, S_WIDE) && enc_check(b, op >= JIT_BT && op <= JIT_BTC);
}

static uint32_t bt_op(enum jit_bt op)
{
    return 0x0FA3 + (op - JIT_BT) * 8u;
}

void emit_bt_rr(struct jit_buf *b, enum jit_bt op, unsigned size, enum jit_reg dst, enum jit_reg bit)
{
    if (bt_ok(b, op, size)) {
        struct enc e = enc_r(enc_sized(size, bt_op(op)), bit, dst);
        enc_emit(b, &e);
    }
}

void emit_bt_mr(struct jit_buf *b, enum jit_bt op, unsigned size, struct jit_mem m, enum jit_reg bit)
{
    if (bt_ok(b, op, size)) {
        struct enc e = enc_m(enc_sized(size, bt_op(op)), bit, m);
        enc_emit(b, &e);
    }
}

void emit_bt_ri(struct jit_buf *b, enum jit_bt op, unsigned size, enum jit_reg dst, uint8_t bit)
{
    if (bt_ok(b, op, size)) {
        struct enc e = enc_i(enc_xr(enc_sized(size, 0x0FBA), op, dst), 1, bit);
        enc_emit(b, &e);
    }
}

void emit_bt_mi(struct jit_buf *b, enum jit_bt op, unsigned size, struct jit_mem m, uint8_t bit)
{
    if (bt_ok(b, op, size)) {
        struct enc e = enc_i(enc_xm(enc_sized(size, 0x0FBA), op, m), 1, bit);
        enc_emit(b, &e);
    }
}

/* ---- BSF 0F BC, BSR 0F BD, BSWAP 0F C8+r ---- */

static void reg_rm(struct jit_buf *b, unsigned size, unsigned sizes, uint32_t op, enum jit_reg dst,
                   const enum jit_reg *src, const struct jit_mem *m)
{
    if (enc_size(b, size, sizes)) {
        struct enc e = enc_sized(size, op);
        e = src ? enc_r(e, dst, *src) : enc_m(e, dst, *m);
        enc_emit(b, &e);
    }
}

void emit_bsf_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    reg_rm(b, size, S_WIDE, 0x0FBC, dst, &src, NULL);
}

void emit_bsf_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    reg_rm(b, size, S_WIDE, 0x0FBC, dst, NULL, &m);
}

void emit_bsr_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    reg_rm(b, size, S_WIDE, 0x0FBD, dst, &src, NULL);
}

void emit_bsr_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    reg_rm(b, size, S_WIDE, 0x0FBD, dst, NULL, &m);
}

void emit_bswap(struct jit_buf *b, unsigned size, enum jit_reg r)
{
    /* BSWAP of a 16-bit register is undefined (SDM): not offered. */
    if (enc_size(b, size, S32 | S64)) {
        struct enc e = enc_sized(size, 0x0FC8);
        e.form = ENC_OPREG;
        e.rm = r;
        enc_emit(b, &e);
    }
}

/* ---- XCHG 86/87 /r and 90+r, CMPXCHG 0F B0/B1, XADD 0F C0/C1 ---- */

void emit_xchg_rr(struct jit_buf *b, unsigned size, enum jit_reg a, enum jit_reg c)
{
    if (!enc_size(b, size, S_ALL))
        return;
    struct enc e = enc_sized(size, opw(size, 0x87));
    /* 90+r exchanges with the accumulator in one byte; 90 itself is NOP
     * (at size 32 it would not zero-extend RAX), so RAX with RAX uses 87. */
    if (size != 8 && (a == JIT_RAX) != (c == JIT_RAX)) {
        e.op = 0x90;
        e.form = ENC_OPREG;
        e.rm = a == JIT_RAX ? c : a;
    } else {
        e = enc_r(e, c, a);
    }
    enc_emit(b, &e);
}

void emit_xchg_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg r)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_m(enc_sized(size, opw(size, 0x87)), r, m);
        enc_emit(b, &e);
    }
}

static void xop_rr(struct jit_buf *b, uint32_t op, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_r(enc_sized(size, opw(size, op)), src, dst);
        enc_emit(b, &e);
    }
}

static void xop_mr(struct jit_buf *b, uint32_t op, unsigned size, struct jit_mem m, enum jit_reg src,
                   bool lock)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_m(enc_sized(size, opw(size, op)), src, m);
        e.lock = lock ? 0xF0 : 0;
        enc_emit(b, &e);
    }
}

void emit_cmpxchg_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    xop_rr(b, 0x0FB1, size, dst, src);
}

void emit_cmpxchg_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src, bool lock)
{
    xop_mr(b, 0x0FB1, size, m, src, lock);
}

void emit_xadd_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    xop_rr(b, 0x0FC1, size, dst, src);
}

void emit_xadd_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src, bool lock)
{
    xop_mr(b, 0x0FC1, size, m, src, lock);
}

/* 0F C7 /1: REX.W selects CMPXCHG16B. */
static void cmpxchgnb(struct jit_buf *b, unsigned size, struct jit_mem m, bool lock)
{
    struct enc e = enc_xm(enc_sized(size, 0x0FC7), 1, m);
    e.lock = lock ? 0xF0 : 0;
    enc_emit(b, &e);
}

void emit_cmpxchg8b_m(struct jit_buf *b, struct jit_mem m, bool lock)
{
    cmpxchgnb(b, 32, m, lock);
}

void emit_cmpxchg16b_m(struct jit_buf *b, struct jit_mem m, bool lock)
{
    cmpxchgnb(b, 64, m, lock);
}

/* ---- CMOVcc 0F 40+cc, SETcc 0F 90+cc ---- */

void emit_cmov_rr(struct jit_buf *b, enum jit_cc cc, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    if (enc_check(b, cc <= JIT_CC_G))
        reg_rm(b, size, S_WIDE, 0x0F40 + cc, dst, &src, NULL);
}

void emit_cmov_rm(struct jit_buf *b, enum jit_cc cc, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    if (enc_check(b, cc <= JIT_CC_G))
        reg_rm(b, size, S_WIDE, 0x0F40 + cc, dst, NULL, &m);
}

/* ModRM.reg of SETcc is ignored; 0 is the documented value. */
void emit_setcc_r(struct jit_buf *b, enum jit_cc cc, enum jit_reg dst)
{
    if (enc_check(b, cc <= JIT_CC_G)) {
        struct enc e = enc_xr(enc_sized(8, 0x0F90 + cc), 0, dst);
        enc_emit(b, &e);
    }
}

void emit_setcc_m(struct jit_buf *b, enum jit_cc cc, struct jit_mem m)
{
    if (enc_check(b, cc <= JIT_CC_G)) {
        struct enc e = enc_xm(enc_sized(8, 0x0F90 + cc), 0, m);
        enc_emit(b, &e);
    }
}

/* ---- 98: CBW/CWDE/CDQE, 99: CWD/CDQ/CQO, by operand size ---- */

static void acc(struct jit_buf *b, unsigned size, uint32_t op)
{
    struct enc e = enc_sized(size, op);
    enc_emit(b, &e);
}

void emit_cbw(struct jit_buf *b)
{
    acc(b, 16, 0x98);
}

void emit_cwde(struct jit_buf *b)
{
    acc(b, 32, 0x98);
}

void emit_cdqe(struct jit_buf *b)
{
    acc(b, 64, 0x98);
}

void emit_cwd(struct jit_buf *b)
{
    acc(b, 16, 0x99);
}

void emit_cdq(struct jit_buf *b)
{
    acc(b, 32, 0x99);
}

void emit_cqo(struct jit_buf *b)
{
    acc(b, 64, 0x99);
}
