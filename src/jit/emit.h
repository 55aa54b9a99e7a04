/* The recompiler's x86-64 machine-code emitter (src/jit/emit*.c): small
 * functions that append one encoded host instruction each to a code buffer.
 * It knows encodings only (Intel SDM vol. 2, ch. 2: legacy prefixes, REX,
 * ModRM, SIB, displacement, immediate); what the code means is the
 * translator's business.
 *
 * Conventions:
 * - `size` is the operand size in bits: 8, 16, 32 or 64 where the
 *   instruction has that size.
 * - Byte operands name the low byte of a register (with a REX prefix for
 *   SPL/BPL/SIL/DIL/R8B..R15B) or one of JIT_AH..JIT_BH, which only exist
 *   in instructions without REX: combining them with anything that needs
 *   REX is an error.
 * - Immediates must fit the operand size as a signed or an unsigned value
 *   (64-bit operations take a sign-extended imm32, except the MOV forms).
 * - An instruction that does not fit in the buffer sets `overflow`; one the
 *   emitter cannot encode (bad register, size, scale, displacement or
 *   branch range) sets `error`. Either way nothing of it is written, and
 *   once either flag is set every later emit writes nothing, so the
 *   translator checks the flags once per block: overflow -> flush the code
 *   cache and retry, error -> a translator bug, fall back to the
 *   interpreter.
 * - Code may run at another address than where it is written (the code
 *   cache writes through a writable view and runs from an executable
 *   alias: emit_init_exec). Every absolute address the emitter takes, a
 *   jump or call target or a RIP-relative operand, is a run-time address,
 *   and relative fields are computed from the run-time address of the
 *   instruction. A target inside the buffer is emit_here() or
 *   emit_exec_addr(), not a pointer into the buffer. With emit_init the
 *   two are the same. */
#ifndef RAWBOX_JIT_EMIT_H
#define RAWBOX_JIT_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jit_buf {
    uint8_t *p, *start, *end;   /* next byte, first byte, one past the last */
    uintptr_t exec_delta;       /* run-time address - write address (mod 2^64) */
    bool overflow;              /* an instruction did not fit */
    bool error;                 /* an instruction could not be encoded */
};

/* Code that runs where it is written. */
void emit_init(struct jit_buf *b, void *mem, size_t size);
/* Code written at mem that will run at exec (its alias in another mapping). */
void emit_init_exec(struct jit_buf *b, void *mem, size_t size, const void *exec);

static inline size_t emit_offset(const struct jit_buf *b)
{
    return (size_t)(b->p - b->start);
}

/* The run-time address of the byte at buffer offset off. */
static inline void *emit_exec_addr(const struct jit_buf *b, size_t off)
{
    return (void *)((uintptr_t)b->start + off + b->exec_delta);
}

/* The run-time address of the next instruction: a target for later jumps. */
static inline void *emit_here(const struct jit_buf *b)
{
    return emit_exec_addr(b, emit_offset(b));
}

static inline bool emit_failed(const struct jit_buf *b)
{
    return b->overflow || b->error;
}

/* Host registers in their encoding order. */
enum jit_reg {
    JIT_RAX, JIT_RCX, JIT_RDX, JIT_RBX, JIT_RSP, JIT_RBP, JIT_RSI, JIT_RDI,
    JIT_R8, JIT_R9, JIT_R10, JIT_R11, JIT_R12, JIT_R13, JIT_R14, JIT_R15,
    JIT_AH = 0x14, JIT_CH, JIT_DH, JIT_BH,  /* byte operands, never with REX */
    JIT_NOREG = 0x20,                       /* no base or no index */
    JIT_RIP = 0x21,                         /* base of a RIP-relative operand */
};

enum jit_xmm {
    JIT_XMM0, JIT_XMM1, JIT_XMM2, JIT_XMM3, JIT_XMM4, JIT_XMM5, JIT_XMM6, JIT_XMM7,
    JIT_XMM8, JIT_XMM9, JIT_XMM10, JIT_XMM11, JIT_XMM12, JIT_XMM13, JIT_XMM14, JIT_XMM15,
};

