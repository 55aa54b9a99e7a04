/* x87 FPU: internal interface shared by src/cpu/x87*.c.
 *
 * Model (Intel SDM vol. 1 ch. 8): eight 80-bit registers kept in physical
 * order in cpu->s.fpu.st[] as struct f80 images (src/cpu/state.h); host
 * long double values exist only while an operation computes, the
 * control word, the status word with TOP in bits 11..13, the full 2-bit tag
 * word, and the last-instruction pointers FIP/FCS, FDP/FDS and FOP.
 *
 * Arithmetic runs on the host's x87 (x87_host.c) with the guest's precision
 * and rounding control and all host exceptions masked; the host status word
 * gives the exception flags, C1 (round-up) and the condition codes. The
 * masked responses are therefore the hardware's own; unmasked responses
 * (destination unchanged for #I/#D/#Z, exponent-wrapped results for #O/#U)
 * are built here from them.
 */
#ifndef RAWBOX_CPU_X87_H
#define RAWBOX_CPU_X87_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"
#include "cpu/insn.h"

#if !defined(__x86_64__) && !defined(__i386__)
#error "the x87 model computes on the host x87: build on an x86 host"
#endif

/* Status word. */
#define FSW_IE 0x0001u
#define FSW_DE 0x0002u
#define FSW_ZE 0x0004u
#define FSW_OE 0x0008u
#define FSW_UE 0x0010u
#define FSW_PE 0x0020u
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_TOP 0x3800u
#define FSW_C3 0x4000u
#define FSW_B  0x8000u
#define FSW_EXC 0x003fu             /* the six exception flags */
#define FSW_CC (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* Control word. */
#define FCW_EXC 0x003fu             /* exception masks, same bits as FSW_EXC */
#define FCW_PC  0x0300u
#define FCW_RC  0x0c00u
#define FCW_IC  0x1000u
#define FCW_INIT 0x037fu

/* Tags. */
enum { TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3 };

/* Well-known values. */
#define F80_INDEF ((struct f80){ 0xc000000000000000ull, 0xffff })

/* ---- x87.c: state and bookkeeping ---- */
static inline unsigned x87_top(const struct cpu *cpu) { return (cpu->s.fpu.sw >> 11) & 7; }
static inline unsigned x87_phys(const struct cpu *cpu, unsigned i) { return (x87_top(cpu) + i) & 7; }
static inline unsigned x87_tag(const struct cpu *cpu, unsigned phys)
{
    return (cpu->s.fpu.tw >> (2 * phys)) & 3;
}
static inline bool x87_empty(const struct cpu *cpu, unsigned i)
{
    return x87_tag(cpu, x87_phys(cpu, i)) == TAG_EMPTY;
}

struct f80 f80_get(const long double *p);
void f80_put(long double *p, struct f80 v);
unsigned f80_tag(struct f80 v);
struct f80 x87_st(const struct cpu *cpu, unsigned i);        /* ST(i) bits */
/* ST(i) as a host long double, for the host x87 (x87_host.c). */
void x87_st_ld(const struct cpu *cpu, unsigned i, long double *out);
/* The 10-byte memory image (FSAVE, FSTP m80, save state) and back. */
void f80_image(struct f80 v, uint8_t out[10]);
struct f80 f80_from_image(const uint8_t in[10]);
void x87_set_st(struct cpu *cpu, unsigned i, struct f80 v);  /* write + tag */
void x87_set_st_ld(struct cpu *cpu, unsigned i, const long double *v);
void x87_free(struct cpu *cpu, unsigned i);                  /* tag empty */
void x87_pop(struct cpu *cpu);
void x87_push(struct cpu *cpu, struct f80 v);                /* TOP-1, write */
void x87_set_top(struct cpu *cpu, unsigned top);
void x87_set_cc(struct cpu *cpu, uint16_t cc);               /* C0..C3 */

/* Record exception flags `exc` (FSW_IE...|FSW_SF). Returns true when the
 * instruction may deliver its result: no unmasked #I, #D or #Z. */
bool x87_raise(struct cpu *cpu, unsigned exc);
/* Stack faults (#IS): overflow sets C1, underflow clears it. Returns true
 * when masked (the caller then delivers the QNaN indefinite). */
bool x87_stack_underflow(struct cpu *cpu);
bool x87_stack_overflow(struct cpu *cpu);
/* Report a pending unmasked x87 exception before a waiting instruction
 * (and before every MMX instruction, SDM vol. 3 12.5.1): #MF with CR0.NE,
 * else FERR#. Returns false when the processor freezes (not executed). */
bool x87_check_pending(struct cpu *cpu);
/* Recompute ES/B from flags and masks and drive FERR accordingly. */
void x87_update_es(struct cpu *cpu);
/* Set the control word (FLDCW, FLDENV, FRSTOR). */
void x87_set_cw(struct cpu *cpu, uint16_t cw);

/* Full tag word with non-empty tags recomputed from the registers, as
 * FSTENV/FSAVE store it. */
uint16_t x87_tag_word(const struct cpu *cpu);

