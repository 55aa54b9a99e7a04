/* The opcode table in usable form (src/cpu/optable.c builds it from
 * optable.def): rows with mnemonic, operand kinds, flags and handler, and
 * the maps from opcode (and ModRM.reg for groups) to a row. */
#ifndef RAWBOX_CPU_OPTABLE_H
#define RAWBOX_CPU_OPTABLE_H

#include <stdint.h>
#include "cpu/insn.h"

/* Operand kinds, named as in optable.def. */
enum opnd {
    O___, O_Eb, O_Ew, O_Ev, O_Gb, O_Gw, O_Gv, O_Ib, O_Ibs, O_Iw, O_Iz, O_Iv,
    O_Jb, O_Jz, O_Ap, O_Ob, O_Ov, O_M, O_Ma, O_Mp, O_Ms, O_Mq, O_Sw, O_Cd,
    O_Dd, O_Rd, O_Zb, O_Zv, O_Fp, O_One, O_AL, O_CL, O_DX, O_eAX,
    O_ES, O_CS, O_SS, O_DS, O_FS, O_GS,
    O_COUNT
};

/* Row flags. */
#define F_LOCK   0x01   /* LOCK allowed with a memory destination */
#define F_REGMOD 0x02   /* ModRM.mod ignored: register operand (MOV CRn/DRn) */
#define F_STR    0x04   /* string instruction (REP prefixes apply) */
#define F_SZNAME 0x08   /* mnemonic takes a size suffix in disassembly (w/d) */
#define F_FAR    0x10   /* far indirect (m16:16/32) */

/* Immediate kinds derived from the operands. */
enum imm_kind { IMM_NONE, IMM_B, IMM_BS, IMM_W, IMM_Z, IMM_JB, IMM_JZ,
                IMM_AP, IMM_MOFFS, IMM_W_B };

struct oprow {
    const char *mnem;
    op_fn fn;
    uint8_t o[3];
    uint8_t flags;
    /* derived */
    uint8_t modrm;      /* has a ModRM byte */
    uint8_t memonly;    /* ModRM operand must be memory (#UD if mod == 3) */
    uint8_t imm;        /* enum imm_kind */
    uint8_t byteop;     /* first operand is a byte */
};

#define OPMAP_SIZE 0x200
#define OPMAP_GROUP 0x8000  /* opmap value: group number in the low bits */

extern struct oprow optable_rows[];
extern unsigned optable_nrows;
extern uint16_t optable_map[OPMAP_SIZE];    /* row, or OPMAP_GROUP | group */
extern uint16_t optable_groups[][8];        /* row per ModRM.reg (0 = #UD) */

void optable_init(void);

/* The weak default every handler starts as (see handlers.def). */
void op_unimpl(struct cpu *cpu, const struct insn *i);

#endif