/* A memory operand: [base + index*scale + disp]. With base JIT_RIP, disp
 * is the absolute (run-time) address to reach and the emitter computes the
 * rel32. */
struct jit_mem {
    enum jit_reg base, index;
    uint8_t scale;              /* 1, 2, 4 or 8 */
    int64_t disp;               /* must fit int32, except for JIT_RIP */
};

static inline struct jit_mem jit_mem(enum jit_reg base, int32_t disp)
{
    return (struct jit_mem){ base, JIT_NOREG, 1, disp };
}

static inline struct jit_mem jit_mem_idx(enum jit_reg base, enum jit_reg index,
                                         unsigned scale, int32_t disp)
{
    return (struct jit_mem){ base, index, (uint8_t)scale, disp };
}

/* [disp32]: an absolute address in the low or the high 2 GiB. */
static inline struct jit_mem jit_mem_abs(int32_t addr)
{
    return (struct jit_mem){ JIT_NOREG, JIT_NOREG, 1, addr };
}

static inline struct jit_mem jit_mem_rip(const void *target)
{
    return (struct jit_mem){ JIT_RIP, JIT_NOREG, 1, (int64_t)(intptr_t)target };
}

/* Condition codes in their encoding order (the low nibble of Jcc/SETcc/CMOVcc). */
enum jit_cc {
    JIT_CC_O, JIT_CC_NO, JIT_CC_B, JIT_CC_AE, JIT_CC_E, JIT_CC_NE, JIT_CC_BE, JIT_CC_A,
    JIT_CC_S, JIT_CC_NS, JIT_CC_P, JIT_CC_NP, JIT_CC_L, JIT_CC_GE, JIT_CC_LE, JIT_CC_G,
};

/* ---- moves (emit.c) ---- */
void emit_mov_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
/* The shortest encoding: at size 64 a value that fits uint32 becomes a
 * 32-bit MOV (it zero-extends), one that fits int32 the sign-extended
 * imm32 form, anything else MOV r64, imm64. */
void emit_mov_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, int64_t imm);
/* Always MOV r64, imm64; returns the offset of the imm64 for patching. */
size_t emit_mov_ri64(struct jit_buf *b, enum jit_reg dst, uint64_t imm);
void emit_mov_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m);
void emit_mov_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src);
void emit_mov_mi(struct jit_buf *b, unsigned size, struct jit_mem m, int64_t imm);
/* dsize 16/32/64 from ssize 8/16 (MOVZX/MOVSX); MOVSXD is 64 from 32. */
void emit_movzx_rr(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, enum jit_reg src);
void emit_movzx_rm(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, struct jit_mem m);
void emit_movsx_rr(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, enum jit_reg src);
void emit_movsx_rm(struct jit_buf *b, unsigned dsize, unsigned ssize, enum jit_reg dst, struct jit_mem m);
void emit_movsxd_rr(struct jit_buf *b, enum jit_reg dst, enum jit_reg src);
void emit_movsxd_rm(struct jit_buf *b, enum jit_reg dst, struct jit_mem m);
void emit_lea(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m);

/* ---- integer arithmetic (emit_alu.c) ---- */
/* Group 1, numbered as ModRM.reg of 80-83. */
enum jit_alu { JIT_ADD, JIT_OR, JIT_ADC, JIT_SBB, JIT_AND, JIT_SUB, JIT_XOR, JIT_CMP };
void emit_alu_rr(struct jit_buf *b, enum jit_alu op, unsigned size, enum jit_reg dst, enum jit_reg src);
/* imm8 form when the value fits, else the accumulator short form for
 * RAX/EAX/AX/AL, else the imm16/imm32 form. */
