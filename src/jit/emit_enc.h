/* The encoder core under the emit*.c files (emit.c): the emitters describe
 * one instruction in a struct enc and enc_emit() lays it out as
 *   [F0] [66] [F2/F3] [REX] opcode [ModRM [SIB] [disp]] [imm]
 * (Intel SDM vol. 2, 2.1-2.2). Not for use outside src/jit/emit*.c. */
#ifndef RAWBOX_JIT_EMIT_ENC_H
#define RAWBOX_JIT_EMIT_ENC_H

#include "jit/emit.h"

enum enc_form {
    ENC_NONE,       /* no register operand beyond the opcode */
    ENC_OPREG,      /* register in the opcode's low 3 bits (B8+r, 50+r) */
    ENC_REG,        /* ModRM with mod = 3 */
    ENC_MEM,        /* ModRM with a memory operand */
};

struct enc {
    uint8_t lock;       /* F0 or 0 */
    uint8_t osize;      /* 66 or 0 */
    uint8_t rep;        /* a mandatory F2/F3, or 0 */
    bool w;             /* REX.W */
    uint32_t op;        /* 1-3 opcode bytes, most significant first: 0x89, 0x0FAF */
    enum enc_form form;
    int reg;            /* ModRM.reg: a register or an opcode extension /digit */
    int rm;             /* ENC_REG: ModRM.rm; ENC_OPREG: the opcode's register */
    struct jit_mem m;   /* ENC_MEM */
    bool reg8, rm8;     /* reg / rm names a byte register */
    uint8_t immlen;     /* 0, 1, 2, 4 or 8 bytes */
    uint64_t imm;
};

/* Append the instruction; returns its length, which is also what it would
 * have been when nothing was written (the buffer had failed or fails now). */
size_t enc_emit(struct jit_buf *b, const struct enc *e);

/* Append n fixed bytes (one instruction) with the same failure rules. */
void enc_raw(struct jit_buf *b, const uint8_t *bytes, size_t n);

/* Mark the buffer failed with an unencodable request when !ok; returns ok. */
bool enc_check(struct jit_buf *b, bool ok);

/* Operand size sets, as a mask of the sizes an instruction accepts. */
enum { S8 = 1, S16 = 2, S32 = 4, S64 = 8, S_WIDE = S16 | S32 | S64, S_ALL = 15 };

/* True if size (in bits) is one of `sizes`; sets `error` otherwise. */
bool enc_size(struct jit_buf *b, unsigned size, unsigned sizes);

/* imm as the operand's value sign-extended to 64 bits, when it fits size
 * as a signed or an unsigned number (at 64, as a sign-extended imm32). */
bool enc_imm(unsigned size, int64_t imm, int64_t *v);

static inline bool fits8(int64_t v)
{
    return v >= -128 && v <= 127;
}

static inline bool fits32(int64_t v)
{
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* An instruction with operand size `size`: 66 at 16, REX.W at 64, byte
 * registers at 8. op is the opcode to use at that size. */
static inline struct enc enc_sized(unsigned size, uint32_t op)
{
    return (struct enc){
        .osize = size == 16 ? 0x66 : 0,
        .w = size == 64,
        .op = op,
        .reg8 = size == 8,
        .rm8 = size == 8,
    };
}

/* The byte form of an opcode pair (88/89, 00/01, F6/F7, ...) at size 8. */
static inline uint32_t opw(unsigned size, uint32_t op)
{
    return size == 8 ? op - 1 : op;
}

static inline struct enc enc_r(struct enc e, int reg, int rm)
{
    e.form = ENC_REG;
    e.reg = reg;
    e.rm = rm;
    return e;
}

static inline struct enc enc_m(struct enc e, int reg, struct jit_mem m)
{
    e.form = ENC_MEM;
    e.reg = reg;
    e.m = m;
    return e;
}

/* The same with an opcode extension (/digit) in ModRM.reg. */
static inline struct enc enc_xr(struct enc e, int digit, int rm)
{
    e = enc_r(e, digit, rm);
    e.reg8 = false;
    return e;
}

static inline struct enc enc_xm(struct enc e, int digit, struct jit_mem m)
{
    e = enc_m(e, digit, m);
    e.reg8 = false;
    return e;
}

static inline struct enc enc_i(struct enc e, unsigned len, int64_t imm)
{
    e.immlen = (uint8_t)len;
    e.imm = (uint64_t)imm;
    return e;
}

#endif
