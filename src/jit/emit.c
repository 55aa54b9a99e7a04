/* The code buffer, the encoder core (emit_enc.h) and the MOV family.
 * Encodings from the Intel SDM vol. 2: 2.1 (instruction format), 2.2.1
 * (REX), table 2-2/2-3 (ModRM/SIB in 32/64-bit addressing), 2.2.1.6
 * (RIP-relative), and the instruction pages. */
#include <string.h>

#include "jit/emit_enc.h"

void emit_init(struct jit_buf *b, void *mem, size_t size)
{
    emit_init_exec(b, mem, size, mem);
}

void emit_init_exec(struct jit_buf *b, void *mem, size_t size, const void *exec)
{
    b->start = b->p = mem;
    b->end = b->start + size;
    b->exec_delta = (uintptr_t)exec - (uintptr_t)mem;
    b->overflow = b->error = false;
}

void enc_raw(struct jit_buf *b, const uint8_t *bytes, size_t n)
{
    if (emit_failed(b))
        return;
    if ((size_t)(b->end - b->p) < n) {
        b->overflow = true;
        return;
    }
    memcpy(b->p, bytes, n);
    b->p += n;
}

bool enc_check(struct jit_buf *b, bool ok)
{
    if (!ok)
        b->error = true;
    return ok;
}

bool enc_size(struct jit_buf *b, unsigned size, unsigned sizes)
{
    unsigned bit = size == 8 ? S8 : size == 16 ? S16 : size == 32 ? S32 : size == 64 ? S64 : 0;
    return enc_check(b, (bit & sizes) != 0);
}

bool enc_imm(unsigned size, int64_t imm, int64_t *v)
{
    if (size == 64) {
        *v = imm;
        return fits32(imm);
    }
    int64_t lo = -((int64_t)1 << (size - 1)), hi = ((int64_t)1 << size) - 1;
    if (imm < lo || imm > hi)
        return false;
    /* Sign-extend from `size` bits: 0xFF at size 8 is -1. */
    uint64_t m = (uint64_t)1 << (size - 1);
    uint64_t u = (uint64_t)imm & ((m << 1) - 1);
    *v = (int64_t)((u ^ m) - m);
    return true;
}

/* Problems a register operand can have for REX. */
enum { REX_WANT = 1, REX_NONE = 2, REG_BAD = 4 };

/* The 4-bit number of register r. A byte register SPL..DIL needs some REX
 * (without one those numbers mean AH..BH); AH..BH forbid REX. */
static int regbits(int r, bool byte, unsigned *flags)
{
    if (byte && r >= JIT_AH && r <= JIT_BH) {
        *flags |= REX_NONE;
        return r & 7;
    }
    if (r < 0 || r > 15) {
        *flags |= REG_BAD;
        return 0;
    }
    if (byte && r >= 4 && r <= 7)
        *flags |= REX_WANT;
    return r;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ModRM (+ SIB + disp) for a memory operand. Returns the bytes written to
 * out, or 0 when the operand cannot be encoded; *rex gets X and B, *rip the
 * offset of a disp32 to fix up as RIP-relative (else -1). */
static size_t enc_modrm_mem(uint8_t *out, int reg, struct jit_mem m, unsigned *rex, int *rip)
{
    size_t n = 0;
    int base = m.base, index = m.index;
    *rip = -1;
    if (base == JIT_RIP) {
        /* mod 00 rm 101 is RIP + disp32 in 64-bit mode (2.2.1.6). */
        if (index != JIT_NOREG)
            return 0;
        out[n++] = (uint8_t)(0x05 | (reg & 7) << 3);
        *rip = (int)n;
        put32(out + n, 0);
        return n + 4;
    }
    if (!fits32(m.disp) || (base != JIT_NOREG && (base < 0 || base > 15)))
        return 0;
    if (index != JIT_NOREG) {
        /* Index 100 without REX.X means "no index": RSP cannot be one. */
        if (index < 0 || index > 15 || index == JIT_RSP)
            return 0;
        if (m.scale != 1 && m.scale != 2 && m.scale != 4 && m.scale != 8)
            return 0;
        /* [index*1 + disp] is [base + disp], which needs no disp32. */
        if (base == JIT_NOREG && m.scale == 1) {
            base = index;
            index = JIT_NOREG;
        }
    }
    int32_t disp = (int32_t)m.disp;
    int ss = index == JIT_NOREG ? 0 : m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
    if (base == JIT_NOREG) {
        /* mod 00 rm 100, SIB base 101: [index*scale + disp32], or with
         * index 100 a plain [disp32] (mod 00 rm 101 would be RIP-relative). */
        out[n++] = (uint8_t)(0x04 | (reg & 7) << 3);
        int idx = index == JIT_NOREG ? 4 : index;
        if (index != JIT_NOREG)
            *rex |= (index >> 3) << 1;
        out[n++] = (uint8_t)(ss << 6 | (idx & 7) << 3 | 5);
        put32(out + n, (uint32_t)disp);
        return n + 4;
    }
    *rex |= base >> 3;
    /* Base 101 (RBP, R13) with mod 00 means "no base": use disp8 0. */
    int mod = disp == 0 && (base & 7) != 5 ? 0 : fits8(disp) ? 1 : 2;
    if (index == JIT_NOREG && (base & 7) != 4) {
        out[n++] = (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7));
    } else {
        /* rm 100 (RSP, R12) always means a SIB byte follows. */
        int idx = index == JIT_NOREG ? 4 : index;
        if (index != JIT_NOREG)
            *rex |= (index >> 3) << 1;
        out[n++] = (uint8_t)(mod << 6 | (reg & 7) << 3 | 4);
        out[n++] = (uint8_t)(ss << 6 | (idx & 7) << 3 | (base & 7));
    }
    if (mod == 1)
        out[n++] = (uint8_t)disp;
    else if (mod == 2) {
        put32(out + n, (uint32_t)disp);
        n += 4;
    }
    return n;
}