void emit_alu_ri(struct jit_buf *b, enum jit_alu op, unsigned size, enum jit_reg dst, int64_t imm);
void emit_alu_rm(struct jit_buf *b, enum jit_alu op, unsigned size, enum jit_reg dst, struct jit_mem m);
void emit_alu_mr(struct jit_buf *b, enum jit_alu op, unsigned size, struct jit_mem m, enum jit_reg src);
void emit_alu_mi(struct jit_buf *b, enum jit_alu op, unsigned size, struct jit_mem m, int64_t imm);
/* CMP dword m, imm32 with a 32-bit immediate always (patchable): returns
 * the immediate's offset. */
size_t emit_cmp_mi32_wide(struct jit_buf *b, struct jit_mem m, int32_t imm);
void emit_test_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_test_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, int64_t imm);
void emit_test_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src);
void emit_test_mi(struct jit_buf *b, unsigned size, struct jit_mem m, int64_t imm);

/* One-operand groups 3, 4 and 5: MUL/IMUL1/DIV/IDIV use RDX:RAX. */
enum jit_unop { JIT_INC, JIT_DEC, JIT_NOT, JIT_NEG, JIT_MUL, JIT_IMUL1, JIT_DIV, JIT_IDIV };
void emit_unop_r(struct jit_buf *b, enum jit_unop op, unsigned size, enum jit_reg r);
void emit_unop_m(struct jit_buf *b, enum jit_unop op, unsigned size, struct jit_mem m);

/* Group 2, numbered as ModRM.reg of C0-D3 (/6 is an undocumented SHL). */
enum jit_shift { JIT_ROL, JIT_ROR, JIT_RCL, JIT_RCR, JIT_SHL, JIT_SHR, JIT_SAR = 7 };
/* A count of 1 uses the D0/D1 form (same result and flags as C0/C1 with 1). */
void emit_shift_ri(struct jit_buf *b, enum jit_shift op, unsigned size, enum jit_reg r, uint8_t count);
void emit_shift_r_cl(struct jit_buf *b, enum jit_shift op, unsigned size, enum jit_reg r);
void emit_shift_mi(struct jit_buf *b, enum jit_shift op, unsigned size, struct jit_mem m, uint8_t count);
void emit_shift_m_cl(struct jit_buf *b, enum jit_shift op, unsigned size, struct jit_mem m);
/* SHLD/SHRD dst, src, imm8 or CL (sizes 16/32/64). */
void emit_shld_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src, uint8_t count);
void emit_shld_r_cl(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_shrd_ri(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src, uint8_t count);
void emit_shrd_r_cl(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);

/* IMUL r, r/m and IMUL r, r/m, imm (sizes 16/32/64; imm8 form when it fits). */
void emit_imul_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_imul_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m);
void emit_imul_rri(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src, int64_t imm);
void emit_imul_rmi(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m, int64_t imm);

/* ---- bits, exchange, conditions (emit_bit.c) ---- */
/* BT family, numbered as ModRM.reg of 0F BA (sizes 16/32/64). The memory
 * forms with a register offset address a bit string beyond the operand. */
enum jit_bt { JIT_BT = 4, JIT_BTS, JIT_BTR, JIT_BTC };
void emit_bt_rr(struct jit_buf *b, enum jit_bt op, unsigned size, enum jit_reg dst, enum jit_reg bit);
void emit_bt_ri(struct jit_buf *b, enum jit_bt op, unsigned size, enum jit_reg dst, uint8_t bit);
void emit_bt_mr(struct jit_buf *b, enum jit_bt op, unsigned size, struct jit_mem m, enum jit_reg bit);
void emit_bt_mi(struct jit_buf *b, enum jit_bt op, unsigned size, struct jit_mem m, uint8_t bit);
void emit_bsf_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_bsf_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m);
void emit_bsr_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_bsr_rm(struct jit_buf *b, unsigned size, enum jit_reg dst, struct jit_mem m);
void emit_bswap(struct jit_buf *b, unsigned size, enum jit_reg r);   /* 32/64 */