/* ---- x87_host.c: operations computed on the host FPU ---- */
enum x87_hop {
    /* r0 = a op b */
    HOP_ADD, HOP_SUB, HOP_SUBR, HOP_MUL, HOP_DIV, HOP_DIVR,
    /* ST0 = a, ST1 = b; r0 = new ST0 (and ST1 stays) */
    HOP_SCALE, HOP_PREM, HOP_PREM1,
    /* ST0 = a, ST1 = b; pops; r0 = result */
    HOP_YL2X, HOP_YL2XP1, HOP_PATAN,
    /* unary on a: r0 */
    HOP_SQRT, HOP_RNDINT, HOP_SIN, HOP_COS, HOP_F2XM1,
    /* unary on a, two results: r0 = new ST0, r1 = new ST1 */
    HOP_XTRACT, HOP_PTAN, HOP_SINCOS,
    /* compare a (ST0) with b; only sw */
    HOP_COM, HOP_UCOM, HOP_TST,
    /* loads from h->mem into r0 */
    HOP_LD32, HOP_LD64, HOP_LDI16, HOP_LDI32, HOP_LDI64, HOP_LDBCD,
    /* stores of a into h->mem */
    HOP_ST32, HOP_ST64, HOP_STI16, HOP_STI32, HOP_STI64, HOP_STBCD,
    /* constants, rounded per RC as the hardware does, into r0 */
    HOP_LD1, HOP_LDL2T, HOP_LDL2E, HOP_LDPI, HOP_LDLG2, HOP_LDLN2, HOP_LDZ,
};

struct x87_host {
    long double a, b;       /* operands (80-bit images) */
    long double r0, r1;     /* results */
    uint8_t mem[16];        /* memory image for loads and stores */
    uint16_t sw;            /* host status word after the operation */
};

/* Run `op` with precision/rounding from guest control word `cw`, all
 * exceptions masked. Returns the host status word (also in h->sw). */
uint16_t x87_host_run(enum x87_hop op, uint16_t cw, struct x87_host *h);

/* Exponent-wrapped result for an unmasked overflow (wrap < 0) or underflow
 * (wrap > 0) of a binary operation: the exact result times 2^(wrap*24576),
 * rounded per `cw`. */
void x87_host_wrapped(enum x87_hop op, uint16_t cw, struct x87_host *h, int wrap);

/* Conversions (pure; unit-tested). Each returns the exception flags. */
unsigned x87_cvt_to_int(struct f80 v, uint16_t cw, int bytes, int64_t *out);
unsigned x87_cvt_to_bcd(struct f80 v, uint16_t cw, uint8_t out[10]);
struct f80 x87_cvt_from_bcd(const uint8_t in[10]);
struct f80 x87_cvt_from_int(int64_t v);
unsigned x87_cvt_from_f32(uint32_t bits, struct f80 *out);
unsigned x87_cvt_from_f64(uint64_t bits, struct f80 *out);
unsigned x87_cvt_to_f32(struct f80 v, uint16_t cw, uint32_t *out, uint16_t *sw);
unsigned x87_cvt_to_f64(struct f80 v, uint16_t cw, uint64_t *out, uint16_t *sw);

/* ---- instruction families (called from the dispatcher in x87.c) ---- */
/* x87_arith.c */
/* Apply the host status of computation `op` (h->sw, h->r0): records the
 * flags and C1, replaces r0 by the exponent-wrapped value for an unmasked
 * #O/#U. Returns false when an unmasked exception suppresses the result. */
bool x87_result(struct cpu *cpu, enum x87_hop op, struct x87_host *h);
/* Room for a push? If not, gives the stack-overflow response. */
bool x87_push_check(struct cpu *cpu);
/* `exc`: flags of the memory operand's conversion, applied after the
 * stack check. */
void x87_arith_mem(struct cpu *cpu, unsigned reg, struct f80 src, unsigned exc);
void x87_arith_reg(struct cpu *cpu, unsigned reg, unsigned sti, bool to_sti, bool pop);
void x87_compare(struct cpu *cpu, struct f80 src, bool src_empty, bool unordered, int pops,
                 unsigned exc);
void x87_comi(struct cpu *cpu, unsigned sti, bool unordered, bool pop);
void x87_fxch(struct cpu *cpu, unsigned sti);
void x87_fcmov(struct cpu *cpu, unsigned cc, bool negate, unsigned sti);
void x87_fst_reg(struct cpu *cpu, unsigned sti, bool pop);
void x87_fld_reg(struct cpu *cpu, unsigned sti);
void x87_d9_special(struct cpu *cpu, uint8_t modrm);                     /* D9 E0..FF */
/* x87_trans.c */
void x87_unary_host(struct cpu *cpu, enum x87_hop op);                  /* FSQRT FRNDINT F2XM1 */
void x87_trans(struct cpu *cpu, enum x87_hop op);                       /* others of D9 Fx */
/* x87_ldst.c */
void x87_load_mem(struct cpu *cpu, const struct insn *i, int fmt);
void x87_store_mem(struct cpu *cpu, const struct insn *i, int fmt, bool pop);
void x87_fisttp(struct cpu *cpu, const struct insn *i, int fmt);   /* chop, pop */
struct f80 x87_read_operand(struct cpu *cpu, const struct insn *i, int fmt, unsigned *exc);
enum { FMT_F32, FMT_F64, FMT_F80, FMT_I16, FMT_I32, FMT_I64, FMT_BCD };
/* x87_env.c */
void x87_fnstenv(struct cpu *cpu, const struct insn *i);
void x87_fldenv(struct cpu *cpu, const struct insn *i);
void x87_fnsave(struct cpu *cpu, const struct insn *i);
void x87_frstor(struct cpu *cpu, const struct insn *i);

/* ---- entry points for the CPU (also declared for the lead in cpu code) ---- */
void x87_reset(struct cpu *cpu);
void x87_init_state(struct cpu *cpu);

#endif
