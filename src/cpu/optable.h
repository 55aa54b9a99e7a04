/* The opcode table in usable form (src/cpu/optable.c builds it from
 * optable.def): one row per instruction form with everything known about
 * it (mnemonic, operand kinds, handler, sub-op, CPUID feature, 64-bit
 * rules, privilege, block class, flags read/written/undefined, raw-mode
 * sensitivity), and the maps from (map, opcode) and ModRM to a row.
 *
 * Lookup (decode.c): optable_map[map << 8 | opcode] is either a row or
 * names an indirection, as KVM's emulator tables do (Group, GroupDual,
 * RMExt, ModeDual, gprefix):
 *   OPMAP_GROUP | g   ModRM picks the row: groups[g].mem[reg] when mod != 3,
 *                     groups[g].reg[reg][rm] when mod == 3 (x87 escapes are
 *                     groups too, so every x87 form has its own row);
 *   OPMAP_PFX | p     the mandatory prefix picks the row (NP, 66, F3, F2);
 *   OPMAP_DUAL | d    the mode picks the row (outside / in 64-bit mode). */
#ifndef RAWBOX_CPU_OPTABLE_H
#define RAWBOX_CPU_OPTABLE_H

#include <stdint.h>
#include "cpu/insn.h"

/* Operand kinds, named as in optable.def. */
enum opnd {
    O___, O_Eb, O_Ew, O_Ewv, O_Ewd, O_Ed, O_Ev, O_Gb, O_Gw, O_Gv, O_Ib, O_Ibs, O_Iw, O_Iz, O_Iv,
    O_Jb, O_Jz, O_Ap, O_Ob, O_Ov, O_M, O_Ma, O_Mp, O_Ms, O_Mw, O_Md, O_Mq, O_Mt,
    O_Sw, O_Cd, O_Dd, O_Rd, O_Zb, O_Zv, O_ST0, O_STi, O_One, O_AL, O_CL, O_DX, O_AX, O_eAX,
    O_ES, O_CS, O_SS, O_DS, O_FS, O_GS,
    /* MMX (SDM vol. 2 A.2.1): Pq mm in ModRM.reg; Qq mm or m64 in r/m; Qd mm
     * or m32 (PUNPCKL* mm); Nq mm in r/m (mod == 3 only); Ey r/m32, or r/m64
     * with REX.W (MOVD/MOVQ). */
    O_Pq, O_Qq, O_Qd, O_Nq, O_Ey,
    /* SSE: Vx xmm in ModRM.reg (with REX.R); Wx xmm or m128 in r/m; Wd,
     * Wq and Ww xmm or m32/m64/m16 in r/m (the scalar forms, SDM's Wss/Wsd,
     * the conversions that read half a register, MOVDDUP, PMOVSX/ZX,
     * ROUNDSS, INSERTPS); Gy r32, or r64 with REX.W, in ModRM.reg
     * (CVTSS2SI, CRC32); RyMb/RyMw/RyMd r32 (r64 with REX.W) or m8/m16/m32
     * (PEXTRB/PINSRB, PEXTRW, EXTRACTPS). */
    O_Vx, O_Wx, O_Wd, O_Wq, O_Gy, O_Ww, O_RyMb, O_RyMw, O_RyMd,
    O_COUNT
};

/* Row flags (struct oprow.flags). */
#define F_LOCKABLE 0x0001u  /* LOCK allowed with a memory destination */
#define F_REGMOD 0x0002u  /* ModRM.mod ignored: register operand (MOV CRn/DRn) */
#define F_STR    0x0004u  /* string instruction (REP prefixes apply) */
#define F_REPE   0x0008u  /* F3 means REPE (CMPS, SCAS), not REP */
#define F_FAR    0x0010u  /* far indirect (m16:16/32) */
/* 64-bit mode rules (SDM vol. 2 A.2.5 superscripts i64, o64, d64, f64). */
#define F_NO64   0x0020u  /* invalid in 64-bit mode (#UD) */
#define F_ONLY64 0x0040u  /* valid only in 64-bit mode (#UD elsewhere) */
#define F_D64    0x0080u  /* operand size defaults to 64 in 64-bit mode (66 gives 16) */
#define F_F64    0x0100u  /* operand size is 64 in 64-bit mode whatever the prefixes */
#define F_PRIV   0x0200u  /* CPL 0 only (SDM vol. 3 5.9); the handler does the check */
#define F_SENS   0x0400u  /* sensitive: raw mode must not run it natively in ring 3
                           * (reads or writes state the host, not the guest, owns) */
#define F_X87    0x0800u  /* x87 escape form (D8..DF) */
#define F_OPZ    0x4000u  /* operand size 2 or 4 only: REX.W ignored (INS, OUTS, IN, OUT) */
#define F_ASZNAME 0x8000u /* mnemonic named by address size, not operand size (JrCXZ) */
/* Block class in bits 12-13 (OPROW_CLASS): where a JIT block must end. */
#define CL_NORMAL 0x0000u  /* falls through */
#define CL_BRANCH 0x1000u  /* changes RIP only (near jumps, calls, returns, loops) */
#define CL_SERIAL 0x2000u  /* must be last in a block: changes state the next
                            * instruction's translation may depend on (descriptor
                            * tables, interrupt flag, MOV SS shadow, HLT, CPUID) */
#define CL_MODE   0x3000u  /* may change CS, CPL, paging, the mode or EFLAGS.TF/IF */
#define OPROW_CLASS(r) ((r)->flags & 0x3000u)

/* CPUID features a row needs (what cpuid.c's words can be built from).
 * Today's CPU model (a P6 with FPU, TSC, MSR, CX8, SEP, CMOV) has every
 * feature below FEAT_LM. */