void emit_xchg_rr(struct jit_buf *b, unsigned size, enum jit_reg a, enum jit_reg c);
void emit_xchg_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg r); /* locks implicitly */
void emit_cmpxchg_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_cmpxchg_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src, bool lock);
void emit_cmpxchg8b_m(struct jit_buf *b, struct jit_mem m, bool lock);
void emit_cmpxchg16b_m(struct jit_buf *b, struct jit_mem m, bool lock);  /* m 16-aligned */
void emit_xadd_rr(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_xadd_mr(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_reg src, bool lock);

void emit_cmov_rr(struct jit_buf *b, enum jit_cc cc, unsigned size, enum jit_reg dst, enum jit_reg src);
void emit_cmov_rm(struct jit_buf *b, enum jit_cc cc, unsigned size, enum jit_reg dst, struct jit_mem m);
void emit_setcc_r(struct jit_buf *b, enum jit_cc cc, enum jit_reg dst);   /* a byte register */
void emit_setcc_m(struct jit_buf *b, enum jit_cc cc, struct jit_mem m);

void emit_cbw(struct jit_buf *b);
void emit_cwde(struct jit_buf *b);
void emit_cdqe(struct jit_buf *b);
void emit_cwd(struct jit_buf *b);
void emit_cdq(struct jit_buf *b);
void emit_cqo(struct jit_buf *b);

/* ---- flags, control flow, stack (emit_ctl.c) ---- */
void emit_pushfq(struct jit_buf *b);
void emit_popfq(struct jit_buf *b);
/* LAHF/SAHF in 64-bit mode need CPUID.80000001H:ECX.LAHF-SAHF[bit 0]. */
void emit_lahf(struct jit_buf *b);
void emit_sahf(struct jit_buf *b);
void emit_clc(struct jit_buf *b);
void emit_stc(struct jit_buf *b);
void emit_cmc(struct jit_buf *b);

/* JMP/Jcc to a known target: rel8 when it reaches, else rel32. */
void emit_jmp(struct jit_buf *b, const void *target);
void emit_jcc(struct jit_buf *b, enum jit_cc cc, const void *target);
/* Jumps whose target comes later: each returns the buffer offset of its
 * rel8/rel32 field, to hand to emit_patch_rel8/rel32 once the target is
 * known. */
size_t emit_jmp8_fwd(struct jit_buf *b);
size_t emit_jmp32_fwd(struct jit_buf *b);
size_t emit_call32_fwd(struct jit_buf *b);      /* CALL rel32, patched later */
size_t emit_jcc8_fwd(struct jit_buf *b, enum jit_cc cc);
size_t emit_jcc32_fwd(struct jit_buf *b, enum jit_cc cc);
/* Point the field at `at` (which ends its instruction) to target. False
 * when nothing was patched: the target is out of range (`error` set), or
 * the field was never written because the buffer had already failed (the
 * flags stay as they are; an unwritten field in a healthy buffer is a
 * caller bug and sets `error`). */
bool emit_patch_rel8(struct jit_buf *b, size_t at, const void *target);
bool emit_patch_rel32(struct jit_buf *b, size_t at, const void *target);
void emit_jmp_r(struct jit_buf *b, enum jit_reg r);
void emit_jmp_m(struct jit_buf *b, struct jit_mem m);
void emit_call(struct jit_buf *b, const void *target);        /* rel32 */
void emit_call_r(struct jit_buf *b, enum jit_reg r);
void emit_call_m(struct jit_buf *b, struct jit_mem m);
/* Call a C function anywhere: rel32 when it reaches, else
 * MOV R11, imm64; CALL R11 (R11 is caller-saved and holds no argument). */
void emit_call_abs(struct jit_buf *b, const void *fn);
void emit_ret(struct jit_buf *b);
void emit_ret_i(struct jit_buf *b, uint16_t imm);
void emit_push_m(struct jit_buf *b, struct jit_mem m);     /* 64-bit */
void emit_push_r(struct jit_buf *b, enum jit_reg r);
void emit_pop_r(struct jit_buf *b, enum jit_reg r);
void emit_push_i(struct jit_buf *b, int32_t imm);    /* pushes imm sign-extended to 64 */
void emit_ud2(struct jit_buf *b);
void emit_int3(struct jit_buf *b);
/* One NOP instruction of exactly n bytes, 1 <= n <= 15. */
void emit_nop(struct jit_buf *b, unsigned n);
/* NOPs up to the next run-time address that is a multiple of align (a power of 2). */
void emit_align(struct jit_buf *b, unsigned align);

/* ---- SSE/SSE2 and x87 control (emit_sse.c) ---- */
/* Mandatory prefix (00, 66, F3, F2) << 8 | the opcode byte after 0F. */
enum jit_sse {
    JIT_MOVUPS = 0x0010, JIT_MOVUPD = 0x6610, JIT_MOVSS = 0xF310, JIT_MOVSD = 0xF210,
    JIT_MOVAPS = 0x0028, JIT_MOVAPD = 0x6628,
    JIT_MOVDQA = 0x666F, JIT_MOVDQU = 0xF36F,
    JIT_SQRTPS = 0x0051, JIT_SQRTPD = 0x6651, JIT_SQRTSS = 0xF351, JIT_SQRTSD = 0xF251,
    JIT_ANDPS = 0x0054, JIT_ANDPD = 0x6654, JIT_ANDNPS = 0x0055, JIT_ANDNPD = 0x6655,
    JIT_ORPS = 0x0056, JIT_ORPD = 0x6656, JIT_XORPS = 0x0057, JIT_XORPD = 0x6657,
    JIT_ADDPS = 0x0058, JIT_ADDPD = 0x6658, JIT_ADDSS = 0xF358, JIT_ADDSD = 0xF258,
    JIT_MULPS = 0x0059, JIT_MULPD = 0x6659, JIT_MULSS = 0xF359, JIT_MULSD = 0xF259,
    JIT_SUBPS = 0x005C, JIT_SUBPD = 0x665C, JIT_SUBSS = 0xF35C, JIT_SUBSD = 0xF25C,
    JIT_MINPS = 0x005D, JIT_MINPD = 0x665D, JIT_MINSS = 0xF35D, JIT_MINSD = 0xF25D,
    JIT_DIVPS = 0x005E, JIT_DIVPD = 0x665E, JIT_DIVSS = 0xF35E, JIT_DIVSD = 0xF25E,
    JIT_MAXPS = 0x005F, JIT_MAXPD = 0x665F, JIT_MAXSS = 0xF35F, JIT_MAXSD = 0xF25F,
    JIT_UCOMISS = 0x002E, JIT_UCOMISD = 0x662E, JIT_COMISS = 0x002F, JIT_COMISD = 0x662F,
    JIT_CVTSS2SD = 0xF35A, JIT_CVTSD2SS = 0xF25A,
    JIT_PADDB = 0x66FC, JIT_PADDW = 0x66FD, JIT_PADDD = 0x66FE, JIT_PADDQ = 0x66D4,
    JIT_PSUBB = 0x66F8, JIT_PSUBW = 0x66F9, JIT_PSUBD = 0x66FA, JIT_PSUBQ = 0x66FB,
    JIT_PAND = 0x66DB, JIT_PANDN = 0x66DF, JIT_POR = 0x66EB, JIT_PXOR = 0x66EF,
    /* integer <-> scalar conversions: emit_cvt_* only */
    JIT_CVTSI2SS = 0xF32A, JIT_CVTSI2SD = 0xF22A,
    JIT_CVTTSS2SI = 0xF32C, JIT_CVTTSD2SI = 0xF22C,
    JIT_CVTSS2SI = 0xF32D, JIT_CVTSD2SI = 0xF22D,
};
/* xmm, xmm/m: every jit_sse except the CVT*SI* forms. */
void emit_sse_rr(struct jit_buf *b, enum jit_sse op, enum jit_xmm dst, enum jit_xmm src);
void emit_sse_rm(struct jit_buf *b, enum jit_sse op, enum jit_xmm dst, struct jit_mem m);
/* Store form of a move (MOVSS/SD, MOVUPS/PD, MOVAPS/PD, MOVDQA/U). */
void emit_sse_mr(struct jit_buf *b, enum jit_sse op, struct jit_mem m, enum jit_xmm src);
/* CVTSI2SS/SD from a 32/64-bit integer; CVT(T)SS/SD2SI to one. */
void emit_cvt_i2f_rr(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_xmm dst, enum jit_reg src);
void emit_cvt_i2f_rm(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_xmm dst, struct jit_mem m);
void emit_cvt_f2i_rr(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_reg dst, enum jit_xmm src);
void emit_cvt_f2i_rm(struct jit_buf *b, enum jit_sse op, unsigned isize, enum jit_reg dst, struct jit_mem m);
/* MOVD (size 32) / MOVQ (size 64) between XMM and a GPR or memory. */
void emit_movd_xr(struct jit_buf *b, unsigned size, enum jit_xmm dst, enum jit_reg src);
void emit_movd_rx(struct jit_buf *b, unsigned size, enum jit_reg dst, enum jit_xmm src);
void emit_movd_xm(struct jit_buf *b, unsigned size, enum jit_xmm dst, struct jit_mem m);
void emit_movd_mx(struct jit_buf *b, unsigned size, struct jit_mem m, enum jit_xmm src);
void emit_movq_xx(struct jit_buf *b, enum jit_xmm dst, enum jit_xmm src);  /* zeroes 127:64 */

/* A guest's legacy SSE instruction as it is (the recompiler's SSE forms):
 * mandatory prefix pfx (0, 66, F2, F3), opcode map (1: 0F, 2: 0F 38,
 * 3: 0F 3A) and byte, ModRM.reg = reg, the r/m operand an XMM register
 * (rm >= 0) or memory m, then imm8 when immlen is 1. */
void emit_sse_any(struct jit_buf *b, unsigned pfx, unsigned map, unsigned op, int reg, int rm,
                  struct jit_mem m, unsigned immlen, uint8_t imm);
/* MOVDQU between an XMM register and memory (state loads and stores). */
void emit_movdqu_xm(struct jit_buf *b, enum jit_xmm dst, struct jit_mem m);
void emit_movdqu_mx(struct jit_buf *b, struct jit_mem m, enum jit_xmm src);

void emit_ldmxcsr(struct jit_buf *b, struct jit_mem m);
void emit_stmxcsr(struct jit_buf *b, struct jit_mem m);
/* FXSAVE/FXRSTOR (512 bytes, 16-aligned); the 64 forms (REX.W) keep the
 * full 64-bit FPU instruction and data pointers. */
void emit_fxsave(struct jit_buf *b, struct jit_mem m);
void emit_fxrstor(struct jit_buf *b, struct jit_mem m);
void emit_fxsave64(struct jit_buf *b, struct jit_mem m);
void emit_fxrstor64(struct jit_buf *b, struct jit_mem m);
void emit_fldcw(struct jit_buf *b, struct jit_mem m);
void emit_fnstcw(struct jit_buf *b, struct jit_mem m);
void emit_fnstsw_ax(struct jit_buf *b);
void emit_fnstsw_m(struct jit_buf *b, struct jit_mem m);
void emit_fnclex(struct jit_buf *b);
/* FRSTOR / FNSAVE: the 108-byte 32-bit image (FNSAVE then initialises
 * the FPU as FNINIT does). */
void emit_frstor(struct jit_buf *b, struct jit_mem m);
void emit_fnsave(struct jit_buf *b, struct jit_mem m);
/* A guest's x87 instruction as it is: escape D8+esc, then ModRM (a
 * register form: modrm itself; memory: ModRM.reg = digit, operand m). */
void emit_x87_reg(struct jit_buf *b, unsigned esc, uint8_t modrm);
void emit_x87_mem(struct jit_buf *b, unsigned esc, int digit, struct jit_mem m);
void emit_fninit(struct jit_buf *b);
void emit_fwait(struct jit_buf *b);

#endif
