/* Flags instructions, control flow (JMP, Jcc, CALL, RET with patchable
 * forward jumps), the stack (PUSH/POP) and filler (UD2, INT3, NOP). Intel
 * SDM vol. 2 instruction pages; the multi-byte NOPs are the SDM's
 * recommended sequences (NOP, table 4-12), lengthened with 66 prefixes. */
#include <string.h>

#include "jit/emit_enc.h"

static void op0(struct jit_buf *b, uint32_t op)
{
    struct enc e = { .op = op };
    enc_emit(b, &e);
}

void emit_pushfq(struct jit_buf *b)
{
    op0(b, 0x9C);
}

void emit_popfq(struct jit_buf *b)
{
    op0(b, 0x9D);
}

void emit_lahf(struct jit_buf *b)
{
    op0(b, 0x9F);
}

void emit_sahf(struct jit_buf *b)
{
    op0(b, 0x9E);
}

void emit_clc(struct jit_buf *b)
{
    op0(b, 0xF8);
}

void emit_stc(struct jit_buf *b)
{
    op0(b, 0xF9);
}

void emit_cmc(struct jit_buf *b)
{
    op0(b, 0xF5);
}

void emit_ret(struct jit_buf *b)
{
    op0(b, 0xC3);
}

/* RET imm16: return, then drop imm16 more bytes of the stack. */
void emit_ret_i(struct jit_buf *b, uint16_t imm)
{
    struct enc e = enc_i((struct enc){ .op = 0xC2 }, 2, imm);
    enc_emit(b, &e);
}

void emit_ud2(struct jit_buf *b)
{
    op0(b, 0x0F0B);
}

void emit_int3(struct jit_buf *b)
{
    op0(b, 0xCC);
}

/* ---- relative jumps and calls ---- */

/* target - the end of an instruction of len bytes starting at b->p, both
 * run-time addresses. */
static int64_t rel_from(const struct jit_buf *b, size_t len, const void *target)
{
    return (int64_t)((uintptr_t)target - ((uintptr_t)emit_here(b) + len));
}

/* An instruction ending in a rel8/rel32; returns the field's offset. */
static size_t rel_op(struct jit_buf *b, uint32_t op, unsigned rellen, int64_t rel)
{
    struct enc e = enc_i((struct enc){ .op = op }, rellen, rel);
    size_t at = emit_offset(b);
    return at + enc_emit(b, &e) - rellen;
}

void emit_jmp(struct jit_buf *b, const void *target)
{
    int64_t rel = rel_from(b, 2, target);
    if (fits8(rel)) {
        rel_op(b, 0xEB, 1, rel);
    } else {
        rel = rel_from(b, 5, target);
        if (enc_check(b, fits32(rel)))
            rel_op(b, 0xE9, 4, rel);
    }
}

void emit_jcc(struct jit_buf *b, enum jit_cc cc, const void *target)
{
    if (!enc_check(b, cc <= JIT_CC_G))
        return;
    int64_t rel = rel_from(b, 2, target);
    if (fits8(rel)) {
        rel_op(b, 0x70 + cc, 1, rel);
    } else {
        rel = rel_from(b, 6, target);
        if (enc_check(b, fits32(rel)))
            rel_op(b, 0x0F80 + cc, 4, rel);
    }
}

/* The forward forms jump to the next instruction until patched. */
size_t emit_jmp8_fwd(struct jit_buf *b)
{
    return rel_op(b, 0xEB, 1, 0);
}

size_t emit_jmp32_fwd(struct jit_buf *b)
{
    return rel_op(b, 0xE9, 4, 0);
}

size_t emit_call32_fwd(struct jit_buf *b)
{
    return rel_op(b, 0xE8, 4, 0);
}

size_t emit_jcc8_fwd(struct jit_buf *b, enum jit_cc cc)
{
    enc_check(b, cc <= JIT_CC_G);
    return rel_op(b, 0x70 + (cc & 15), 1, 0);
}

size_t emit_jcc32_fwd(struct jit_buf *b, enum jit_cc cc)
{
    enc_check(b, cc <= JIT_CC_G);
    return rel_op(b, 0x0F80 + (cc & 15), 4, 0);
}