enum feat {
    FEAT_BASE,      /* 8086..386 */
    FEAT_I486,      /* BSWAP, CMPXCHG, XADD, INVD, WBINVD, INVLPG */
    FEAT_CPUID,     /* CPUID itself (486 and later; EFLAGS.ID) */
    FEAT_FPU,       /* CPUID.1:EDX.FPU[0]: x87 */
    FEAT_TSC,       /* CPUID.1:EDX.TSC[4]: RDTSC */
    FEAT_MSR,       /* CPUID.1:EDX.MSR[5]: RDMSR, WRMSR */
    FEAT_CX8,       /* CPUID.1:EDX.CX8[8]: CMPXCHG8B */
    FEAT_SEP,       /* CPUID.1:EDX.SEP[11]: SYSENTER, SYSEXIT */
    FEAT_CMOV,      /* CPUID.1:EDX.CMOV[15]: CMOVcc */
    FEAT_FCMOV,     /* CMOV and FPU: FCMOVcc, FCOMI, FUCOMI(P) */
    FEAT_P6,        /* P6 family without a CPUID bit: RDPMC, UD2, hint NOPs */
    FEAT_LM,        /* CPUID.80000001H:EDX.LM[29]: long mode (MOVSXD, SWAPGS) */
    FEAT_SYSCALL,   /* CPUID.80000001H:EDX.SYSCALL[11]: SYSCALL, SYSRET */
    FEAT_RDTSCP,    /* CPUID.80000001H:EDX.RDTSCP[27] */
    FEAT_CX16,      /* CPUID.1:ECX.CX16[13]: CMPXCHG16B */
    FEAT_MMX,       /* CPUID.1:EDX.MMX[23] */
    FEAT_SSE,       /* CPUID.1:EDX.SSE[25] */
    FEAT_SSE2,      /* CPUID.1:EDX.SSE2[26] */
    FEAT_SSE3,      /* CPUID.1:ECX.SSE3[0] (also FISTTP) */
    FEAT_SSSE3,     /* CPUID.1:ECX.SSSE3[9] */
    FEAT_SSE41,     /* CPUID.1:ECX.SSE4_1[19] */
    FEAT_SSE42,     /* CPUID.1:ECX.SSE4_2[20] (also CRC32) */
    FEAT_POPCNT,    /* CPUID.1:ECX.POPCNT[23] */
    FEAT_COUNT
};

/* Arithmetic flag masks, 6 bits each (struct oprow fl_read/fl_write/
 * fl_undef): C P A Z S O in bits 0..5, the EFLAGS order. optable.def names
 * them by letters in SDM order (OSZAPC); optable_eflags() converts. */
#define FM_C 0x01u
#define FM_P 0x02u
#define FM_A 0x04u
#define FM_Z 0x08u
#define FM_S 0x10u
#define FM_O 0x20u

struct oprow {
    const char *mnem;   /* "a/b/c": the name for operand size 2/4/8 */
    op_fn fn;
    uint8_t o[3];
    uint8_t sub;        /* sub-op: ALU_*, SH_*, condition code, SEG_*, x87 op */
    uint8_t feat;       /* enum feat */
    uint8_t fl_read, fl_write, fl_undef;    /* FM_* masks */
    uint32_t flags;     /* F_* and CL_* */
    /* derived */
    uint8_t modrm;      /* has a ModRM byte */
    uint8_t memonly;    /* ModRM operand must be memory (#UD if mod == 3) */
    uint8_t imm;        /* enum imm_kind */
    uint8_t byteop;     /* first operand is a byte */
};

/* Immediate kinds derived from the operands. */
enum imm_kind { IMM_NONE, IMM_B, IMM_BS, IMM_W, IMM_Z, IMM_V, IMM_JB, IMM_JZ,
                IMM_AP, IMM_MOFFS, IMM_W_B };

/* Maps: 0 one-byte, 1 0F, 2 0F 38, 3 0F 3A. */
#define OPMAP_SIZE  0x400
#define OPMAP_KIND  0xc000u
#define OPMAP_GROUP 0x4000u     /* low bits: group */
#define OPMAP_PFX   0x8000u     /* low bits: prefix table */
#define OPMAP_DUAL  0xc000u     /* low bits: mode-dual pair */

/* Mandatory-prefix selectors (insn.mpfx, optable_pfx[][k]). */
enum { MPFX_NP, MPFX_66, MPFX_F3, MPFX_F2 };

struct opgroup {
    uint16_t mem[8];        /* row per ModRM.reg, mod != 3 (0 = #UD) */
    uint16_t reg[8][8];     /* row per ModRM.reg and rm, mod == 3 */
};

extern struct oprow optable_rows[];
extern unsigned optable_nrows;
extern uint16_t optable_map[OPMAP_SIZE];
extern struct opgroup optable_groups[];
extern uint16_t optable_pfx[][4];           /* row per MPFX_* (0 = NP row) */
extern uint16_t optable_dual[][2];          /* row outside / in 64-bit mode */

void optable_init(void);

/* FM_* mask -> EFLAGS bits. */
uint32_t optable_eflags(unsigned fm);

/* The mnemonic of row `r` for operand size `size` (1, 2, 4, 8), copied
 * into buf: "cbw/cwde/cdqe" gives "cwde" for 4. */
const char *optable_mnem(const struct oprow *r, unsigned size, char *buf, unsigned len);

/* The weak default every handler starts as (see handlers.def). */
void op_unimpl(struct cpu *cpu, const struct insn *i);

#endif
