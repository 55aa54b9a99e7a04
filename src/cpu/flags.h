/* EFLAGS with lazy arithmetic flags (src/cpu/flags.c).
 *
 * ALU helpers record (op, size, src1, src2, res) instead of computing
 * OF/SF/ZF/AF/PF/CF; readers compute a flag on demand. cpu->s.lf.op == LF_NONE
 * means the arithmetic bits held in cpu->s.rflags are current. */
#ifndef RAWBOX_CPU_FLAGS_H
#define RAWBOX_CPU_FLAGS_H

#include <stdbool.h>
#include <stdint.h>
#include "cpu/cpu.h"

enum lazy_op {
    LF_NONE = 0,
    LF_ADD, LF_ADC,     /* res = src1 + src2 (+ CF): CF/OF/AF from the operands */
    LF_SUB, LF_SBB,     /* res = src1 - src2 (- CF); CMP, CMPS, SCAS, NEG (src1 = 0) */
    LF_LOGIC,           /* AND/OR/XOR/TEST: CF=OF=0, AF=0 */
    LF_INC, LF_DEC,     /* src1 = operand, src2 = CF before the instruction */
    LF_SHL, LF_SHR, LF_SAR,  /* src1 = operand, src2 = count (masked, != 0) */
    LF_SZP,             /* SF/ZF/PF from res; CF/OF/AF are the FL_* bits in src2
                         * (MUL, IMUL, SHLD/SHRD, BSF/BSR, ...) */
};
/* LF_ADC/LF_SBB compute every flag exactly as LF_ADD/LF_SUB (the carry-out
 * formulas hold for any carry-in); they are separate only so cpu_cond() can
 * take the compare shortcut (a < b) for LF_SUB alone. */

/* Materialise the full EFLAGS value (arithmetic bits computed). */
uint32_t flags_get(struct cpu *cpu);
/* Replace EFLAGS wholesale (bit 1 forced to 1, reserved bits cleared);
 * no privilege checks: POPF/IRET apply those before calling. */
void flags_set(struct cpu *cpu, uint32_t v);
/* Compute and store OSZAPC into cpu->s.rflags, making lf.op LF_NONE. */
void flags_materialize(struct cpu *cpu);

/* Single flags. */
bool flag_cf(struct cpu *cpu);
bool flag_zf(struct cpu *cpu);
bool flag_sf(struct cpu *cpu);
bool flag_of(struct cpu *cpu);
bool flag_pf(struct cpu *cpu);
bool flag_af(struct cpu *cpu);

/* Condition code cc (0..15, the low nibble of Jcc/SETcc/CMOVcc). */
bool cpu_cond(struct cpu *cpu, unsigned cc);

/* The shortcuts the readers take before computing flags, in one place for
 * flags.c and the fast handlers (fastops.c), which inline them. */

/* CF of the records compiled code leaves most (ADD, SUB/CMP, logic), or
 * -1 for the rest. The operands and result are truncated to lf->size, so
 * for SUB the borrow is a < b; ADD takes the carry out of the top bit.
 * (Compare chains, not a switch: a jump table here costs the fast handlers
 * an indirect branch, measured at ~10 % on bench/mips.asm.) */
static inline __attribute__((always_inline)) int flags_cf_quick(const struct lazyflags *lf)
{
    uint64_t a = lf->src1, b = lf->src2;
    if (lf->op == LF_ADD)
        return (int)((((a & b) | ((a | b) & ~lf->res)) >> ((lf->size << 3) - 1)) & 1);
    if (lf->op == LF_SUB)
        return a < b;
    if (lf->op == LF_LOGIC)
        return 0;
    return -1;
}

/* Condition cc without computing a flag where the record allows it: a
 * compare (LF_SUB) from its operands, ZF and SF of any other record from
 * its result (every lazy op sets them from res). Returns 0 or 1, or -1
 * when the flags must be computed (cpu_cond() then also shortcuts logic
 * results, CF = OF = 0). */
static inline __attribute__((always_inline)) int flags_cond_quick(const struct lazyflags *lf, unsigned cc)
{
    unsigned top = (lf->size << 3) - 1;
    if (lf->op == LF_SUB) {
        uint64_t a = lf->src1, b = lf->src2;
        unsigned sh = 63 - top;
        switch (cc) {
        case 0x2: return a < b;
        case 0x3: return a >= b;
        case 0x4: return a == b;
        case 0x5: return a != b;
        case 0x6: return a <= b;
        case 0x7: return a > b;
        case 0xc: return (int64_t)(a << sh) < (int64_t)(b << sh);
        case 0xd: return (int64_t)(a << sh) >= (int64_t)(b << sh);
        case 0xe: return (int64_t)(a << sh) <= (int64_t)(b << sh);
        case 0xf: return (int64_t)(a << sh) > (int64_t)(b << sh);
        default: break;
        }
    } else if (lf->op != LF_NONE) {
        switch (cc) {
        case 0x4: return lf->res == 0;
        case 0x5: return lf->res != 0;
        case 0x8: return (lf->res >> top) & 1;
        case 0x9: return !((lf->res >> top) & 1);
        default: break;
        }
    }
    return -1;
}

/* Record a lazy result. src1, src2 and res must already be truncated to
 * `size` bytes (the readers rely on it). */
static inline void flags_lazy(struct cpu *cpu, enum lazy_op op, unsigned size,
                              uint64_t src1, uint64_t src2, uint64_t res)
{
    cpu->s.lf.op = (uint8_t)op;
    cpu->s.lf.size = (uint8_t)size;
    cpu->s.lf.src1 = src1;
    cpu->s.lf.src2 = src2;
    cpu->s.lf.res = res;
}

/* Set/clear individual arithmetic flags directly (materialises first). */
void flags_set_bits(struct cpu *cpu, uint32_t mask, bool on);

extern const uint8_t parity_table[256];

#endif