size_t enc_emit(struct jit_buf *b, const struct enc *e)
{
    uint8_t out[32];
    size_t n = 0;
    unsigned flags = 0, rex = e->w ? 8 : 0;
    int rip = -1;

    if (e->lock)
        out[n++] = e->lock;
    if (e->osize)
        out[n++] = e->osize;
    if (e->rep)
        out[n++] = e->rep;
    size_t rex_at = n++;        /* dropped below when no REX is needed */
    unsigned op = e->op;
    if (op > 0xFFFF)
        out[n++] = (uint8_t)(op >> 16);
    if (op > 0xFF)
        out[n++] = (uint8_t)(op >> 8);
    size_t op_last = n;
    out[n++] = (uint8_t)op;

    int reg = 0, rm;
    switch (e->form) {
    case ENC_NONE:
        break;
    case ENC_OPREG:
        rm = regbits(e->rm, e->rm8, &flags);
        rex |= rm >> 3;
        out[op_last] = (uint8_t)(out[op_last] + (rm & 7));
        break;
    case ENC_REG:
        reg = regbits(e->reg, e->reg8, &flags);
        rm = regbits(e->rm, e->rm8, &flags);
        rex |= (reg >> 3) << 2 | rm >> 3;
        out[n++] = (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
        break;
    case ENC_MEM: {
        reg = regbits(e->reg, e->reg8, &flags);
        rex |= (reg >> 3) << 2;
        size_t k = enc_modrm_mem(out + n, reg, e->m, &rex, &rip);
        if (!k)
            flags |= REG_BAD;
        if (rip >= 0)
            rip += (int)n;
        n += k;
        break;
    }
    }
    for (unsigned i = 0; i < e->immlen; i++)
        out[n++] = (uint8_t)(e->imm >> (8 * i));

    if (rex || (flags & REX_WANT)) {
        out[rex_at] = (uint8_t)(0x40 | rex);
        if (flags & REX_NONE)
            flags |= REG_BAD;
    } else {
        memmove(out + rex_at, out + rex_at + 1, n - rex_at - 1);
        n--;
        if (rip >= 0)
            rip--;
    }
    if (n > 15)
        flags |= REG_BAD;

    if (b->overflow || b->error)
        return n;
    if (rip >= 0) {
        /* RIP-relative displacements count from the next instruction,
         * where it runs. */
        int64_t rel = (int64_t)((uint64_t)e->m.disp - ((uintptr_t)b->p + n + b->exec_delta));
        if (!fits32(rel))
            flags |= REG_BAD;
        put32(out + rip, (uint32_t)rel);
    }
    if (flags & REG_BAD) {
        b->error = true;
        return n;
    }
    if ((size_t)(b->end - b->p) < n) {
        b->overflow = true;
        return n;
    }
    memcpy(b->p, out, n);
    b->p += n;
    return n;
}

/* ---- MOV, MOVZX/MOVSX/MOVSXD, LEA ---- */

void emit_mov_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_r(enc_sized(size, opw(size, 0x89)), src, dst);
        enc_emit(b, &e);
    }
}

