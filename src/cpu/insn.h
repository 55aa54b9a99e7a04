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
#define PFX_SEG   0x20  /* a segment override was given (FS/GS only in 64-bit mode) */

/* REX prefix bits in insn.rex (0 when there was no REX, else 0x40 | WRXB). */
#define REX_B 0x01
#define REX_X 0x02
#define REX_R 0x04
#define REX_W 0x08

#define EA_NONE 0xff    /* no base / no index */
#define EA_RIP  0xfe    /* base: the next instruction's RIP (RIP-relative) */

struct insn {
    op_fn fn;           /* handler */
    uint64_t imm;       /* first immediate, sign-extended where the form says
                         * (to 32 bits outside 64-bit mode, as it always was;
                         * to 64 in it); imm64 of MOV r64, imm64; the full
                         * moffs of A0..A3 in 64-bit mode */
    int32_t disp;       /* ModRM displacement, or moffs for A0..A3 (low 32 bits) */
    uint16_t imm2;      /* second immediate: ENTER level, far-pointer selector */
    uint16_t op;        /* map << 8 | opcode byte: 0x00-0xff one-byte,
                         * 0x100 | b for 0F b, 0x200 | b for 0F 38 b, 0x300 | b for 0F 3A b */
    uint16_t row;       /* index into the opcode table */
    uint16_t off;       /* decode cache: offset of the instruction in its page */
    uint8_t len;        /* total length in bytes */
    uint8_t pfx;        /* PFX_* bits */
    uint8_t opsize;     /* operand size in bytes: 2, 4 or 8 (1 for byte forms) */
    uint8_t adsize;     /* address size in bytes: 2, 4 or 8 */
    uint8_t seg;        /* effective segment for memory operands */
    uint8_t modrm;
    uint8_t mod;        /* 0..3; 3 = register operand */
    uint8_t reg;        /* ModRM.reg with REX.R (0..15) */
    uint8_t rm;         /* register operand (0..15) when mod == 3: ModRM.rm with
                         * REX.B, or for Zb/Zv forms the opcode's low bits with REX.B */
    uint8_t base;       /* EA base register (0..15), EA_RIP or EA_NONE */
    uint8_t index;      /* EA index register (0..15) or EA_NONE */
    uint8_t scale;      /* shift count 0..3 */
    uint8_t sub;        /* the row's sub-op (optable.def): ALU op, shift op,
                         * condition code, segment register, x87 op */
    uint8_t rex;        /* REX prefix (0 = none); with any REX, byte registers
                         * 4..7 are SPL BPL SIL DIL, not AH CH DH BH */
    uint8_t mpfx;       /* mandatory prefix that chose the row (MPFX_*, 0 = none) */
    uint8_t rip_rel:1;  /* memory operand is RIP-relative (base == EA_RIP) */
    uint8_t vex_l:1;    /* VEX.L (reserved: no VEX decoding yet) */
    uint8_t vvvv:4;     /* VEX.vvvv (reserved) */
    uint8_t seq_next;   /* decode cache: the next record (this + 1) is the
                         * instruction at EIP + len on the same page */
};

/* Effective address offset of a memory operand, wrapped to the address
 * size 2, 4 or 8 (SDM vol. 1 3.7.5; the displacement is sign-extended to
 * 64 bits for 64-bit addressing). A RIP-relative operand adds the next
 * instruction's address (SDM vol. 2 2.2.1.6). */
static inline uint64_t insn_ea(const struct cpu *cpu, const struct insn *i)
{
    uint64_t ea = (uint64_t)(int64_t)(int32_t)i->disp;
    if (i->base < 16)
        ea += cpu->s.gpr[i->base];
    else if (i->base == EA_RIP)
        ea += cpu->next_rip;
    if (i->index != EA_NONE)
        ea += cpu->s.gpr[i->index] << i->scale;
    return i->adsize == 8 ? ea : i->adsize == 4 ? (uint32_t)ea : (uint16_t)ea;
}

/* The code size the decoder and the decode cache key on: 2, 4 or 8. The
 * one place that derives it from the CPU's mode. */
static inline unsigned insn_code_size(const struct cpu *cpu)
{
    return cpu->s.code_size;
}

/* Operand helpers for the ModRM r/m operand of `size` bytes. */
uint64_t rm_read(struct cpu *cpu, const struct insn *i, unsigned size);
void rm_write(struct cpu *cpu, const struct insn *i, unsigned size, uint64_t v);

/* Decode one instruction at linear address `lin` for the current mode.
 * Faults (#PF, #GP for CS limit, #UD for > 15 bytes) are raised. */
void decode_insn(struct cpu *cpu, uint64_t lin, struct insn *out);

/* What decode_insn() makes of bytes already at hand (avail of them, from
 * the instruction's first byte), for the current mode and CPU model: 0 when
 * they are truncated, -1 when the instruction is over 15 bytes; no fault
 * is raised. The recompiler decodes ahead with it. */
int decode_insn_bytes(const struct cpu *cpu, const uint8_t *buf, unsigned avail, struct insn *out);

/* Decode from a byte buffer for code size 2, 4 or 8 (16-, 32- or 64-bit
 * code): a pure function of its arguments (tests, disassembler, the decode
 * cache). Returns length, or 0 if the bytes are truncated, or -1 if the
 * instruction is over 15 bytes. Invalid opcodes decode with fn = op_ud. */
int decode_bytes(const uint8_t *buf, unsigned avail, unsigned code_size, struct insn *out);

/* Disassemble a decoded record into buf (Intel syntax). */
void disasm(const struct insn *i, uint64_t eip, char *buf, unsigned size);

/* The handler for undefined opcodes: raises #UD. */
void op_ud(struct cpu *cpu, const struct insn *i);

#endif