static bool patch(struct jit_buf *b, size_t at, unsigned len, const void *target)
{
    if (at + len > emit_offset(b)) {
        /* Never written: fine after a failure, a caller bug otherwise. */
        enc_check(b, emit_failed(b));
        return false;
    }
    int64_t rel = (int64_t)((uintptr_t)target - ((uintptr_t)emit_exec_addr(b, at) + len));
    if (!enc_check(b, len == 1 ? fits8(rel) : fits32(rel)))
        return false;
    for (unsigned i = 0; i < len; i++)
        b->start[at + i] = (uint8_t)((uint64_t)rel >> (8 * i));
    return true;
}

bool emit_patch_rel8(struct jit_buf *b, size_t at, const void *target)
{
    return patch(b, at, 1, target);
}

bool emit_patch_rel32(struct jit_buf *b, size_t at, const void *target)
{
    return patch(b, at, 4, target);
}

void emit_call(struct jit_buf *b, const void *target)
{
    int64_t rel = rel_from(b, 5, target);
    if (enc_check(b, fits32(rel)))
        rel_op(b, 0xE8, 4, rel);
}

void emit_call_abs(struct jit_buf *b, const void *fn)
{
    if (fits32(rel_from(b, 5, fn))) {
        emit_call(b, fn);
    } else {
        emit_mov_ri64(b, JIT_R11, (uint64_t)(uintptr_t)fn);
        emit_call_r(b, JIT_R11);
    }
}

/* ---- FF /2 CALL, FF /4 JMP: 64-bit operands without REX.W ---- */

static void ff_r(struct jit_buf *b, int digit, enum jit_reg r)
{
    struct enc e = enc_xr((struct enc){ .op = 0xFF }, digit, r);
    enc_emit(b, &e);
}

static void ff_m(struct jit_buf *b, int digit, struct jit_mem m)
{
    struct enc e = enc_xm((struct enc){ .op = 0xFF }, digit, m);
    enc_emit(b, &e);
}

void emit_jmp_r(struct jit_buf *b, enum jit_reg r)
{
    ff_r(b, 4, r);
}

void emit_jmp_m(struct jit_buf *b, struct jit_mem m)
{
    ff_m(b, 4, m);
}

void emit_push_m(struct jit_buf *b, struct jit_mem m)
{
    ff_m(b, 6, m);
}

void emit_call_r(struct jit_buf *b, enum jit_reg r)
{
    ff_r(b, 2, r);
}

void emit_call_m(struct jit_buf *b, struct jit_mem m)
{
    ff_m(b, 2, m);
}

/* ---- PUSH/POP: 50+r, 58+r, 6A ib, 68 id ---- */

static void opreg(struct jit_buf *b, uint32_t op, enum jit_reg r)
{
    struct enc e = { .op = op, .form = ENC_OPREG, .rm = r };
    enc_emit(b, &e);
}

void emit_push_r(struct jit_buf *b, enum jit_reg r)
{
    opreg(b, 0x50, r);
}

void emit_pop_r(struct jit_buf *b, enum jit_reg r)
{
    opreg(b, 0x58, r);
}

void emit_push_i(struct jit_buf *b, int32_t imm)
{
    struct enc e = fits8(imm) ? enc_i((struct enc){ .op = 0x6A }, 1, imm)
                              : enc_i((struct enc){ .op = 0x68 }, 4, imm);
    enc_emit(b, &e);
}

/* ---- NOP ---- */

void emit_nop(struct jit_buf *b, unsigned n)
{
    static const uint8_t nops[9][9] = {
        { 0x90 },
        { 0x66, 0x90 },
        { 0x0F, 0x1F, 0x00 },
        { 0x0F, 0x1F, 0x40, 0x00 },
        { 0x0F, 0x1F, 0x44, 0x00, 0x00 },
        { 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00 },
        { 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00 },
        { 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
        { 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    };
    if (!enc_check(b, n >= 1 && n <= 15))
        return;
    /* Past 9 bytes: more 66 prefixes on the 8-byte form. */
    uint8_t out[15];
    unsigned pfx = n > 9 ? n - 8 : 0;
    memset(out, 0x66, pfx);
    memcpy(out + pfx, nops[n > 9 ? 7 : n - 1], n - pfx);
    enc_raw(b, out, n);
}

void emit_align(struct jit_buf *b, unsigned align)
{
    if (!enc_check(b, align && !(align & (align - 1))))
        return;
    unsigned pad = (unsigned)(-(uintptr_t)emit_here(b) & (align - 1));
    while (pad && !emit_failed(b)) {
        /* At most the 9-byte NOP: long prefix runs decode slowly on some cores. */
        unsigned n = pad > 9 ? 9 : pad;
        emit_nop(b, n);
        pad -= n;
    }
}