void emit_mov_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, int64_t imm)
{
    int64_t v = imm;
    if (!enc_size(b, size, S_ALL) || (size != 64 && !enc_check(b, enc_imm(size, imm, &v))))
        return;
    struct enc e;
    if (size == 64 && (uint64_t)imm <= UINT32_MAX) {
        /* A 32-bit destination is zero-extended to 64 bits. */
        e = enc_sized(32, 0xB8);
        e = enc_i(e, 4, imm);
    } else if (size == 64 && fits32(imm)) {
        e = enc_i(enc_xr(enc_sized(64, 0xC7), 0, dst), 4, imm);
        enc_emit(b, &e);
        return;
    } else {
        e = enc_i(enc_sized(size, size == 8 ? 0xB0 : 0xB8), size / 8, v);
    }
    e.form = ENC_OPREG;
    e.rm = dst;
    enc_emit(b, &e);
}

size_t emit_mov_ri64(struct jit_buf *b, enum jit_reg dst, uint64_t imm)
{
    struct enc e = enc_i(enc_sized(64, 0xB8), 8, (int64_t)imm);
    e.form = ENC_OPREG;
    e.rm = dst;
    size_t at = emit_offset(b);
    return at + enc_emit(b, &e) - 8;
}

void emit_mov_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_m(enc_sized(size, opw(size, 0x8B)), dst, m);
        enc_emit(b, &e);
    }
}

void emit_mov_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src)
{
    if (enc_size(b, size, S_ALL)) {
        struct enc e = enc_m(enc_sized(size, opw(size, 0x89)), src, m);
        enc_emit(b, &e);
    }
}

void emit_mov_mi(struct jit_buf *b, unsigned size, struct jit_mem m, int64_t imm)
{
    int64_t v;
    if (enc_size(b, size, S_ALL) && enc_check(b, enc_imm(size, imm, &v))) {
        struct enc e = enc_xm(enc_sized(size, opw(size, 0xC7)), 0, m);
        e = enc_i(e, size == 64 ? 4 : size / 8, v);
        enc_emit(b, &e);
    }
}

/* MOVZX/MOVSX: the destination is a full register, the source a byte or word. */
static struct enc movx(struct jit_buf *b, unsigned dsize, unsigned ssize, uint32_t op, bool *ok)
{
    *ok = enc_size(b, dsize, S_WIDE) && enc_size(b, ssize, S8 | S16) && enc_check(b, ssize < dsize);
    struct enc e = enc_sized(dsize, ssize == 8 ? op : op + 1);
    e.rm8 = ssize == 8;
    return e;
}

void emit_movzx_rr(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, enum jit_reg src)
{
    bool ok;
    struct enc e = enc_r(movx(b, dsize, ssize, 0x0FB6, &ok), dst, src);
    if (ok)
        enc_emit(b, &e);
}

void emit_movzx_rm(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, struct jit_mem m)
{
    bool ok;
    struct enc e = enc_m(movx(b, dsize, ssize, 0x0FB6, &ok), dst, m);
    if (ok)
        enc_emit(b, &e);
}

void emit_movsx_rr(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, enum jit_reg src)
{
    bool ok;
    struct enc e = enc_r(movx(b, dsize, ssize, 0x0FBE, &ok), dst, src);
    if (ok)
        enc_emit(b, &e);
}

void emit_movsx_rm(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, struct jit_mem m)
{
    bool ok;
    struct enc e = enc_m(movx(b, dsize, ssize, 0x0FBE, &ok), dst, m);
    if (ok)
        enc_emit(b, &e);
}

void emit_movsxd_rr(struct jit_buf *b, enum jit_reg dst, enum jit_reg src)
{
    struct enc e = enc_r(enc_sized(64, 0x63), dst, src);
    enc_emit(b, &e);
}

void emit_movsxd_rm(struct jit_buf *b, enum jit_reg dst, struct jit_mem m)
{
    struct enc e = enc_m(enc_sized(64, 0x63), dst, m);
    enc_emit(b, &e);
}

void emit_lea(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m)
{
    if (enc_size(b, size, S_WIDE)) {
        struct enc e = enc_m(enc_sized(size, 0x8D), dst, m);
        enc_emit(b, &e);
    }
}
