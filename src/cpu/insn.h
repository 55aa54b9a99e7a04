/* The decoded instruction record (src/cpu/decode.c) and the one handler
 * signature every instruction implementation shares.
 *
 * The decoder fills a record once; the interpreter (and later the JIT)
 * executes records. Records are cached per physical code page. */
#ifndef RAWBOX_CPU_INSN_H
#define RAWBOX_CPU_INSN_H

#include <stdint.h>
#include "cpu/cpu.h"

struct insn;
typedef void (*op_fn)(struct cpu *cpu, const struct insn *i);

/* Prefix bits in insn.pfx. */
#define PFX_LOCK  0x01
#define PFX_REP   0x02  /* F3 */
#define PFX_REPNE 0x04  /* F2 */
#define PFX_OPSZ  0x08  /* 66 seen */
#define PFX_ADSZ  0x10  /* 67 seen */
#define PFX_SEG   0x20  /* a segment override was given */

#define EA_NONE 0xff

struct insn {
    op_fn fn;           /* handler */
    uint32_t disp;      /* ModRM displacement, or moffs for A0..A3 */
    uint32_t imm;       /* first immediate (sign-extended where the form says) */
    uint16_t imm2;      /* second immediate: ENTER level, far-pointer selector */
    uint16_t op;        /* opcode: 0x00-0xff, 0x100 | second byte for 0F xx,
                         * 0x200 | byte for 0F 38 xx, 0x300 | byte for 0F 3A xx */
    uint16_t row;       /* index into the opcode table (disassembly) */
    uint8_t len;        /* total length in bytes */
    uint8_t pfx;        /* PFX_* bits */
    uint8_t opsize;     /* operand size in bytes: 2 or 4 (1 for byte forms) */
    uint8_t adsize;     /* address size in bytes: 2 or 4 */
    uint8_t seg;        /* effective segment for memory operands */
    uint8_t modrm;
    uint8_t mod;        /* 0..3; 3 = register operand */
    uint8_t reg;        /* ModRM.reg */
    uint8_t rm;         /* ModRM.rm (register number when mod == 3) */
    uint8_t base;       /* EA base register or EA_NONE */
    uint8_t index;      /* EA index register or EA_NONE */
    uint8_t scale;      /* shift count 0..3 */
    uint8_t seq_next;   /* decode cache: the next record (this + 1) is the
                         * instruction at EIP + len on the same page */
    uint16_t off;       /* decode cache: offset of the instruction in its page */
};

/* Effective address offset of a memory operand, wrapped to the address
 * size 2, 4 or 8 (SDM vol. 1 3.7.5; the displacement is sign-extended to
 * 64 bits for 64-bit addressing). */
static inline uint64_t insn_ea(const struct cpu *cpu, const struct insn *i)
{
    uint64_t ea = (uint64_t)(int64_t)(int32_t)i->disp;
    if (i->base != EA_NONE)
        ea += cpu->s.gpr[i->base];
    if (i->index != EA_NONE)
        ea += cpu->s.gpr[i->index] << i->scale;
    return i->adsize == 8 ? ea : i->adsize == 4 ? (uint32_t)ea : (uint16_t)ea;
}

/* Operand helpers for the ModRM r/m operand of `size` bytes. */
uint32_t rm_read(struct cpu *cpu, const struct insn *i, unsigned size);
void rm_write(struct cpu *cpu, const struct insn *i, unsigned size, uint32_t v);

/* Decode one instruction at linear address `lin` for the current mode.
 * Faults (#PF, #GP for CS limit, #UD for > 15 bytes) are raised. */
void decode_insn(struct cpu *cpu, uint32_t lin, struct insn *out);

/* Decode from a byte buffer (tests, disassembler). Returns length, or 0 if
 * the bytes are truncated, or -1 if the instruction is over 15 bytes.
 * Invalid opcodes decode with fn = op_ud. */
int decode_bytes(const uint8_t *buf, unsigned avail, int code32, struct insn *out);

/* Disassemble a decoded record into buf (Intel syntax). */
void disasm(const struct insn *i, uint32_t eip, char *buf, unsigned size);

/* The handler for undefined opcodes: raises #UD. */
void op_ud(struct cpu *cpu, const struct insn *i);

#endif
